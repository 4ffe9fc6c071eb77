#include "testutils.h"

#include <chartview.h>
#include <dashboardwidget.h>
#include <mainwindow.h>
#include <priceeditordialog.h>
#include <runchartspanel.h>
#include <steptreemodel.h>
#include <theme.h>
#include <tracelistmodel.h>

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Tracelight;

namespace {

QString shotPath(const QString& name)
{
    return QStringLiteral("%1/%2").arg(QCoreApplication::applicationDirPath(), name);
}

// How many distinct colours an image has, roughly: a blank or half-painted grab has very few.
int colourCount(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y) & 0xf0f0f0);
    }
    return static_cast<int>(colours.size());
}

int categoryCount(ChartView* view)
{
    for (QAbstractAxis* axis : view->chart()->axes()) {
        if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis))
            return static_cast<int>(categories->count());
    }
    return 0;
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true); // the user's settings and prices.json stay untouched
        QCoreApplication::setOrganizationName(QStringLiteral("TracelightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tracelight-dashboard-test"));
        QSettings().clear();
        QFile::remove(QString::fromStdString(PriceTable::userFilePath()));
        m_window = std::make_unique<MainWindow>(m_dir.filePath(QStringLiteral("dashboard.sqlite")));
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy loaded(m_window.get(), &MainWindow::traceLoaded);
        QStringList files { TestUtils::samplePath() };
        if (TestUtils::haveCorpus())
            files << TestUtils::corpusDir() + QStringLiteral("/otlp-collector-file/otel-demo-mixed-signals.jsonl");
        m_window->openFiles(files);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->traceListModel()->rowCount(), TestUtils::haveCorpus() ? 142 : 1, 20000);
    }

    void runCharts()
    {
        m_window->selectTrace(QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43"));
        RunChartsPanel* charts = m_window->runCharts();
        QTRY_VERIFY_WITH_TIMEOUT(categoryCount(charts->charts().front()) == 10, 10000); // one bar per LLM call
        auto* tabs = qobject_cast<QTabWidget*>(charts->parentWidget()->parentWidget());
        QVERIFY(tabs);
        tabs->setCurrentWidget(charts);
        QApplication::processEvents();
        const QList<ChartView*> views = charts->charts();
        QCOMPARE(views.size(), 4);
        for (ChartView* view : views)
            QVERIFY2(view->placeholder().isEmpty(), qPrintable(view->title()));
        QCOMPARE(categoryCount(views[3]), 10); // ten tool calls, each its own bar
        // Clicking the bar of a tool call selects that step.
        const auto* series = qobject_cast<QAbstractBarSeries*>(views[3]->chart()->series().front());
        QVERIFY(series);
        QSignalSpy requested(charts, &RunChartsPanel::stepRequested);
        emit series->barSets().front()->clicked(9); // the top bar: the first tool call (lookup_customer)
        QCOMPARE(requested.size(), 1);
        const int step = requested.front().front().toInt();
        QCOMPARE(m_window->stepTreeModel()->snapshot()->step(step).toolName, std::string("lookup_customer"));

        const QImage shot = m_window->grab().toImage();
        QVERIFY(shot.save(shotPath(QStringLiteral("tracelight-run-charts.png"))));
        QVERIFY(colourCount(shot) > 40);
        tabs->setCurrentIndex(0);
    }

    void dashboard()
    {
        DashboardWidget* dashboard = m_window->dashboard();
        QSignalSpy updated(dashboard, &DashboardWidget::statsUpdated);
        m_window->showDashboard();
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 20000);
        QApplication::processEvents();
        const CacheStats* stats = dashboard->stats();
        QVERIFY(stats);
        // Priced with the shipped table: the sample's models have prices, so its cost is known.
        QVERIFY(stats->cost.usd && *stats->cost.usd > 0);
        QCOMPARE(dashboard->cardValue(QStringLiteral("Runs")),
            TestUtils::haveCorpus() ? QStringLiteral("142") : QStringLiteral("1"));
        QVERIFY(dashboard->cardValue(QStringLiteral("Total cost")).startsWith(QLatin1Char('$')));
        for (ChartView* view : dashboard->charts())
            QVERIFY2(
                view->placeholder().isEmpty(), qPrintable(view->title() + QStringLiteral(": ") + view->placeholder()));
        QVERIFY(dashboard->runList(0)->rowCount() > 0); // slowest
        QCOMPARE(dashboard->runList(1)->rowCount(), 1); // costliest: only the sample has a cost
        // The findings by kind and version: the sample's refund to the wrong customer, in one run of 1.4.2.
        const auto findingRow = [dashboard] {
            QTableWidget* table = dashboard->findingCounts();
            for (int row = 0; row < table->rowCount(); ++row)
                if (table->item(row, 0)->text() == QLatin1String("ungrounded argument"))
                    return QStringList { table->item(row, 1)->text(), table->item(row, 2)->text(),
                        table->item(row, 3)->text() };
            return QStringList();
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            findingRow(), (QStringList { QStringLiteral("1.4.2"), QStringLiteral("1"), QStringLiteral("1") }), 20000);
        QApplication::processEvents();
        const QImage shot = m_window->grab().toImage();
        QCOMPARE(shot.size(), QSize(1280, 800));
        QVERIFY(shot.save(shotPath(QStringLiteral("tracelight-dashboard.png"))));
        QVERIFY(colourCount(shot) > 60);

        // Export of a chart as SVG and PNG.
        ChartView* timeline = dashboard->charts().front();
        const QString svg = m_dir.filePath(QStringLiteral("timeline.svg"));
        const QString png = m_dir.filePath(QStringLiteral("timeline.png"));
        QString error;
        QVERIFY2(timeline->exportTo(svg, &error), qPrintable(error));
        QVERIFY2(timeline->exportTo(png, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.size() > 2000);
        QCOMPARE(QImage(png).size(), timeline->size());
        QVERIFY(!timeline->exportTo(m_dir.filePath(QStringLiteral("no/such/dir/x.svg")), &error));
    }

    void drillDownOpensTheRun()
    {
        DashboardWidget* dashboard = m_window->dashboard();
        QSignalSpy listed(dashboard, &DashboardWidget::runsListed);
        StatsFilter f;
        f.tool = "issue_refund";
        dashboard->drill(f, QStringLiteral("Runs that called issue_refund"));
        QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty(), 10000);
        QTableWidget* selected = dashboard->runList(3);
        QCOMPARE(selected->rowCount(), 1);
        QSignalSpy loaded(m_window.get(), &MainWindow::traceLoaded);
        if (TestUtils::haveCorpus()) {
            // Another run is open; the click opens the one from the chart.
            m_window->selectTrace(QStringLiteral("8f2e9d887dc12a3a28a26c47945d52fb"));
            QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
        }
        emit selected->itemClicked(selected->item(0, 1));
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->currentIndex(), 0); // back on the runs
        QTRY_COMPARE_WITH_TIMEOUT(m_window->stepTreeModel()->snapshot()->summary().traceId,
            std::string("62ea7a6dc2b69860d0195151f6e51f43"), 10000);
    }

    void darkTheme()
    {
        Theme::apply(Theme::Mode::Dark);
        QSignalSpy updated(m_window->dashboard(), &DashboardWidget::statsUpdated);
        m_window->showDashboard();
        m_window->dashboard()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 20000);
        QApplication::processEvents();
        const QImage shot = m_window->grab().toImage();
        QVERIFY(shot.save(shotPath(QStringLiteral("tracelight-dashboard-dark.png"))));
        // The chart backgrounds follow the dark palette.
        ChartView* chart = m_window->dashboard()->charts().front();
        QVERIFY(chart->chart()->backgroundBrush().color().lightness() < 80);
        Theme::apply(Theme::Mode::Light);
    }

    void priceEditor()
    {
        const QString file = m_dir.filePath(QStringLiteral("config/prices.json"));
        PriceEditorDialog dialog(file.toStdString(), { "my-model" });
        QCOMPARE(dialog.table()->rowCount(), 0);
        PriceEntry entry;
        entry.patterns = { "my-model" };
        entry.price.input = 1.5;
        entry.price.output = 6;
        dialog.addRow(entry);
        QString error;
        QVERIFY2(dialog.save(&error), qPrintable(error));
        const PriceTable saved = PriceTable::fromFile(file.toStdString(), true);
        QCOMPARE(saved.entries().size(), std::size_t(1));
        QCOMPARE(saved.entries().front().price.output, 6.0);
        QVERIFY(!saved.entries().front().price.cacheRead); // empty cells stay unset
        // A bad cell names its row and column.
        dialog.table()->item(0, PriceEditorDialog::OutputColumn)->setText(QStringLiteral("six"));
        QVERIFY(!dialog.save(&error));
        QVERIFY2(error.startsWith(QStringLiteral("Row 1: Output must be a number")), qPrintable(error));
        dialog.table()->item(0, PriceEditorDialog::OutputColumn)->setText(QStringLiteral("6"));
        dialog.table()->item(0, PriceEditorDialog::FromColumn)->setText(QStringLiteral("2025-02-30"));
        QVERIFY(!dialog.save(&error));
        QVERIFY2(error.startsWith(QStringLiteral("Row 1: \"from\" must be a date")), qPrintable(error));
        // The dialog reads back what it wrote.
        PriceEditorDialog again(file.toStdString(), {});
        QCOMPARE(again.table()->rowCount(), 1);
        QCOMPARE(again.table()->item(0, PriceEditorDialog::ModelsColumn)->text(), QStringLiteral("my-model"));
    }

    // A new price table recomputes the costs the window shows, from the same cache.
    void pricesChangeCosts()
    {
        const auto costOfSample = [this] {
            const int row = m_window->traceListModel()->rowOf("62ea7a6dc2b69860d0195151f6e51f43");
            return m_window->traceListModel()->traceAt(row)->costUsd;
        };
        const std::optional<double> before = costOfSample();
        QVERIFY(before);
        QDir().mkpath(QFileInfo(QString::fromStdString(PriceTable::userFilePath())).absolutePath());
        TestUtils::writeFile(QString::fromStdString(PriceTable::userFilePath()),
            R"({"models": [{"models": ["gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-mini"], "input": 0, "output": 0}]})");
        QSignalSpy refreshed(m_window.get(), &MainWindow::tracesRefreshed);
        m_window->reloadPrices();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
        QCOMPARE(costOfSample(), std::optional(0.0));
        QFile::remove(QString::fromStdString(PriceTable::userFilePath()));
        m_window->reloadPrices();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 10000);
        QCOMPARE(costOfSample(), before);
    }

    // Tests of the window find the step tree as its first QTreeView: the dashboard adds none.
    void noTreeViewInTheDashboard() { QVERIFY(m_window->dashboard()->findChildren<QTreeView*>().isEmpty()); }

    void cleanupTestCase() { m_window.reset(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
