// The one UTF-8 policy (model/core/utf8.h): what is repaired and how, whatever the chunks the text arrives in.
#include <utf8.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using namespace Tracelight;

namespace {

struct Repaired
{
    std::string text;
    std::vector<Utf8::RepairPlace> places;
};

// Streams input through repairJsonChunk in chunks of chunkSize source bytes, the way ChunkReader does.
Repaired repairInChunks(const std::string& input, std::size_t chunkSize)
{
    Repaired result;
    std::string tail;
    std::size_t read = 0;
    std::int64_t sourceOffset = 0;
    std::int64_t line = 1;
    while (true) {
        const std::size_t got = std::min(chunkSize, input.size() - read);
        std::vector<char> buffer(tail.begin(), tail.end());
        buffer.insert(buffer.end(), input.begin() + std::ptrdiff_t(read), input.begin() + std::ptrdiff_t(read + got));
        read += got;
        const bool final = read == input.size();
        std::size_t length = buffer.size();
        std::vector<Utf8::RepairShift> shifts;
        const std::size_t before = length;
        tail = Utf8::repairJsonChunk(buffer, length, 0, sourceOffset, line, final, result.places, shifts);
        const std::string_view chunk(buffer.data(), length);
        result.text.append(chunk);
        const std::int64_t added = std::int64_t(length + tail.size()) - std::int64_t(before);
        sourceOffset += std::int64_t(length) - added;
        line += std::count(chunk.begin(), chunk.end(), '\n');
        if (final)
            break;
    }
    return result;
}

} // namespace

class TestUtf8 : public QObject
{
    Q_OBJECT
private slots:
    void sequences_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("plain") << true;
        QTest::newRow("two bytes") << QByteArray("caf\xC3\xA9") << true;
        QTest::newRow("three bytes") << QByteArray("\xE2\x82\xAC") << true;
        QTest::newRow("four bytes") << QByteArray("\xF0\x9F\x98\x80") << true;
        QTest::newRow("stray continuation") << QByteArray("a\x80") << false;
        QTest::newRow("overlong") << QByteArray("\xC0\xAF") << false;
        QTest::newRow("overlong three") << QByteArray("\xE0\x80\xAF") << false;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << false;
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << false;
        QTest::newRow("cut at the end") << QByteArray("\xE2\x82") << false;
        QTest::newRow("latin-1") << QByteArray("caf\xE9") << false;
    }

    void sequences()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        const std::string_view text(bytes.constData(), std::size_t(bytes.size()));
        QCOMPARE(Utf8::isValid(text), valid);
        // Qt's own decoder is the independent judge: what it decodes without U+FFFD is valid.
        const QString decoded = QString::fromUtf8(bytes);
        QCOMPARE(!decoded.contains(QChar(0xFFFD)), valid);
        const std::string repaired = Utf8::repaired(text);
        QVERIFY(Utf8::isValid(repaired));
        if (valid)
            QCOMPARE(repaired, std::string(text));
        else
            QVERIFY(repaired.find(Utf8::Replacement) != std::string::npos);
    }

    void boundaryAndOneLine()
    {
        const std::string text = "ab\xE2\x82\xAC"; // "ab€"
        QCOMPARE(Utf8::boundary(text, 4), std::size_t(2));
        QCOMPARE(Utf8::boundary(text, 5), std::size_t(5));
        QCOMPARE(Utf8::boundary(text, 2), std::size_t(2));
        QCOMPARE(Utf8::characters(text), std::size_t(3));
        QCOMPARE(Utf8::oneLine("  a\n\n b\tc ", 10), std::string("a b c"));
        QCOMPARE(Utf8::oneLine("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 2), std::string("\xE2\x82\xAC\xE2\x82\xAC…"));
    }

    // The same text repaired in one piece and in chunks of every size gives the same bytes and the same places.
    void repairDoesNotDependOnChunks()
    {
        std::string input = "{\"a\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \\ud83d\\ude00 \\\\ud800 \\n\"}\n";
        input += "{\"b\":\"bad \xFF latin \xE9 lone \\ud800 low \\udc00x cut \xE2\x82\"}\n";
        input += "{\"c\":\"\\\\\\ud83dz \xF4\x90\x80\x80 ok\"}";
        const Repaired whole = repairInChunks(input, input.size());
        // What is expected, written out: a bad byte, a latin-1 byte, two lone surrogate escapes, a cut sequence (two
        // bytes, each replaced), a lone high surrogate after an escaped backslash, a code point above U+10FFFF (four
        // bytes).
        std::string expected = input;
        const auto replace = [&](const std::string& from, const std::string& to) {
            const auto at = expected.find(from);
            QVERIFY2(at != std::string::npos, from.c_str());
            expected.replace(at, from.size(), to);
        };
        const std::string fffd(Utf8::Replacement);
        replace("bad \xFF", "bad " + fffd);
        replace("latin \xE9", "latin " + fffd);
        replace("lone \\ud800", "lone \\ufffd");
        replace("low \\udc00", "low \\ufffd");
        replace("cut \xE2\x82", "cut " + fffd + fffd);
        replace("\\\\\\ud83dz", "\\\\\\ufffdz");
        replace("\xF4\x90\x80\x80", fffd + fffd + fffd + fffd);
        QCOMPARE(whole.text, expected);
        // The escaped backslash before "ud800" on the first line is text, not an escape: left alone.
        QVERIFY(whole.text.find("\\\\ud800") != std::string::npos);
        QCOMPARE(int(whole.places.size()), 2); // lines 2 and 3
        QCOMPARE(whole.places[0].line, std::int64_t(2));
        QCOMPARE(whole.places[0].offset, std::int64_t(input.find('\xFF')));
        QCOMPARE(whole.places[0].count, std::int64_t(6));
        QCOMPARE(whole.places[1].line, std::int64_t(3));
        QCOMPARE(whole.places[1].count, std::int64_t(5));
        for (std::size_t size = 1; size <= 24; ++size) {
            const Repaired chunked = repairInChunks(input, size);
            QCOMPARE(chunked.text, expected);
            std::int64_t count = 0;
            for (const auto& place : chunked.places)
                count += place.count;
            QCOMPARE(count, std::int64_t(11));
            QCOMPARE(chunked.places.front().offset, whole.places.front().offset);
        }
    }

    void randomBytesComeOutValid()
    {
        QRandomGenerator random(7);
        for (int round = 0; round < 200; ++round) {
            std::string input(std::size_t(random.bounded(1, 300)), '\0');
            for (char& c : input)
                c = char(random.bounded(256));
            const Repaired whole = repairInChunks(input, input.size());
            QVERIFY(Utf8::isValid(whole.text));
            QCOMPARE(repairInChunks(input, std::size_t(random.bounded(1, 40))).text, whole.text);
        }
    }
};

QTEST_GUILESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
