#include "commands.h"

#include <fileimport.h>
#include <mainwindow.h>
#include <tracestore.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QIcon>

#include <clocale>
#include <iostream>

namespace {

// Called once the application object exists (which sets the C locale from the environment).
void setIdentity()
{
    // Numbers in C's functions are read and written with a point whatever the user's locale (Qt's own formatting
    // follows QLocale): C libraries such as Graphviz switch LC_NUMERIC while they work, which would otherwise race
    // with parsing on other threads.
    std::setlocale(LC_NUMERIC, "C");
    QCoreApplication::setOrganizationName(QStringLiteral("Tracelight"));
    QCoreApplication::setApplicationName(QStringLiteral("tracelight"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRACELIGHT_VERSION));
}

const char* usage = R"(Usage: tracelight [--db DB] [FILE…]            open the window (FILEs are imported and shown)
       tracelight import [--db DB] [--format NAME] PATH…   files, session logs or folders
       tracelight list [--db DB] [--json] [--prices FILE]
       tracelight show [--db DB] TRACE_ID [--json | --outline [--budget N]] [--prices FILE]
       tracelight compare [--db DB] TRACE_A TRACE_B [--json]
       tracelight compare [--db DB] --versions V1 V2 [--service S] [--json]
       tracelight search [--db DB] QUERY [--json] [--limit N] [--trace TRACE_ID]
       tracelight render [--db DB] TRACE_ID --view waterfall|flame|graph -o FILE.png [--width W] [--height H]
       tracelight export [--db DB] TRACE_ID [--format otlp-json|chrome|csv|tool-csv] [-o FILE]
       tracelight stats [--db DB] [--json] [--by model|tool|agent|version|day] [--since TIME] [--until TIME]
                        [--service NAME] [--version V] [--agent NAME] [--model MODEL] [--tool NAME] [--prices FILE]
       tracelight report [--db DB] TRACE_ID --format pdf|html|json|md -o FILE [--redact]
                         [--redact-pattern RE]… [--compare OTHER_TRACE]
       tracelight check [--db DB] [TRACE_ID…|--all] [--baseline VERSION] [--fail-on KIND[,KIND…]] [--json]
                        [--junit FILE] [--thresholds FILE] [--prices FILE]
       tracelight verify REPORT [--db DB | --trace FILE]
       tracelight serve [--db DB] [--listen HOST:PORT] [--token T] [--watch DIR] [--max-body-mib N]
       tracelight annotate [--db DB] TRACE_ID [SPAN_ID] [--label L] [--rating N] [--note TEXT] [--author A] [--delete]
       tracelight annotations [--db DB] export [-o FILE] | import FILE…   JSON Lines; import merges exports or caches
       tracelight graph [--db DB] (TRACE_ID… | --version V [--service S] [--against V0]) [--json | --dot]
                        [-o FILE | -o FILE.svg|png]   who called whom, or how a version's graph changed
       tracelight sessions [--db DB] [--json]       conversations: runs that share a session id
       tracelight show [--db DB] --session ID [--json]    a session as one transcript, turn by turn
       tracelight mcp [--db DB] [--source NAME]      an MCP server on stdio for your agents, read-only
       tracelight COMMAND --help                   options of one command

Tracelight explores AI agent traces: import them into a local SQLite cache, list them, show their steps, and
export a trace as OTLP JSON.
The cache is $TRACELIGHT_DB if set, else cache.sqlite in the user's data folder; --db chooses another.
)";

} // namespace

int main(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    // Headless commands never touch the display, so they run on machines without one (scripts, CI).
    if (Tracelight::Cli::isCommand(arguments)) {
        // render, report and graph paint text, which needs a GUI application; the offscreen platform needs no
        // display.
        if (arguments.at(1) == QLatin1String("render") || arguments.at(1) == QLatin1String("report")
            || arguments.at(1) == QLatin1String("graph")) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            QGuiApplication app(argc, argv);
            setIdentity();
            return Tracelight::Cli::run(arguments);
        }
        QCoreApplication app(argc, argv);
        setIdentity();
        return Tracelight::Cli::run(arguments);
    }
    if (arguments.contains(QStringLiteral("--version")) || arguments.contains(QStringLiteral("-v"))) {
        std::cout << "tracelight " << TRACELIGHT_VERSION << '\n';
        return 0;
    }
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        std::cout << usage;
        return 0;
    }

    QApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Tracelight"));
    QApplication::setDesktopFileName(QStringLiteral("io.tracelight.Tracelight"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tracelight.svg")));

    QCommandLineParser parser;
    parser.addOption(
        QCommandLineOption(QStringList { QStringLiteral("db") }, QStringLiteral("Cache file."), QStringLiteral("DB")));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Trace files to open."));
    if (!parser.parse(arguments)) {
        std::cerr << "tracelight: " << parser.errorText().toStdString() << '\n' << usage;
        return 2;
    }
    const QString db = parser.isSet(QStringLiteral("db"))
        ? parser.value(QStringLiteral("db"))
        : QString::fromStdString(Tracelight::TraceStore::defaultPath());
    Tracelight::MainWindow window(db);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFiles(parser.positionalArguments());
    return app.exec();
}
