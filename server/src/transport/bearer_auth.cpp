#include "transport/bearer_auth.hpp"

#include <fmt/format.h>

#include "dvid/dvid_errors.hpp"
#include "gocompat/ascii_case.hpp"

namespace dvidxfer::server {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The token of "Bearer <token>" (scheme case-insensitive), or "".
std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      ascii_lower(authorization.substr(0, kScheme.size())) != kScheme)
    return {};
  return trim(authorization.substr(kScheme.size()));
}

// The value of the dsg_token cookie in a Cookie header, or "".
std::string_view cookie_token(std::string_view cookies) {
  while (!cookies.empty()) {
    const auto end = cookies.find(';');
    const auto pair = trim(cookies.substr(0, end));
    if (pair.starts_with("dsg_token=")) return pair.substr(10);
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return {};
}

// Compares without stopping at the first difference, so timing tells nothing about the token
// (`expected` is not empty).
bool same_token(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return difference == 0;
}

}  // namespace

std::optional<HttpResponse> refuse_unauthorized(const HttpRequest& request,
                                                std::string_view token) {
  if (token.empty()) return std::nullopt;
  const std::string authorization = request.header("authorization");
  const std::string cookies = request.header("cookie");
  std::string_view given = bearer_token(authorization);
  if (given.empty()) given = cookie_token(cookies);
  if (given.empty())
    return http_error(401, fmt::format("dsg token required via Authorization header or dsg_token "
                                       "cookie ({}).",
                                       request.path));
  if (!same_token(given, token))
    return http_error(401, fmt::format("invalid DSG token ({}).", request.path));
  return std::nullopt;
}

}  // namespace dvidxfer::server
