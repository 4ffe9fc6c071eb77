#include "atom.h"

#include <mutex>
#include <unordered_set>

namespace Tracelight {

namespace {

struct Pool
{
    std::mutex mutex;
    // Node-based: a pointer to an element stays valid while others are added.
    std::unordered_set<std::string> texts;
};

Pool& pool()
{
    static Pool instance;
    return instance;
}

} // namespace

const std::string& Atom::emptyString()
{
    static const std::string empty;
    return empty;
}

Atom::Atom(std::string_view text)
{
    if (text.empty())
        return;
    // Rows of one trace repeat the same value: the last one interned on this thread is checked first, unlocked.
    thread_local const std::string* last = nullptr;
    if (last && *last == text) {
        m_text = last;
        return;
    }
    Pool& p = pool();
    const std::lock_guard lock(p.mutex);
    m_text = &*p.texts.emplace(text).first;
    last = m_text;
}

} // namespace Tracelight
