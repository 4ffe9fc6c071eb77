#include "codexrollout.h"
#include "codingagentimporters.h"
#include "sessionfiles.h"

namespace Tracelight {

int CodexImporter::probe(std::string_view head) const
{
    const SessionFiles::Kind kind = SessionFiles::classify(head, false).kind;
    return kind == SessionFiles::Kind::CodexRollout || kind == SessionFiles::Kind::CodexSubagent ? 95 : 0;
}

void CodexImporter::read(ImportJob& job)
{
    CodexRollout rollout(job);
    rollout.readMain();
    if (job.context().cancelled())
        return;
    if (rollout.records() == 0)
        throw ImportFailure({}, "no Codex rollout records in the file (every line was empty or malformed)");
    if (!rollout.sawSessionMeta())
        job.warn("line 1", "no readable session_meta line; the thread id is taken from the file name");
    rollout.readChildren();
    rollout.finish();
}

} // namespace Tracelight
