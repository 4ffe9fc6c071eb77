// Issue 6: the inspector's document, the attribute tree, search (FTS5), find in run, and the tool call table.
#include "testutils.h"

#include <attributetreemodel.h>
#include <csv.h>
#include <fileimport.h>
#include <findbar.h>
#include <inspectorpanel.h>
#include <modelroles.h>
#include <searchresultmodel.h>
#include <stepdetailview.h>
#include <stephtml.h>
#include <toolcallmodel.h>
#include <toolcallpanel.h>
#include <tracesearch.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

#include <nlohmann/json.hpp>

#include <set>

using namespace Tracelight;

namespace {

struct Cache
{
    QTemporaryDir dir;
    std::unique_ptr<TraceStore> store;
    TraceSnapshotPtr snapshot;

    explicit Cache(const QString& file)
    {
        store = std::make_unique<TraceStore>(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(*store);
        if (!importFile(file.toStdString(), writer).ok())
            qFatal("cannot import %s", qPrintable(file));
        const TraceSummary t = store->traces().front();
        snapshot = TraceSnapshot::build(t, store->steps(t.traceId));
    }
    QString path() const { return dir.filePath(QStringLiteral("c.sqlite")); }
    StepDetail detail(const char* spanId) { return *store->stepDetail(snapshot->summary().traceId, spanId); }
};

QString plainText(const QString& html)
{
    QTextDocument document;
    document.setHtml(html);
    return document.toPlainText();
}

} // namespace

class InspectorTest : public QObject
{
    Q_OBJECT

private slots:
    void conversationInOrder()
    {
        // The last call of the refunds agent (96a600188fd96926): system prompt, then the conversation with the
        // assistant's tool calls and the tools' results, then its answer.
        Cache cache(TestUtils::samplePath());
        const QString text = plainText(StepHtml::build(cache.detail("96a600188fd96926"), {}));
        const QStringList order
            = { QStringLiteral("System instructions"), QStringLiteral("Input"), QStringLiteral("USER"),
                  QStringLiteral("ASSISTANT"), QStringLiteral("Tool call issue_refund"), QStringLiteral("TOOL"),
                  QStringLiteral("Tool result"), QStringLiteral("Output"), QStringLiteral("ASSISTANT") };
        qsizetype at = 0;
        for (const QString& expected : order) {
            const qsizetype found = text.indexOf(expected, at);
            QVERIFY2(found >= 0, qPrintable(QStringLiteral("'%1' not found after offset %2").arg(expected).arg(at)));
            at = found + 1;
        }
        QVERIFY(text.contains(QStringLiteral("gpt-4o-mini")));
        QVERIFY(text.contains(QStringLiteral("declined")));
    }

    void corpusConversations_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("span"); // empty: the first llm step
        QTest::addColumn<QStringList>("order");
        // jq '.observations[] | select(.id=="90d94774e8e3724d") | .metadata | fromjson | .attributes' — the
        // OpenInference messages of the second model call: system prompt, the question, the assistant's
        // get_weather call, the tool's answer; then the reply.
        QTest::newRow("langfuse openai-agents (OpenInference attributes)")
            << QStringLiteral("langfuse/openai-agents-2025-09-30.trace.json") << QStringLiteral("90d94774e8e3724d")
            << QStringList { QStringLiteral("SYSTEM"), QStringLiteral("You are a helpful agent."),
                   QStringLiteral("USER"), QStringLiteral("What's the weather in Tokyo?"), QStringLiteral("ASSISTANT"),
                   QStringLiteral("Tool call get_weather"), QStringLiteral("Tokyo"), QStringLiteral("TOOL"),
                   QStringLiteral("The weather in Tokyo is sunny."), QStringLiteral("Output"),
                   QStringLiteral("ASSISTANT"), QStringLiteral("sunny") };
        // jq '.post[0].inputs.messages, .patch[0].outputs.choices[0]' — "howdy", then the assistant's greeting.
        QTest::newRow("langsmith wrap-openai")
            << QStringLiteral("langsmith/py-wrap-openai-default.runs.json") << QString()
            << QStringList { QStringLiteral("Input"), QStringLiteral("USER"), QStringLiteral("howdy"),
                   QStringLiteral("Output"), QStringLiteral("ASSISTANT"),
                   QStringLiteral("Howdy! How can I assist you today?") };
    }
    void corpusConversations()
    {
        QFETCH(QString, file);
        QFETCH(QString, span);
        QFETCH(QStringList, order);
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        Cache cache(TestUtils::corpusDir() + QLatin1Char('/') + file);
        std::string spanId = span.toStdString();
        if (spanId.empty()) {
            for (const StepRecord& r : cache.snapshot->steps()) {
                if (r.kind == StepKind::Llm) {
                    spanId = r.spanId;
                    break;
                }
            }
        }
        const QString text = plainText(StepHtml::build(cache.detail(spanId.c_str()), {}));
        qsizetype at = 0;
        for (const QString& expected : std::as_const(order)) {
            const qsizetype found = text.indexOf(expected, at);
            QVERIFY2(found >= 0,
                qPrintable(QStringLiteral("'%1' not found after offset %2 in:\n%3")
                               .arg(expected)
                               .arg(at)
                               .arg(text.left(3000))));
            at = found + expected.size();
        }
    }

    void hostileContentIsText_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("pretty") << int(StepHtml::Mode::Pretty);
        QTest::newRow("raw") << int(StepHtml::Mode::Raw);
        QTest::newRow("markdown") << int(StepHtml::Mode::Markdown);
    }
    void hostileContentIsText()
    {
        QFETCH(int, mode);
        StepDetail d;
        d.record.name = "<script>alert('name')</script>";
        d.record.kind = StepKind::Llm;
        // Built as JSON values, not written as a literal: moc cannot read raw string literals holding ")".
        const std::string hostile = "<b>bold?</b> <img src='http://evil.example/x.png'> <a href='javascript:alert(1)'>"
                                    "click</a> <script>alert(2)</script> [md link](http://evil.example) "
                                    "![img](file:///etc/passwd)";
        nlohmann::json messages = nlohmann::json::array();
        messages.push_back({ { "role", "user" }, { "parts", { { { "type", "text" }, { "content", hostile } } } } });
        messages.push_back({ { "role", "<i>role</i>" },
            { "parts", { { { "type", "<u>odd</u>" }, { "content", "<qt>rich</qt>" } } } } });
        d.step.inputMessages = messages.dump();
        d.step.toolArguments = "{\"html\": \"<script>alert(3)</script>\"}";
        d.step.toolResult = std::string("invalid utf-8: \xff\xfe\xc3 end");
        StepHtml::Options options;
        options.mode = StepHtml::Mode(mode);
        const QString html = StepHtml::build(d, options);
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<img src='http")));
        QVERIFY(!html.contains(QStringLiteral("javascript:")) || html.contains(QStringLiteral("&lt;a href=")));
        QVERIFY(!html.contains(QStringLiteral("<b>bold")));
        QVERIFY(!html.contains(QStringLiteral("<i>role")));
        const QString text = plainText(html);
        QVERIFY(text.contains(QStringLiteral("<script>alert('name')</script>")));
        QVERIFY(text.contains(QStringLiteral("alert(3)")));
        QVERIFY(text.contains(QStringLiteral("end")));
        if (options.mode != StepHtml::Mode::Markdown)
            QVERIFY(text.contains(QStringLiteral("<b>bold?</b>")));

        // In the view: no link opens by itself and no resource is fetched, whatever the Markdown asked for.
        StepDetailView view;
        view.setMode(options.mode);
        view.showStep(d);
        QVERIFY(!view.openLinks());
        QVERIFY(!view.loadResource(QTextDocument::ImageResource, QUrl(QStringLiteral("file:///etc/passwd"))).isValid());
        QVERIFY(!view.loadResource(QTextDocument::ImageResource, QUrl(QStringLiteral("http://evil.example/x.png")))
                     .isValid());
        QVERIFY(view.toPlainText().contains(QStringLiteral("alert('name')")));
    }

    // Findings quote trace text (tool names, argument values): it stays text, and %1 in a value is not a placeholder.
    void findingsAndArgumentSourcesAreText()
    {
        StepDetail d;
        d.record.name = "execute_tool refund";
        d.record.kind = StepKind::Tool;
        d.step.toolArguments = "{\"customer_id\": \"<script>x</script>\"}";
        StepHtml::Options options;
        Finding f;
        f.kind = FindingKind::UngroundedArgument;
        f.severity = FindingSeverity::High;
        f.message = "refund was called with customer_id = <script>alert(1)</script> %1 %2";
        options.findings.findings.push_back(f);
        ArgumentSource nowhere;
        nowhere.argument = "customer_id";
        nowhere.value = "<img src='http://evil.example/x.png'>%1";
        options.findings.sources.push_back(nowhere);
        ArgumentSource contradicted;
        contradicted.argument = "order_id";
        contradicted.value = "A-1";
        contradicted.conflictSpanId = "s9";
        contradicted.conflictName = "<b>get_order</b>";
        contradicted.conflictValue = "A-2";
        contradicted.entity = "customer_id=c1";
        options.findings.sources.push_back(contradicted);
        ArgumentSource found;
        found.argument = "amount";
        found.value = "89.99";
        found.sourceSpanId = "s1";
        found.sourceKind = "tool result";
        found.sourceName = "get_order";
        options.findings.sources.push_back(found);
        const QString html = StepHtml::build(d, options);
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<img src='http")));
        QVERIFY(!html.contains(QStringLiteral("<b>get_order")));
        const QString text = plainText(html);
        QVERIFY(text.contains(QStringLiteral("customer_id = <script>alert(1)</script> %1 %2")));
        QVERIFY(text.contains(
            QStringLiteral("<img src='http://evil.example/x.png'>%1 ← appears nowhere earlier in the run")));
        QVERIFY(text.contains(QStringLiteral(
            "A-1 ← contradicts order_id = A-2, which <b>get_order</b> (s9) returned for customer_id=c1")));
        QVERIFY(text.contains(QStringLiteral("89.99 ← the tool result of get_order s1")));
    }

    void hugePromptIsFolded()
    {
        // A 5 MB prompt costs a few kilobytes of document until the user opens it.
        StepDetail d;
        d.record.kind = StepKind::Llm;
        std::string big(5 * 1024 * 1024, 'x');
        for (std::size_t i = 80; i < big.size(); i += 81)
            big[i] = '\n';
        nlohmann::json messages = nlohmann::json::array(
            { { { "role", "user" }, { "parts", { { { "type", "text" }, { "content", big } } } } } });
        d.step.inputMessages = messages.dump();
        const QString folded = StepHtml::build(d, {});
        QVERIFY2(folded.size() < 20000, qPrintable(QString::number(folded.size())));
        QVERIFY(folded.contains(QStringLiteral("tracelight:expand/0")));
        StepHtml::Options open;
        open.expanded = { 0 };
        QVERIFY(StepHtml::build(d, open).size() > 5 * 1024 * 1024);

        StepDetailView view;
        view.showStep(d);
        QVERIFY(view.toPlainText().contains(QStringLiteral("Show all")));
        // Clicking the fold link opens the block in place.
        emit view.anchorClicked(QUrl(QStringLiteral("tracelight:expand/0")));
        QVERIFY(view.toPlainText().size() > 5 * 1000 * 1000);
    }

    void imagesBecomeThumbnails()
    {
        QImage image(400, 200, QImage::Format_RGB32);
        image.fill(Qt::red);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        StepDetail d;
        d.record.kind = StepKind::Llm;
        nlohmann::json messages = nlohmann::json::array({ { { "role", "user" },
            { "parts",
                { { { "type", "blob" }, { "mime_type", "image/png" },
                    { "content", png.toBase64().toStdString() } } } } } });
        d.step.inputMessages = messages.dump();
        const StepHtml::Result result = StepHtml::render(d, {});
        QCOMPARE(result.images.size(), std::size_t(1));
        QVERIFY(result.html.contains(QStringLiteral("tracelight-image:0")));
        QVERIFY(!result.html.contains(QString::fromLatin1(png.toBase64().left(64))));
        StepDetailView view;
        view.showStep(d);
        const QImage thumbnail
            = view.loadResource(QTextDocument::ImageResource, QUrl(QStringLiteral("tracelight-image:0")))
                  .value<QImage>();
        QCOMPARE(thumbnail.width(), 160);
        QCOMPARE(thumbnail.pixelColor(10, 10), QColor(Qt::red));
    }

    void attributeTree()
    {
        Cache cache(TestUtils::samplePath());
        const StepDetail d = cache.detail("dcd2a8ceac3508ff");
        AttributeTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStep(&d);
        const QStringList dump = TestUtils::dumpModel(model, 2);
        // Top level groups and their sizes as written in the file: jq '.resourceSpans[] | [.resource.attributes[].key],
        // [.scopeSpans[].scope]' and, for the span, '… | select(.spanId=="dcd2a8ceac3508ff") | .attributes, .events'.
        QCOMPARE(dump.filter(QRegularExpression(QStringLiteral("^\\S"))),
            QStringList({ QStringLiteral("Span attributes | 7"), QStringLiteral("Resource | 11"),
                QStringLiteral("Scope | opentelemetry.instrumentation.openai_agents 0.1.4"),
                QStringLiteral("Events | 1"), QStringLiteral("Links | 0") }));
        QVERIFY(dump.contains(QStringLiteral("  gen_ai.tool.name | issue_refund")));
        // The JSON string of the arguments opens into its fields.
        QVERIFY(dump.contains(QStringLiteral("    amount | 89.99")));
        QVERIFY(dump.contains(QStringLiteral("    order_id | A-10442")));
        const QModelIndex span = model.index(0, 0);
        QModelIndex arguments;
        for (int r = 0; r < model.rowCount(span); ++r) {
            if (model.index(r, 0, span).data().toString() == QLatin1String("gen_ai.tool.call.arguments"))
                arguments = model.index(r, 0, span);
        }
        QVERIFY(arguments.isValid());
        QCOMPARE(arguments.data(AttributePathRole).toString(), QStringLiteral("span.gen_ai.tool.call.arguments"));
        const QModelIndex amount = model.index(0, 0, arguments);
        QCOMPARE(amount.data(AttributePathRole).toString(), QStringLiteral("span.gen_ai.tool.call.arguments.amount"));
        QCOMPARE(amount.data(AttributeJsonRole).toString(), QStringLiteral("89.99"));
        model.setStep(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void toolCallTables()
    {
        Cache cache(TestUtils::samplePath());
        ToolCallModel calls;
        ToolSummaryModel summary;
        QAbstractItemModelTester callTester(&calls, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester summaryTester(&summary, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ToolCallRow> rows = ToolCalls::load(*cache.store, *cache.snapshot);
        summary.setRows(ToolCalls::summarize(rows, cache.snapshot->endNs() - cache.snapshot->startNs()));
        calls.setCalls(std::move(rows));
        // The ten execute_tool spans of the file in start order, durations from their start and end times.
        const QStringList callDump = TestUtils::dumpModel(calls, ToolCallModel::ColumnCount);
        QCOMPARE(callDump.size(), 10);
        // The first call, from jq '… | select(.name|startswith("execute_tool"))': lookup_customer with arguments
        // {"name":"Dana Whitfield"}, a result of two matches cut to 160 characters, 4,256.885 → 4,628.890 ms.
        const QStringList first = callDump.at(0).split(QStringLiteral(" | "));
        QCOMPARE(first.size(), int(ToolCallModel::ColumnCount));
        QCOMPARE(first.at(ToolCallModel::ToolColumn), QStringLiteral("lookup_customer"));
        QCOMPARE(first.at(ToolCallModel::AgentColumn), QStringLiteral("invoke_agent triage"));
        QCOMPARE(first.at(ToolCallModel::ArgumentsColumn), QStringLiteral("{\"name\":\"Dana Whitfield\"}"));
        QVERIFY(first.at(ToolCallModel::ResultColumn)
                    .startsWith(QStringLiteral("{\"matches\":[{\"customer_id\":\"cust_51907\"")));
        QCOMPARE(first.at(ToolCallModel::ResultColumn).size(), ToolCalls::SummaryLength + 1);
        QVERIFY(first.at(ToolCallModel::ResultColumn).endsWith(QStringLiteral("…")));
        QCOMPARE(first.at(ToolCallModel::StatusColumn), QStringLiteral("ok"));
        QCOMPARE(first.at(ToolCallModel::LatencyColumn), QStringLiteral("372 ms"));
        QCOMPARE(first.at(ToolCallModel::StartColumn), QStringLiteral("+4.26 s"));
        QVERIFY(callDump.at(5).startsWith(QStringLiteral("issue_refund | invoke_agent refunds | ")));
        QVERIFY(
            callDump.at(5).endsWith(QStringLiteral(" | error: PaymentGatewayError: card declined | 887 ms | +18.8 s")));
        // By hand from the span times: issue_refund 887.05 ms (failed) and 711.70 ms; both are 1,598.75 ms of
        // the run's 39,412.97 ms (4.1 %). Percentiles interpolate between ranks, as numpy does: p50 is the mean
        // 799.37 ms, p95 = 711.70 + 0.95 × 175.36 = 878.29 ms.
        const QStringList summaryDump = TestUtils::dumpModel(summary, ToolSummaryModel::ColumnCount);
        QCOMPARE(summaryDump.size(), 9);
        QCOMPARE(summaryDump.at(0), QStringLiteral("issue_refund | 2 | 50.0 % | 799 ms | 878 ms | 1 | 4.1 %"));
        QCOMPARE(
            summaryDump.at(1), QStringLiteral("check_refund_eligibility | 1 | 100 % | 284 ms | 284 ms | 0 | 0.7 %"));
        QCOMPARE(summaryDump.at(8), QStringLiteral("update_ticket | 1 | 100 % | 668 ms | 668 ms | 0 | 1.7 %"));
    }

    void toolCallPanelFiltersAndExports()
    {
        Cache cache(TestUtils::samplePath());
        ToolCallPanel panel;
        panel.setCalls(
            ToolCalls::load(*cache.store, *cache.snapshot), cache.snapshot->endNs() - cache.snapshot->startNs());
        const QStringList lines = panel.callsCsv().split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 11);
        QCOMPARE(lines.front(), QStringLiteral("Tool,Agent,Arguments,Result,Status,Latency,Start"));
        QSignalSpy activated(&panel, &ToolCallPanel::stepActivated);
        panel.callView()->setCurrentIndex(panel.callView()->model()->index(5, 0));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(cache.snapshot->step(activated.front().front().toInt()).spanId, std::string("dcd2a8ceac3508ff"));
    }

    void csvFields()
    {
        QCOMPARE(Csv::field(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(Csv::field(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(Csv::field(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(Csv::field(QStringLiteral("line\nbreak")), QStringLiteral("\"line\nbreak\""));
        // Spreadsheet formulas from a trace are neutralized.
        QCOMPARE(Csv::field(QStringLiteral("=HYPERLINK(\"http://x\")")),
            QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\")\""));
        QCOMPARE(Csv::field(QStringLiteral("+1")), QStringLiteral("'+1"));
        QCOMPARE(Csv::field(QStringLiteral("@cmd")), QStringLiteral("'@cmd"));
    }

    void ftsQueriesAreSafe_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("query");
        QTest::newRow("words") << QStringLiteral("card declined") << QStringLiteral("\"card\" \"declined\"");
        QTest::newRow("phrase") << QStringLiteral("\"card declined\" refund")
                                << QStringLiteral("\"card declined\" \"refund\"");
        QTest::newRow("prefix") << QStringLiteral("refund*") << QStringLiteral("\"refund\"*");
        QTest::newRow("quote inside") << QStringLiteral("a\"b") << QStringLiteral("\"a\"\"b\"");
        QTest::newRow("operators are words")
            << QStringLiteral("NEAR( OR -x col:val") << QStringLiteral("\"NEAR(\" \"OR\" \"-x\" \"col:val\"");
        QTest::newRow("blank") << QStringLiteral("   ") << QString();
        QTest::newRow("unclosed quote") << QStringLiteral("\"open phrase") << QStringLiteral("\"open phrase\"");
    }
    void ftsQueriesAreSafe()
    {
        QFETCH(QString, input);
        QFETCH(QString, query);
        QCOMPARE(QString::fromStdString(TraceSearch::ftsQuery(input.toStdString())), query);
        Cache cache(TestUtils::samplePath());
        TraceSearch::search(cache.store->database(), input.toStdString()); // never throws a syntax error
    }

    void searchFindsTheRightSteps()
    {
        Cache cache(TestUtils::samplePath());
        // python over the file: the spans whose gen_ai messages or tool arguments contain "declined" are
        // e69a…, c581…, 76ad…, 0899…, 96a6…, 542b…, 89f5… (the failed call has it only in its status and events,
        // which are not full-text indexed). c581… has it only in the tool response that e69a…, an earlier call of the
        // run, sent already: the index holds each long line of a run's inputs once, at the first step that has it.
        const std::vector<SearchHit> hits = TraceSearch::search(cache.store->database(), "declined");
        std::set<std::string> spans;
        for (const SearchHit& hit : hits) {
            spans.insert(hit.spanId);
            QVERIFY(hit.snippet.find(TraceSearch::SnippetOpen) != std::string::npos);
            QVERIFY(!hit.field.empty());
        }
        QCOMPARE(spans,
            (std::set<std::string> { "e69a0878c4c5b42d", "76ad5b162326d902", "089949ce64d4fb93", "96a600188fd96926",
                "542b7b70735c8b2e", "89f56a5310a1e470" }));
        for (std::size_t i = 1; i < hits.size(); ++i)
            QVERIFY(hits[i - 1].rank <= hits[i].rank);
        // The tool argument hit says where it matched.
        const auto tool
            = std::find_if(hits.begin(), hits.end(), [](const SearchHit& h) { return h.spanId == "089949ce64d4fb93"; });
        QCOMPARE(tool->field, std::string("tool_arguments"));

        SearchResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setHits(hits);
        QCOMPARE(model.rowCount(), 6);
        const QString snippet = model.index(0, SearchResultModel::SnippetColumn).data().toString();
        QVERIFY(snippet.contains(QStringLiteral("declined")));
        QVERIFY(!snippet.contains(QLatin1Char(TraceSearch::SnippetOpen)));
        // Restricted to one trace, and to a trace that is not there.
        QCOMPARE(
            TraceSearch::search(cache.store->database(), "declined", 200, cache.snapshot->summary().traceId).size(),
            hits.size());
        QVERIFY(TraceSearch::search(cache.store->database(), "declined", 200, "0000").empty());
        QCOMPARE(TraceSearch::stepByToolCallId(
                     cache.store->database(), cache.snapshot->summary().traceId, "call_0lEpU2AYhKSyHcmEss2THWcx"),
            std::string("dcd2a8ceac3508ff"));
    }

    void findInRun()
    {
        Cache cache(TestUtils::samplePath());
        FindBar bar(cache.path());
        QSignalSpy matches(&bar, &FindBar::matchesChanged);
        QSignalSpy requested(&bar, &FindBar::stepRequested);
        bar.setTrace(cache.snapshot);
        // "declined": the failed call by its error message at once, then the six steps the index has it for.
        bar.setText(QStringLiteral("declined"));
        QCOMPARE(bar.matchCount(), 1); // issue_refund carries the message (its POST only an error.type)
        QTRY_COMPARE(bar.matchCount(), 7);
        bar.next();
        // First in causal order: the triage agent (its final answer mentions the declined card).
        QCOMPARE(cache.snapshot->step(requested.last().front().toInt()).spanId, std::string("89f56a5310a1e470"));
        QCOMPARE(bar.statusText(), QStringLiteral("1 of 7"));
        bar.previous(); // wraps to the last match
        QCOMPARE(bar.statusText(), QStringLiteral("7 of 7"));
        bar.setText(QString());
        QCOMPARE(bar.matchCount(), 0);
    }

    void inspectorScreenshot()
    {
        Cache cache(TestUtils::samplePath());
        InspectorPanel panel;
        panel.resize(560, 820);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.showStep(cache.detail("96a600188fd96926"), 3'904'494'336, QStringLiteral("invoke_agent refunds"));
        QApplication::processEvents();
        const QImage shot = panel.grab().toImage();
        QVERIFY(shot.save(QCoreApplication::applicationDirPath() + QStringLiteral("/tracelight-inspector.png")));
    }
};

QTEST_MAIN(InspectorTest)
#include "tst_inspector.moc"
