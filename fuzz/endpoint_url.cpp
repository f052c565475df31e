// Addresses and URLs: engine::parse_endpoint (an endpoint that parses re-parses from its origin to
// itself), percent-escaping (escaped text holds only unreserved characters and %XX, and unescapes
// to the original), and the client's UrlBuilder read back by the embedded server's target parser
// (path segments, query values and u=/app= arrive exactly as given).
#include <vector>

#include "dvidxfer/codecs/url_escape.hpp"
#include "dvidxfer/engine/endpoint.hpp"
#include "fuzz_check.hpp"
#include "transport/request_target.hpp"
#include "url_builder.hpp"

using namespace dvidxfer;

namespace {

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_hex_upper(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

void check_endpoint(std::string_view address) {
  const auto endpoint = engine::parse_endpoint(address);
  if (!endpoint) {
    FUZZ_CHECK(!endpoint.error().empty());
    return;
  }
  FUZZ_CHECK(!endpoint->host.empty() && endpoint->port != 0);
  const auto again = engine::parse_endpoint(endpoint->origin());
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *endpoint);
}

void check_escape(std::string_view text) {
  const std::string escaped = codecs::escape_url_component(text);
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '%') {
      FUZZ_CHECK(i + 2 < escaped.size() && is_hex_upper(escaped[i + 1]) &&
                 is_hex_upper(escaped[i + 2]));
      i += 2;
    } else {
      FUZZ_CHECK(is_unreserved(escaped[i]));
    }
  }
  FUZZ_CHECK(codecs::unescape_url_component(escaped, false) == std::string(text));
  FUZZ_CHECK(codecs::unescape_url_component(escaped, true) == std::string(text));
  // Decoding arbitrary text never grows it.
  if (const auto decoded = codecs::unescape_url_component(text, true))
    FUZZ_CHECK(decoded->size() <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Newline-separated parts: address, two path segments, a query value, a user.
  std::vector<std::string_view> parts;
  std::string_view rest = input;
  while (parts.size() < 4) {
    const auto newline = rest.find('\n');
    if (newline == std::string_view::npos) break;
    parts.push_back(rest.substr(0, newline));
    rest.remove_prefix(newline + 1);
  }
  parts.push_back(rest);
  parts.resize(5);

  check_endpoint(input);
  check_endpoint(parts[0]);
  check_escape(input);
  (void)server::parse_request_target(input);

  const std::string target = api::UrlBuilder("/api/node")
                                 .segment(parts[1])
                                 .segment(parts[2])
                                 .query("key", parts[3])
                                 .finish(parts[4], "fuzz");
  const auto parsed = server::parse_request_target(target);
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(parsed->path == "/api/node/" + std::string(parts[1]) + "/" + std::string(parts[2]));
  FUZZ_CHECK(parsed->query.size() == 3);
  const auto value = [&](const std::string& name) {
    const auto it = parsed->query.find(name);
    return it == parsed->query.end() ? std::string("<absent>") : it->second;
  };
  FUZZ_CHECK(value("key") == parts[3]);
  FUZZ_CHECK(value("u") == parts[4]);
  FUZZ_CHECK(value("app") == "fuzz");
  return 0;
}
