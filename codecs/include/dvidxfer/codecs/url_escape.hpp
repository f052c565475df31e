// Percent-encoding for URL path segments and query values (RFC 3986), and decoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dvidxfer::codecs {

// Escapes everything but unreserved characters (A-Z a-z 0-9 - . _ ~), so a segment never adds a
// path separator, query or fragment. Used for instance names, keys and query values.
std::string escape_url_component(std::string_view text);

// Decodes %XX escapes (and, when plus_is_space, '+' as ' ', as in query strings).
// Returns nullopt on a malformed escape (a '%' not followed by two hex digits).
std::optional<std::string> unescape_url_component(std::string_view text, bool plus_is_space);

}  // namespace dvidxfer::codecs
