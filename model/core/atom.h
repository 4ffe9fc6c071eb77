#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace Tracelight {

// An interned string: one pointer instead of a std::string, for the few-valued fields of a step (model, provider,
// tool, agent, service, operation) that a trace of a million steps repeats a million times (house style point 6).
// Interned texts live as long as the process; only low-cardinality fields may be atoms.
class Atom
{
public:
    Atom() = default;
    Atom(std::string_view text);
    Atom(const std::string& text)
        : Atom(std::string_view(text))
    { }
    Atom(const char* text)
        : Atom(std::string_view(text))
    { }

    const std::string& str() const { return m_text ? *m_text : emptyString(); }
    operator const std::string&() const { return str(); }
    operator std::string_view() const { return str(); }
    bool empty() const { return !m_text || m_text->empty(); }
    std::size_t size() const { return str().size(); }
    const char* c_str() const { return str().c_str(); }
    const char* data() const { return str().data(); }

    friend bool operator==(const Atom& a, const Atom& b) { return a.m_text == b.m_text || a.str() == b.str(); }
    friend bool operator==(const Atom& a, std::string_view b) { return a.str() == b; }
    friend bool operator==(const Atom& a, const std::string& b) { return a.str() == b; }
    friend bool operator==(const Atom& a, const char* b) { return a.str() == b; }
    friend auto operator<=>(const Atom& a, const Atom& b) { return a.str() <=> b.str(); }
    friend std::string operator+(const std::string& a, const Atom& b) { return a + b.str(); }
    friend std::string operator+(const Atom& a, const std::string& b) { return a.str() + b; }
    friend std::string operator+(const char* a, const Atom& b) { return a + b.str(); }
    friend std::string operator+(const Atom& a, const char* b) { return a.str() + b; }
    friend std::ostream& operator<<(std::ostream& out, const Atom& a) { return out << a.str(); }

private:
    static const std::string& emptyString();
    const std::string* m_text = nullptr;
};

} // namespace Tracelight

template <> struct std::hash<Tracelight::Atom>
{
    std::size_t operator()(const Tracelight::Atom& a) const { return std::hash<std::string>()(a.str()); }
};
