// Splits an HTTP request target into the decoded path and the query, as DVID (Go's net/url)
// sees them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dvidxfer::server {

struct RequestTarget {
  std::string path;                               // percent-decoded, without the query
  std::string raw_query;                          // after the first '?', undecoded
  std::multimap<std::string, std::string> query;  // decoded; '+' is a space
};

// Returns nullopt when the path holds a malformed escape (the request deserves a 400). Malformed
// query pairs are skipped, as Go's URL.Query() does.
std::optional<RequestTarget> parse_request_target(std::string_view target);

}  // namespace dvidxfer::server
