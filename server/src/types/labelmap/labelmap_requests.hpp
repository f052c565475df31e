// Query parameters every labelmap/labelarray read takes (dvid-api.md 5.2).
#pragma once

#include <cstdint>
#include <string_view>

#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// strconv.Atoi: a decimal int64 with an optional sign; throws DvidError with Go's text.
std::int64_t go_atoi(std::string_view text);

// scale=N as DVID's getScale reads it: strconv.Atoi, then cast to uint8 (256 wraps to 0), 0
// when absent. Throws DvidError with Go's Atoi text after `error_prefix` (most handlers say
// "bad scale specified: ", raw and specificblocks nothing).
std::uint8_t scale_of(const HttpRequest& http, std::string_view error_prefix);

// supervoxels=true (only that literal string).
inline bool supervoxels_of(const HttpRequest& http) {
  return http.query_value("supervoxels") == "true";
}

}  // namespace dvidxfer::server
