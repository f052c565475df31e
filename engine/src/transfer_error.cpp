#include "dvidxfer/engine/transfer_error.hpp"

#include <fmt/format.h>

namespace dvidxfer::engine {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::connect:
      return "connect failed";
    case ErrorKind::timeout:
      return "timed out";
    case ErrorKind::connection:
      return "connection failed";
    case ErrorKind::protocol:
      return "protocol error";
    case ErrorKind::cancelled:
      return "cancelled";
    case ErrorKind::http_status:
      return "HTTP error";
    case ErrorKind::admission:
      return "not admitted";
    case ErrorKind::tls:
      return "TLS error";
  }
  return "error";
}

std::string body_excerpt(std::string_view body, std::size_t limit) {
  std::string out;
  const auto n = std::min(body.size(), limit);
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    out.push_back((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' ? static_cast<char>(c) : '?');
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  if (body.size() > limit) out += "...";
  return out;
}

std::string TransferError::describe() const {
  std::string text = fmt::format("{} {}: {}", method, url, message);
  if (status != 0) text += fmt::format(" (HTTP {})", status);
  if (attempts > 1) text += fmt::format(" after {} attempts", attempts);
  if (!body_excerpt.empty()) text += fmt::format(": {}", body_excerpt);
  return text;
}

}  // namespace dvidxfer::engine
