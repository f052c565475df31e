#include "transport/request_target.hpp"

#include "dvidxfer/codecs/url_escape.hpp"

namespace dvidxfer::server {

std::optional<RequestTarget> parse_request_target(std::string_view target) {
  using codecs::unescape_url_component;
  const auto question = target.find('?');
  auto path = unescape_url_component(target.substr(0, question), false);
  if (!path) return std::nullopt;
  RequestTarget parsed;
  parsed.path = std::move(*path);
  if (question == std::string_view::npos) return parsed;
  parsed.raw_query = std::string(target.substr(question + 1));
  std::string_view rest = parsed.raw_query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    auto key = unescape_url_component(pair.substr(0, equals), true);
    auto value = unescape_url_component(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (key && value) parsed.query.emplace(std::move(*key), std::move(*value));
  }
  return parsed;
}

}  // namespace dvidxfer::server
