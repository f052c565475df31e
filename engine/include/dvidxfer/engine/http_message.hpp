// Request and Response as the engine sees them: plain data, no Beast types.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dvidxfer::engine {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";  // HEAD, GET, POST, PUT, DELETE (any token is sent as given)
  std::string target;          // origin-form: "/api/node/<uuid>/kv/key/a?u=x&app=y", escaped
  Headers headers;             // extra headers; Host, Content-Length and User-Agent are added
  std::string body;            // sent with Content-Length when non-empty or when method has bodies
  // When set, sent instead of `body` without a copy; the bytes must outlive the request.
  std::string_view borrowed_body;
  // Whether sending it twice is harmless. Non-idempotent requests are retried only when the
  // server certainly did not process them (connect failures, 503 from DVID's throttle).
  bool idempotent = true;
  // Told before each retry: the status that caused it (0 for a transport error). Volume calls
  // use it as a congestion signal. Called on an I/O thread; must not block.
  std::function<void(unsigned status)> on_retry;
  // For a read, how many bytes the answer is expected to hold (an admission authority weighs
  // requests by it); 0 when unknown.
  std::uint64_t expected_response_bytes = 0;
  // When set, the largest answer this request accepts, below the client's own limit: a volume
  // chunk knows its size, so a server sending far more is refused instead of buffered.
  std::size_t max_response_bytes = 0;

  std::string_view payload() const noexcept {
    return borrowed_body.empty() ? std::string_view(body) : borrowed_body;
  }
};

struct Response {
  unsigned status = 0;
  Headers headers;               // names as the server sent them
  std::string body;              // empty when the body went to a caller's buffer (direct_bytes)
  std::size_t direct_bytes = 0;  // bytes written into the caller's buffer
  int attempts = 1;              // how many times the request was sent to get this answer

  // First header value whose name matches case-insensitively, or "".
  std::string_view header(std::string_view name) const;
};

}  // namespace dvidxfer::engine
