#include "isotime.h"

#include <QDateTime>

#include <cmath>

namespace Tracelight::IsoTime {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
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
    bool eat(char c)
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
    // A fraction of a second in nanoseconds; extra digits beyond nine are ignored.
    std::int64_t fraction()
    {
        std::int64_t ns = 0;
        int count = 0;
        while (peek() >= '0' && peek() <= '9') {
            if (count < 9) {
                ns = ns * 10 + (peek() - '0');
                ++count;
            }
            ++m_pos;
        }
        while (count++ < 9)
            ns *= 10;
        return ns;
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

std::optional<std::int64_t> toNs(int year, int month, int day, int hour, int minute, int second, std::int64_t fraction)
{
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60)
        return std::nullopt;
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second;
    return seconds * 1'000'000'000 + fraction;
}

} // namespace

std::optional<std::int64_t> parse(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    Cursor c(text);
    const auto year = c.digits(4);
    if (!year || !c.eat('-'))
        return std::nullopt;
    const auto month = c.digits(2);
    if (!month || !c.eat('-'))
        return std::nullopt;
    const auto day = c.digits(2);
    if (!day)
        return std::nullopt;
    int hour = 0, minute = 0, second = 0;
    std::int64_t fraction = 0;
    // A date alone is not a point in time: a trace time always has a time of day.
    if (!(c.eat('T') || c.eat('t') || c.eat(' ')))
        return std::nullopt;
    {
        const auto h = c.digits(2);
        if (!h || !c.eat(':'))
            return std::nullopt;
        const auto m = c.digits(2);
        if (!m)
            return std::nullopt;
        hour = *h;
        minute = *m;
        if (c.eat(':')) {
            const auto s = c.digits(2);
            if (!s)
                return std::nullopt;
            second = *s;
            if (c.eat('.') || c.eat(','))
                fraction = c.fraction();
        }
    }
    std::int64_t offsetSeconds = 0;
    if (c.eat('Z') || c.eat('z')) {
    } else if (c.peek() == '+' || c.peek() == '-') {
        const int sign = c.peek() == '-' ? -1 : 1;
        c.eat(c.peek());
        const auto oh = c.digits(2);
        if (!oh)
            return std::nullopt;
        c.eat(':');
        const auto om = c.atEnd() ? std::optional<int>(0) : c.digits(2);
        if (!om)
            return std::nullopt;
        offsetSeconds = sign * (*oh * 3600 + *om * 60);
    }
    if (!c.atEnd())
        return std::nullopt;
    // Out-of-range fields are errors, not carried over (2023-02-29 is not March 1st).
    static constexpr int monthDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    if (*month < 1 || *month > 12 || *day < 1 || *day > monthDays[*month - 1] + (*month == 2 && leap ? 1 : 0)
        || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    const auto ns = toNs(*year, *month, *day, hour, minute, second, fraction);
    if (!ns)
        return std::nullopt;
    return *ns - offsetSeconds * 1'000'000'000;
}

std::optional<std::int64_t> parseCompact(std::string_view text)
{
    Cursor c(text);
    const auto year = c.digits(4);
    const auto month = year ? c.digits(2) : std::nullopt;
    const auto day = month ? c.digits(2) : std::nullopt;
    if (!day || !c.eat('T'))
        return std::nullopt;
    const auto hour = c.digits(2);
    const auto minute = hour ? c.digits(2) : std::nullopt;
    const auto second = minute ? c.digits(2) : std::nullopt;
    if (!second)
        return std::nullopt;
    const std::int64_t fraction = c.fraction();
    if (!c.eat('Z') || !c.atEnd())
        return std::nullopt;
    return toNs(*year, *month, *day, *hour, *minute, *second, fraction);
}

std::optional<std::int64_t> fromJson(const nlohmann::json& value)
{
    if (value.is_string())
        return parse(value.get_ref<const std::string&>());
    if (!value.is_number())
        return std::nullopt;
    const double number = value.get<double>();
    if (!std::isfinite(number) || number <= 0)
        return std::nullopt;
    // Magnitudes of the present era: seconds ~1.7e9, milliseconds ~1.7e12, microseconds ~1.7e15, ns ~1.7e18.
    const std::int64_t scale = number >= 1e17 ? 1 : number >= 1e14 ? 1'000 : number >= 1e11 ? 1'000'000 : 1'000'000'000;
    if (number >= 9.2e18)
        return std::nullopt;
    // Integers stay exact; a double of milliseconds times 1e6 would round to a few hundred nanoseconds.
    if (value.is_number_integer() || value.is_number_unsigned())
        return value.get<std::int64_t>() * scale;
    const double whole = std::floor(number);
    return static_cast<std::int64_t>(whole) * scale
        + static_cast<std::int64_t>(std::llround((number - whole) * static_cast<double>(scale)));
}

std::string format(std::int64_t unixNs)
{
    const qint64 ms = unixNs >= 0 ? unixNs / 1000000 : -((-unixNs + 999999) / 1000000);
    return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODateWithMs).toStdString();
}

} // namespace Tracelight::IsoTime
