#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace Tracelight {

// Replaces personal data and secrets in report texts by typed placeholders, "[EMAIL#1]": the same value gets the
// same placeholder everywhere one Redactor is used, so a reader can still follow a value through a report.
//
// Rules, applied in this order so that a longer match wins over the digits inside it: API keys and tokens (sk-…,
// Bearer …, AKIA…, ghp_…, JWTs), e-mail addresses, payment card numbers (13–19 digits, Luhn-checked), IPv6 and IPv4
// addresses, phone numbers, then the user's own patterns ([CUSTOM#n]).
class Redactor
{
public:
    // Invalid user patterns are reported in errors() and skipped.
    explicit Redactor(const QStringList& userPatterns = {});

    QString redact(const QString& text);
    std::string redact(const std::string& text);

    // Names of the rules that run ("email", "phone", …, "pattern:RE").
    QStringList rules() const;
    const QStringList& errors() const { return m_errors; }
    // How many distinct values were replaced.
    int replacements() const { return int(m_placeholders.size()); }

    static bool luhnValid(const QString& digits);

private:
    struct Rule
    {
        QString name;
        QString label; // placeholder type: EMAIL, PHONE, …
        QRegularExpression pattern;
        bool luhn = false;
    };
    QString placeholder(const Rule& rule, const QString& value);

    std::vector<Rule> m_rules;
    std::map<QString, QString> m_placeholders; // value → placeholder
    std::map<QString, int> m_counters; // label → last number
    QStringList m_errors;
};

} // namespace Tracelight
