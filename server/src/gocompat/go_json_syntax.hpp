// The syntax check encoding/json runs before decoding (scanner.go's checkValid), with its texts:
// DVID passes them on in 400s for JSON bodies it reads with json.Unmarshal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dvidxfer::server {

// Go's SyntaxError text for `json` ("unexpected end of JSON input", "invalid character 'x'
// looking for beginning of value", ...), or nothing when the document is valid. Nesting depth is
// not limited here.
std::optional<std::string> go_json_syntax_error(std::string_view json);

}  // namespace dvidxfer::server
