#pragma once

#include <step.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace Tracelight::Otlp {

// Normalizes a trace or span id: hex of any case → lowercase; base64 of the right length (a protobuf-JSON
// mapping mistake some producers make) → hex. nullopt for anything else, and for an all-zero id.
std::optional<std::string> normalizeId(const nlohmann::json& value, std::size_t bytes);

Resource resourceFrom(const nlohmann::json& resource);
Scope scopeFrom(const nlohmann::json& scope);

// "Type: message" of the first "exception" event in an OTLP JSON event list; empty when there is none.
std::string exceptionMessage(const nlohmann::json& events);

// Converts one OTLP span (as a DOM) into a step. Returns false, with a reason, for a span that cannot be
// imported (no valid ids); problems that still allow the import are added to warnings.
bool stepFrom(const nlohmann::json& span, Step& step, std::string& reason, std::vector<std::string>& warnings);

} // namespace Tracelight::Otlp
