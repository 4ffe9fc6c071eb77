// Prints, one a line, the MIME type Qt's database gives each FILE from its name and content: what KDE's file
// managers and other Qt programs will see. run-package-test.sh points XDG_DATA_DIRS at the extracted package.
#include <QCoreApplication>
#include <QMimeDatabase>

#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 2) {
        std::fprintf(stderr, "usage: mimetypeof FILE…\n");
        return 2;
    }
    const QMimeDatabase db;
    for (qsizetype i = 1; i < arguments.size(); ++i)
        std::printf("%s\n", qPrintable(db.mimeTypeForFile(arguments.at(i)).name()));
    return 0;
}
