// Text formats DVID gets from Go's standard library, reproduced so responses match byte for byte:
// encoding/json strings, time.Time in JSON and String(), time.Duration and %v of a float64.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace dvidxfer::server {

// json.Marshal of a Go string: quotes, \" \\ \n \r \t \b \f, other controls as \u00xx, HTML
// characters < > & as \u003c \u003e \u0026, U+2028/U+2029 escaped, invalid UTF-8 as \ufffd.
std::string go_json_string(std::string_view text);
void append_go_json_string(std::string& out, std::string_view text);

// time.Time as encoding/json writes it (RFC 3339 with trimmed nanoseconds), in UTC.
std::string go_json_time(std::chrono::system_clock::time_point time);
// time.Format(time.RFC3339) in UTC, e.g. "2026-06-22T10:00:00Z": DVID's log-entry prefix.
std::string go_rfc3339(std::chrono::system_clock::time_point time);
// time.Time.String() in UTC, e.g. "2026-06-22 10:00:00.123456789 +0000 UTC".
std::string go_time_string(std::chrono::system_clock::time_point time);
// time.Duration.String(), e.g. "1h2m3.5s", "1.5ms", "0s".
std::string go_duration_string(std::chrono::nanoseconds duration);
// fmt's %v of a float64 (what Go prints for a JSON number): shortest digits, exponent form
// when the decimal exponent is < -4 or >= 6, e.g. "4", "0.5", "1e+06".
std::string go_float_string(double value);

}  // namespace dvidxfer::server
