#pragma once

#include "sourcerecord.h"

#include <cstdint>
#include <string>
#include <vector>

namespace Tracelight {

// A coding agent's session found on disk, as the "Open coding-agent sessions" dialog lists it.
struct CodingSession
{
    enum class State
    {
        New,
        Imported, // the cache has this file at this size
        Grown, // imported before, and the file has grown since
    };

    std::string agent; // "Claude Code", "Codex CLI", "Gemini CLI"
    std::string path;
    std::string sessionId;
    std::string project;
    std::int64_t startNs = 0;
    std::string firstPrompt;
    std::int64_t bytes = 0; // the session file and the sub-agent logs imported with it
    std::int64_t fileBytes = 0; // the session file alone
    int subagents = 0;
    State state = State::New;
};

// Compares sessions with the files the cache was imported from (by absolute path and size).
void markImported(std::vector<CodingSession>& sessions, const std::vector<SourceRecord>& sources);

} // namespace Tracelight
