#include "textdiff.h"

#include "runcomparison.h"

#include <QHash>

namespace Tracelight::TextDiff {

QStringList tokens(const QString& text)
{
    QStringList out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text.at(i);
        qsizetype j = i + 1;
        if (c.isLetterOrNumber() || c == QLatin1Char('_')) {
            while (j < n && (text.at(j).isLetterOrNumber() || text.at(j) == QLatin1Char('_')))
                ++j;
        } else if (c.isSpace()) {
            while (j < n && text.at(j).isSpace())
                ++j;
        } else if (c.isHighSurrogate() && j < n) {
            ++j;
        }
        out.append(text.mid(i, j - i));
        i = j;
    }
    return out;
}

std::vector<Segment> words(const QString& oldText, const QString& newText)
{
    QStringList a = tokens(oldText);
    QStringList b = tokens(newText);
    QString restA;
    QString restB;
    if (a.size() > MaxTokens) {
        restA = a.mid(MaxTokens).join(QString());
        a = a.mid(0, MaxTokens);
    }
    if (b.size() > MaxTokens) {
        restB = b.mid(MaxTokens).join(QString());
        b = b.mid(0, MaxTokens);
    }
    std::vector<std::size_t> keysA;
    std::vector<std::size_t> keysB;
    keysA.reserve(std::size_t(a.size()));
    keysB.reserve(std::size_t(b.size()));
    for (const QString& t : std::as_const(a))
        keysA.push_back(qHash(t));
    for (const QString& t : std::as_const(b))
        keysB.push_back(qHash(t));

    std::vector<Segment> segments;
    const auto append = [&](Op op, const QString& text) {
        if (text.isEmpty())
            return;
        if (!segments.empty() && segments.back().op == op)
            segments.back().text += text;
        else
            segments.push_back({ op, text });
    };
    for (const auto& [i, j] : alignSequences(keysA, keysB)) {
        if (i >= 0 && j >= 0 && a.at(i) == b.at(j))
            append(Op::Equal, a.at(i));
        else {
            if (i >= 0)
                append(Op::Delete, a.at(i));
            if (j >= 0)
                append(Op::Insert, b.at(j));
        }
    }
    append(Op::Delete, restA);
    append(Op::Insert, restB);
    return segments;
}

} // namespace Tracelight::TextDiff
