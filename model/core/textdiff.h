#pragma once

#include <QString>

#include <vector>

namespace Tracelight::TextDiff {

enum class Op
{
    Equal,
    Delete, // only in the old text
    Insert, // only in the new text
};

struct Segment
{
    Op op;
    QString text;
};

// Texts longer than this many tokens are compared on their first MaxTokens tokens; the rest is one segment each.
inline constexpr int MaxTokens = 100'000;

// A word-level diff: words, runs of spaces and single punctuation marks are the units, so "refund 89.99" against
// "refund 98.99" changes one word, not the line. Consecutive units of one kind are merged into one segment.
std::vector<Segment> words(const QString& oldText, const QString& newText);
// Splits into the diff's units (exposed for tests).
QStringList tokens(const QString& text);

} // namespace Tracelight::TextDiff
