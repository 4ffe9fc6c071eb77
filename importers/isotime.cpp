#include "isotime.h"

#include <limits>

namespace Tracelight {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

class Cursor
{
public:
    explicit Cursor(std::string_view text)
        : m_text(text)
    { }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    // Exactly n digits.
    std::optional<int> digits(int n)
    {
        int value = 0;
        for (int i = 0; i < n; ++i) {
            const char c = peek();
            if (c < '0' || c > '9')
                return std::nullopt;
            value = value * 10 + (c - '0');
            ++m_pos;
        }
        return value;
    }
    bool isDigit() const { return peek() >= '0' && peek() <= '9'; }
    void skip() { ++m_pos; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

} // namespace

std::optional<std::int64_t> parseIsoTimeNs(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    Cursor c(text);
    const auto year = c.digits(4);
    if (!year || !c.take('-'))
        return std::nullopt;
    const auto month = c.digits(2);
    if (!month || !c.take('-'))
        return std::nullopt;
    const auto day = c.digits(2);
    if (!day || *month < 1 || *month > 12 || *day < 1)
        return std::nullopt;
    static constexpr int monthDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (*day > monthDays[*month - 1] + (*month == 2 && isLeap(*year) ? 1 : 0))
        return std::nullopt;
    if (!(c.take('T') || c.take('t') || c.take(' ')))
        return std::nullopt;
    const auto hour = c.digits(2);
    if (!hour || !c.take(':'))
        return std::nullopt;
    const auto minute = c.digits(2);
    if (!minute)
        return std::nullopt;
    int second = 0;
    if (c.take(':')) {
        const auto s = c.digits(2);
        if (!s)
            return std::nullopt;
        second = *s;
    }
    if (*hour > 23 || *minute > 59 || second > 60) // 60: a leap second, folded into the next minute
        return std::nullopt;
    std::int64_t fraction = 0;
    if (c.take('.') || c.take(',')) {
        if (!c.isDigit())
            return std::nullopt;
        int used = 0;
        while (c.isDigit()) {
            if (used < 9) {
                fraction = fraction * 10 + (c.peek() - '0');
                ++used;
            }
            c.skip();
        }
        for (; used < 9; ++used)
            fraction *= 10;
    }
    std::int64_t offsetSeconds = 0;
    if (c.take('Z') || c.take('z')) {
    } else if (c.peek() == '+' || c.peek() == '-') {
        const int sign = c.peek() == '-' ? -1 : 1;
        c.skip();
        const auto hours = c.digits(2);
        if (!hours)
            return std::nullopt;
        int minutes = 0;
        if (!c.atEnd()) {
            c.take(':');
            const auto m = c.digits(2);
            if (!m)
                return std::nullopt;
            minutes = *m;
        }
        if (*hours > 23 || minutes > 59)
            return std::nullopt;
        offsetSeconds = sign * (*hours * 3600 + minutes * 60);
    }
    if (!c.atEnd())
        return std::nullopt;
    const std::int64_t seconds
        = daysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 + *hour * 3600
        + *minute * 60 + second - offsetSeconds;
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;
    if (seconds > limit || seconds < -limit)
        return std::nullopt;
    return seconds * 1'000'000'000 + fraction;
}

} // namespace Tracelight
