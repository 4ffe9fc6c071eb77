// Not a test: saves the dashboard of any cache as PNG images, to look at its charts on a big cache (for example the
// import benchmark's).
//
//   shot_dashboard CACHE.sqlite OUTPUT_DIR
//
// writes OUTPUT_DIR/tracelight-dashboard-db.png (the window) and tracelight-dashboard-db-charts.png (the charts).
#include <chartview.h>
#include <dashboardwidget.h>
#include <mainwindow.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

using namespace Tracelight;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    if (args.size() != 3) {
        qCritical("usage: shot_dashboard CACHE.sqlite OUTPUT_DIR");
        return 2;
    }
    MainWindow window(args.at(1));
    window.resize(1280, 800);
    window.show();
    const QDir out(args.at(2));
    QElapsedTimer timer;
    timer.start();
    int status = 1;
    QObject::connect(window.dashboard(), &DashboardWidget::statsUpdated, &app, [&] {
        qInfo("dashboard of %s computed in %lld ms", qPrintable(args.at(1)), timer.elapsed());
        QApplication::processEvents();
        const bool saved = window.grab().save(out.filePath(QStringLiteral("tracelight-dashboard-db.png")))
            && window.dashboard()->charts().front()->parentWidget()->grab().save(
                out.filePath(QStringLiteral("tracelight-dashboard-db-charts.png")));
        status = saved ? 0 : 1;
        QApplication::quit();
    });
    QTimer::singleShot(0, &window, &MainWindow::showDashboard);
    QTimer::singleShot(120000, &app, [] {
        qCritical("the dashboard was not computed within 120 s");
        QApplication::exit(1);
    });
    const int rc = QApplication::exec();
    return rc == 0 ? status : rc;
}
