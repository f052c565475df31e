// Endpoint: where a DVID server listens, parsed from what users type ("host:port",
// "http://host:port", with or without a trailing '/').
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::engine {

struct Endpoint {
  std::string host;  // name or address; IPv6 literals without brackets
  std::uint16_t port = 80;

  // "http://host:port" (IPv6 literals bracketed), the prefix of every request URL.
  std::string origin() const;
  // The value of the Host header.
  std::string host_header() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses "host", "host:port", "http://host[:port][/]" and "[v6]:port". "https://" gives an error
// saying TLS is not supported yet; any other scheme, an empty host, a host holding brackets, '@',
// '?', '#', spaces or control characters, a bad port or a path gives an error naming the address
// and what is wrong with it.
Result<Endpoint, std::string> parse_endpoint(std::string_view address);

}  // namespace dvidxfer::engine
