// The boundary between the server's transport (http_listener: sockets, HTTP/1.1 framing, limits,
// fault injection) and DVID's semantics (router and handlers). Plain data, no Asio.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dvidxfer::server {

// Thrown by HttpRequest::reserve_response when the answers built and not yet sent would pass the
// server's limit (max_pending_response_bytes). The transport answers it with its 503; handlers
// let it through.
struct ResponseBudgetExceeded : std::exception {
  explicit ResponseBudgetExceeded(std::uint64_t refused_bytes) : bytes(refused_bytes) {}
  const char* what() const noexcept override { return "answers waiting to be sent hold too much"; }
  std::uint64_t bytes;
};

// The transport's count of answers built and not yet sent, seen from a handler.
class ResponseBudget {
 public:
  // Counts `bytes` more for the current request, or throws ResponseBudgetExceeded.
  virtual void reserve(std::uint64_t bytes) = 0;

 protected:
  ~ResponseBudget() = default;
};

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", "PUT", "DELETE", ...
  std::string target;  // as received, e.g. "/api/node/ab12/kv/key/a%20b?u=x"
  std::string path;    // percent-decoded path without the query, e.g. "/api/node/ab12/kv/key/a b"
  std::string raw_query;                          // the part after '?', undecoded ("" if none)
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;  // the whole request body (Content-Length or chunked), possibly empty
  std::string remote_address;
  // The server's limit on request bodies (max_body_bytes): what a handler inflates a compressed
  // body to is held to it too.
  std::uint64_t max_body_bytes = UINT64_MAX;
  // Set by the transport for as long as the request is handled.
  ResponseBudget* response_budget = nullptr;

  // Before building an answer of about `bytes`, so that one the server cannot hold is refused
  // before it is allocated: throws ResponseBudgetExceeded (answered 503) when it would pass
  // max_pending_response_bytes. Once reserved, the answer is sent whatever its final size; the
  // transport counts the reservation until then, never the answer on top of it.
  void reserve_response(std::uint64_t bytes) const {
    if (response_budget) response_budget->reserve(bytes);
  }

  // First value of a query parameter, or `fallback`.
  std::string query_value(const std::string& name, const std::string& fallback = "") const {
    auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
  }
  bool has_query(const std::string& name) const { return query.count(name) != 0; }
  // First value of a header (name lower-case), or "".
  std::string header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_name) return value;
    return {};
  }
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type;                                  // "" sends no Content-Type
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;  // for HEAD requests the transport sends headers only

  static HttpResponse text(unsigned status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
  }
  static HttpResponse json(std::string body, unsigned status = 200) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
  }
  static HttpResponse octets(std::string body, unsigned status = 200) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/octet-stream";
    r.body = std::move(body);
    return r;
  }
};

// What the transport calls for every complete request. Implementations are thread-safe: the
// transport calls handle() concurrently from several threads.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual HttpResponse handle(const HttpRequest& request) = 0;
};

}  // namespace dvidxfer::server
