#include "dvidxfer/engine/resource_manager_protocol.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

namespace dvidxfer::engine::resource_manager {

namespace {

// A JSON string literal; the resource is a URL, but nothing stops a caller from naming it freely.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::uint64_t datasize(const AdmissionRequest& request) {
  return request.read ? std::max<std::uint64_t>(request.bytes, 1) : request.bytes;
}

std::string request_message(const AdmissionRequest& request) {
  return fmt::format(R"({{"type":"request","resource":{},"numopts":1,"datasize":{},"read":{}}})",
                     json_string(request.resource), datasize(request), request.read);
}

std::string hold_message(std::uint64_t id) {
  return fmt::format(R"({{"type":"hold","id":{}}})", id);
}

std::string release_message(std::uint64_t id) {
  return fmt::format(R"({{"type":"release","id":{}}})", id);
}

Result<RequestReply, std::string> parse_request_reply(std::string_view reply) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(reply.data(), reply.size()).get(root))
    return fail(fmt::format("a reply that is not JSON: {:.200}", reply));
  RequestReply out;
  if (root["id"].get(out.id))
    return fail(fmt::format("a reply without a numeric \"id\": {:.200}", reply));
  if (root["available"].get(out.available))
    return fail(fmt::format("a reply without a boolean \"available\": {:.200}", reply));
  bool invalid = false;
  if (!root["invalid"].get(invalid)) out.invalid = invalid;
  return out;
}

std::optional<std::uint64_t> announced_id(std::string_view message) {
  const std::string_view word = message.substr(0, message.find(' '));
  std::uint64_t id = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), id);
  const bool canonical = !word.empty() && (word.size() == 1 || word.front() != '0');
  if (!canonical || error != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return id;
}

}  // namespace dvidxfer::engine::resource_manager
