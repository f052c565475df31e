#include "dvidxfer/engine/endpoint.hpp"

#include <fmt/format.h>

#include <charconv>

namespace dvidxfer::engine {
namespace {

Result<Endpoint, std::string> invalid(std::string_view address, std::string_view why) {
  return fail(fmt::format("invalid DVID server address '{}': {}", address, why));
}

bool starts_with_case_insensitive(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string Endpoint::origin() const {
  return (tls ? "https://" : "http://") + host_header();
}

std::string Endpoint::host_header() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return ipv6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

Result<Endpoint, std::string> parse_endpoint(std::string_view address) {
  std::string_view rest = address;
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  Endpoint endpoint;
  if (starts_with_case_insensitive(rest, "https://")) {
    rest.remove_prefix(8);
    endpoint.tls = true;
    endpoint.port = 443;
  } else if (starts_with_case_insensitive(rest, "http://")) {
    rest.remove_prefix(7);
  } else if (const auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    return invalid(address, fmt::format("unsupported scheme '{}'", rest.substr(0, scheme_end)));
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    return invalid(address, "a path is not allowed, give only host and port");
  if (rest.empty()) return invalid(address, "the host is empty");

  std::string_view port_text;
  if (rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return invalid(address, "unterminated '[' in IPv6 host");
    endpoint.host = std::string(rest.substr(1, close - 1));
    const auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid(address, "expected ':' after ']'");
      port_text = after.substr(1);
      if (port_text.empty()) return invalid(address, "the port after ':' is empty");
    }
  } else {
    const auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon)
      return invalid(address, "IPv6 hosts must be written in brackets, e.g. [::1]:8000");
    endpoint.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return invalid(address, "the port after ':' is empty");
    }
  }
  if (endpoint.host.empty()) return invalid(address, "the host is empty");
  // A host that origin() could not write back as the same address ("[[]" gave host "[") is
  // refused, with user info, queries and fragments, which an address never carries.
  for (const char c : endpoint.host) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7f || c == '[' || c == ']' || c == '@' || c == '?' || c == '#')
      return invalid(address, byte <= ' ' || byte == 0x7f
                                  ? "the host contains a space or a control character"
                                  : fmt::format("the host contains '{}'", c));
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535)
      return invalid(address, fmt::format("port '{}' is not a number in 1..65535", port_text));
    endpoint.port = static_cast<std::uint16_t>(value);
  }
  return endpoint;
}

}  // namespace dvidxfer::engine
