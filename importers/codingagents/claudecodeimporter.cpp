#include "claudecodesession.h"
#include "codingagentimporters.h"
#include "sessionfiles.h"

namespace Tracelight {

int ClaudeCodeImporter::probe(std::string_view head) const
{
    const SessionFiles::Kind kind = SessionFiles::classify(head, false).kind;
    // Above OTLP's 90: a session that talks about OTLP still mentions "resourceSpans" in its first megabyte.
    return kind == SessionFiles::Kind::ClaudeSession || kind == SessionFiles::Kind::ClaudeSubagent ? 95 : 0;
}

void ClaudeCodeImporter::read(ImportJob& job)
{
    ClaudeCodeSession session(job);
    session.readSession();
    if (job.context().cancelled())
        return;
    if (session.records() == 0)
        throw ImportFailure({}, "no Claude Code records in the file (every line was empty or malformed)");
    if (!session.isSubagentFile()) {
        for (const std::string& path : SessionFiles::claudeSubagentFiles(job.file(), session.sessionId())) {
            if (job.context().cancelled())
                return;
            session.readAgentFile(path);
        }
    }
    session.finish();
}

} // namespace Tracelight
