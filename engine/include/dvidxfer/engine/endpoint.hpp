// Endpoint: where a DVID server listens and whether it speaks TLS, parsed from what users type
// ("host:port", "http://host:port", "https://host", with or without a trailing '/').
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::engine {

struct Endpoint {
  std::string host;  // name or address; IPv6 literals without brackets
  std::uint16_t port = 80;
  bool tls = false;  // https://

  // "http://host:port" or "https://host:port" (IPv6 literals bracketed), the prefix of every
  // request URL.
  std::string origin() const;
  // The value of the Host header.
  std::string host_header() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses "host", "host:port", "http://host[:port][/]", "https://host[:port][/]" (TLS, port 443 by
// default) and "[v6]:port". Any other scheme, an empty host, a host holding brackets, '@', '?',
// '#', spaces or control characters, a bad port or a path gives an error naming the address and
// what is wrong with it.
Result<Endpoint, std::string> parse_endpoint(std::string_view address);

}  // namespace dvidxfer::engine
