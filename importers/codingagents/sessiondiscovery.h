#pragma once

#include "importissue.h"

#include <codingsession.h>

#include <atomic>
#include <string>
#include <vector>

namespace Tracelight {

// What `tracelight import` and the window do with the paths they are given.
struct ImportPlan
{
    std::vector<std::string> files; // absolute paths, in a stable order
    std::vector<ImportIssue> notes; // files left out, and why
};

// Files are taken as they are; folders are walked recursively and each file in them is recognized by content.
// Files no importer reads are left out with a note, and so are sub-agent logs whose session is in the plan too:
// they are imported with it, into its trace.
ImportPlan planImport(const std::vector<std::string>& paths, const std::atomic<bool>* cancel = nullptr);

// A folder where a coding agent keeps its sessions.
struct SessionLocation
{
    std::string agent; // "Claude Code", "Codex CLI", "Gemini CLI"
    std::string path;
};

// The usual places, from the environment: $CLAUDE_CONFIG_DIR (comma-separated) or ~/.claude and ~/.config/claude
// (projects/), $CODEX_HOME or ~/.codex (sessions/), ~/.gemini (tmp/). Only folders that exist are returned.
std::vector<SessionLocation> defaultSessionLocations();

// The sessions in those folders, newest first. Reads only the head of each file.
std::vector<CodingSession> discoverSessions(
    const std::vector<SessionLocation>& locations, const std::atomic<bool>* cancel = nullptr);

} // namespace Tracelight
