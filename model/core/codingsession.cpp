#include "codingsession.h"

#include <QFileInfo>

#include <unordered_map>

namespace Tracelight {

void markImported(std::vector<CodingSession>& sessions, const std::vector<SourceRecord>& sources)
{
    std::unordered_map<std::string, std::int64_t> largest; // path → largest size imported
    for (const SourceRecord& source : sources) {
        const std::string path = QFileInfo(QString::fromStdString(source.path)).absoluteFilePath().toStdString();
        auto [it, inserted] = largest.emplace(path, source.size);
        if (!inserted)
            it->second = std::max(it->second, source.size);
    }
    for (CodingSession& session : sessions) {
        const auto it = largest.find(QFileInfo(QString::fromStdString(session.path)).absoluteFilePath().toStdString());
        if (it == largest.end())
            session.state = CodingSession::State::New;
        else
            session.state
                = session.fileBytes > it->second ? CodingSession::State::Grown : CodingSession::State::Imported;
    }
}

} // namespace Tracelight
