#include "transport/response_head.hpp"

#include <fmt/format.h>

#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace dvidxfer::server {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool status_allows_body(unsigned status) {
  return status >= 200 && status != 204 && status != 304;
}

std::string format_response_head(const HttpResponse& response, bool head_request, bool close) {
  namespace http = boost::beast::http;
  const auto reason = http::obsolete_reason(http::int_to_status(response.status));
  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", response.status,
                                 std::string_view(reason.data(), reason.size()));
  if (!response.content_type.empty())
    head += fmt::format("Content-Type: {}\r\n", response.content_type);
  bool explicit_length = false;
  for (const auto& [name, value] : response.headers) {
    if (same_name(name, "transfer-encoding") || same_name(name, "connection")) continue;
    if (same_name(name, "content-length")) {
      if (!head_request || explicit_length) continue;
      explicit_length = true;
    }
    head += fmt::format("{}: {}\r\n", name, value);
  }
  const bool bodyless = response.status < 200 || response.status == 204;
  if (!bodyless && !explicit_length)
    head += fmt::format("Content-Length: {}\r\n", response.body.size());
  if (close) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace dvidxfer::server
