// Small JSON output helpers (parsing is simdjson's job).
#pragma once

#include <string>
#include <string_view>

namespace dvidxfer::codecs {

// `text` as a JSON string literal, quotes included. Control characters, quotes and backslashes
// are escaped; bytes that are not valid UTF-8 become \u00XX so the output is always valid JSON.
std::string json_quote(std::string_view text);

// Appends json_quote(text) to `out`.
void append_json_quoted(std::string& out, std::string_view text);

}  // namespace dvidxfer::codecs
