// The embedded server's request path without sockets: the fuzzer's bytes are one or more pipelined
// HTTP/1.1 requests, parsed by Beast with the listener's body type and limits, turned into
// HttpRequest by to_http_request (target split and percent-decoded) and answered by a fresh Router
// holding a repo with one instance of every type (and the fault-control endpoint). "@U" in the
// bytes becomes the repo's uuid. Checked: every answer has a valid status and a header block
// without injected lines, a JSON 200 is valid JSON, and no handler fails with a C++ library
// exception (DVID's deliberate panics say "runtime error:").
#include <simdjson.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <memory>

#include "dvid/router.hpp"
#include "faults/fault_control.hpp"
#include "fuzz_check.hpp"
#include "transport/parsed_request.hpp"
#include "transport/response_head.hpp"

using namespace dvidxfer;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxRequests = 16;
constexpr std::size_t kMaxBodyBytes = 1 << 20;

server::HttpRequest synthetic(std::string method, std::string path, std::string body) {
  server::HttpRequest request;
  request.method = std::move(method);
  request.target = path;
  request.path = std::move(path);
  request.body = std::move(body);
  return request;
}

// A router with one repo holding keyvalue, uint8blk, labelblk + synced labelvol, roi, imagetile
// and labelgraph instances; returns the repo's uuid.
std::string populate(server::Router& router) {
  const auto created = router.handle(synthetic("POST", "/api/repos", ""));
  FUZZ_CHECK(created.status == 200);
  simdjson::dom::parser parser;
  std::string_view root;
  FUZZ_CHECK(!parser.parse(simdjson::padded_string(created.body))["root"].get(root));
  const std::string uuid(root);
  const std::pair<const char*, const char*> instances[] = {
      {"keyvalue", "kv"}, {"uint8blk", "gray"},   {"labelblk", "labels"}, {"labelvol", "bodies"},
      {"roi", "roi"},     {"imagetile", "tiles"}, {"labelgraph", "graph"}};
  for (const auto& [type, name] : instances) {
    const auto response = router.handle(
        synthetic("POST", "/api/repo/" + uuid + "/instance",
                  std::string(R"({"typename":")") + type + R"(","dataname":")" + name + "\"}"));
    FUZZ_CHECK(response.status == 200);
  }
  const auto synced = router.handle(
      synthetic("POST", "/api/node/" + uuid + "/bodies/sync", R"({"sync":"labels"})"));
  FUZZ_CHECK(synced.status == 200);
  return uuid;
}

std::string replace_placeholder(std::string_view input, const std::string& uuid) {
  std::string out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '@' && i + 1 < input.size() && input[i + 1] == 'U') {
      out += uuid;
      ++i;
    } else {
      out += input[i];
    }
  }
  return out;
}

bool is_library_exception(std::string_view body) {
  static constexpr std::string_view kTexts[] = {
      "basic_string", "vector::", "map::at", "std::bad_",    "stoi",
      "stol",         "stoul",    "stod",    "bad_optional", "bad_variant"};
  for (const auto text : kTexts)
    if (body.find(text) != std::string_view::npos) return true;
  return false;
}

void check_response(const server::HttpResponse& response, bool head_request, bool close) {
  FUZZ_CHECK(response.status >= 100 && response.status <= 599);
  for (const auto& [name, value] : response.headers)
    FUZZ_CHECK(name.find_first_of("\r\n") == std::string::npos &&
               value.find_first_of("\r\n") == std::string::npos);
  FUZZ_CHECK(response.content_type.find_first_of("\r\n") == std::string::npos);
  const std::string head = server::format_response_head(response, head_request, close);
  FUZZ_CHECK(head.starts_with("HTTP/1.1 ") && head.ends_with("\r\n\r\n"));
  FUZZ_CHECK(head.find("\r\n\r\n") == head.size() - 4);
  if (response.status == 500 && is_library_exception(response.body)) {
    std::fprintf(stderr, "handler failed with a library exception: %s\n", response.body.c_str());
    std::abort();
  }
  if (response.status == 200 && response.content_type == "application/json" && !head_request) {
    simdjson::dom::parser parser;
    const auto parsed = parser.parse(simdjson::padded_string(response.body));
    if (parsed.error()) {
      std::fprintf(stderr, "invalid JSON in a 200 answer: %.300s\n", response.body.c_str());
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  server::Router router(server::DvidSettings{});
  server::FaultInjector faults;
  const std::string uuid = populate(router);
  const std::string bytes =
      replace_placeholder(std::string_view(reinterpret_cast<const char*>(data), size), uuid);

  std::string_view rest = bytes;
  for (std::size_t n = 0; n < kMaxRequests && !rest.empty(); ++n) {
    http::request_parser<server::ReceivedStringBody> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(kMaxBodyBytes);
    parser.eager(true);
    while (!parser.is_done()) {
      boost::system::error_code ec;
      const std::size_t used =
          rest.empty() ? 0 : parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      FUZZ_CHECK(used <= rest.size());
      rest.remove_prefix(used);
      if (ec && ec != http::error::need_more) return 0;  // the listener answers 400 or closes
      if (used == 0) {
        if (!rest.empty()) return 0;  // Beast wants more than is left: the peer would wait
        parser.put_eof(ec);           // the peer closed: only a body ended by EOF completes
        if (ec || !parser.is_done()) return 0;
      }
    }
    auto& message = parser.get();
    const bool keep_alive = message.keep_alive();
    auto request = server::to_http_request(message, "127.0.0.1:40000");
    if (!request) return 0;  // a malformed escape: 400 and close
    FUZZ_CHECK(request->path.size() <= request->target.size());  // decoding never grows
    const server::HttpResponse response = server::is_fault_control_request(*request)
                                              ? server::handle_fault_control(*request, faults)
                                              : router.handle(*request);
    check_response(response, request->method == "HEAD", !keep_alive);
    if (!keep_alive) break;
  }
  return 0;
}
