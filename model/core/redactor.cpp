#include "redactor.h"

namespace Tracelight {

namespace {

QRegularExpression re(const QString& pattern)
{
    return QRegularExpression(pattern, QRegularExpression::UseUnicodePropertiesOption);
}

} // namespace

Redactor::Redactor(const QStringList& userPatterns)
{
    // Secrets first: a JWT or key holds runs of digits that the later rules would cut into pieces.
    m_rules.push_back({ QStringLiteral("api-key"), QStringLiteral("API_KEY"),
        re(QStringLiteral("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}" // JWT
                          "|\\bBearer\\s+[A-Za-z0-9._~+/=-]{8,}"
                          "|\\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}"
                          "|\\bAKIA[0-9A-Z]{16}\\b"
                          "|\\bgh[pousr]_[A-Za-z0-9]{30,}")),
        false });
    m_rules.push_back({ QStringLiteral("email"), QStringLiteral("EMAIL"),
        re(QStringLiteral("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}")), false });
    m_rules.push_back({ QStringLiteral("card"), QStringLiteral("CARD"),
        re(QStringLiteral("(?<![\\d.])\\d(?:[ -]?\\d){12,18}(?![\\d.])")), true });
    m_rules.push_back({ QStringLiteral("ipv6"), QStringLiteral("IP"),
        re(QStringLiteral("(?<![:\\w])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![:\\w])"
                          "|(?<![:\\w])(?:[0-9A-Fa-f]{1,4}:){1,6}(?::[0-9A-Fa-f]{1,4}){1,6}(?![:\\w])"
                          "|(?<![:\\w])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![:\\w])")),
        false });
    m_rules.push_back({ QStringLiteral("ipv4"), QStringLiteral("IP"),
        re(QStringLiteral("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
                          "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d.])")),
        false });
    // International numbers (+CC …) or the North American 3-3-4 grouping: a bare run of digits or a date is more
    // often an id or a timestamp than a phone number.
    m_rules.push_back({ QStringLiteral("phone"), QStringLiteral("PHONE"),
        re(QStringLiteral("(?<![\\w+])\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}(?!\\w)"
                          "|(?<![\\w+-])\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}(?![\\w-])")),
        false });
    for (const QString& pattern : userPatterns) {
        QRegularExpression user(pattern, QRegularExpression::UseUnicodePropertiesOption);
        if (!user.isValid() || pattern.isEmpty()) {
            m_errors << QStringLiteral("invalid pattern \"%1\": %2").arg(pattern, user.errorString());
            continue;
        }
        m_rules.push_back({ QStringLiteral("pattern:") + pattern, QStringLiteral("CUSTOM"), user, false });
    }
}

QStringList Redactor::rules() const
{
    QStringList names;
    for (const Rule& rule : m_rules)
        names << rule.name;
    return names;
}

bool Redactor::luhnValid(const QString& number)
{
    int sum = 0;
    int digits = 0;
    bool doubled = false;
    for (qsizetype i = number.size() - 1; i >= 0; --i) {
        const QChar c = number.at(i);
        if (!c.isDigit())
            continue;
        int d = c.digitValue();
        if (doubled) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        doubled = !doubled;
        ++digits;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
}

QString Redactor::placeholder(const Rule& rule, const QString& value)
{
    const auto it = m_placeholders.find(value);
    if (it != m_placeholders.end())
        return it->second;
    const QString text = QStringLiteral("[%1#%2]").arg(rule.label).arg(++m_counters[rule.label]);
    m_placeholders.emplace(value, text);
    return text;
}

QString Redactor::redact(const QString& text)
{
    QString result = text;
    for (const Rule& rule : m_rules) {
        QString next;
        qsizetype last = 0;
        auto matches = rule.pattern.globalMatch(result);
        while (matches.hasNext()) {
            const QRegularExpressionMatch m = matches.next();
            if (m.capturedLength() == 0)
                continue;
            const QString value = m.captured();
            // Placeholders already in the text are never redacted again.
            if (value.startsWith(QLatin1Char('[')) && value.endsWith(QLatin1Char(']'))
                && value.contains(QLatin1Char('#')))
                continue;
            if (rule.luhn && !luhnValid(value))
                continue;
            if (rule.label == QLatin1String("PHONE")) {
                int digits = 0;
                for (const QChar c : value)
                    digits += c.isDigit() ? 1 : 0;
                if (digits < 7 || digits > 15)
                    continue;
            }
            next += QStringView(result).mid(last, m.capturedStart() - last);
            next += placeholder(rule, value);
            last = m.capturedEnd();
        }
        if (last == 0)
            continue;
        next += QStringView(result).mid(last);
        result = next;
    }
    return result;
}

std::string Redactor::redact(const std::string& text)
{
    if (text.empty())
        return text;
    return redact(QString::fromStdString(text)).toStdString();
}

} // namespace Tracelight
