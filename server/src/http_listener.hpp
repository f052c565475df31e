// HttpListener: a generic HTTP/1.1 server over a RequestHandler. It owns the sockets (keep-alive,
// Content-Length and chunked request bodies, header and body limits, malformed input), runs the
// synchronous handler off the I/O threads, serves /api/server/faults and applies the
// FaultInjector's decisions (latency, bandwidth caps, 503/500, resets, truncations).
// Asio stays in the .cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fault_injector.hpp"
#include "http_exchange.hpp"

namespace dvidxfer::server {

struct ListenerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                     // 0 picks a free port
  unsigned io_threads = 2;                    // threads doing socket I/O for all connections
  unsigned handler_threads = 0;               // threads running handle(); 0 = max(2, io_threads)
  std::size_t max_header_bytes = 64 * 1024;   // larger request headers get 431 and a close
  std::uint64_t max_body_bytes = 3ull << 30;  // larger request bodies get 413 and a close
  std::string auth_token{};  // when set, requests without "Authorization: Bearer <it>" get 401
};

class HttpListener {
 public:
  // Binds and listens before returning, then serves on its own threads. `handler` and `faults`
  // must outlive the listener. Throws std::runtime_error naming host and port if binding fails.
  HttpListener(ListenerConfig config, RequestHandler& handler, FaultInjector& faults);
  // Stops (see stop()).
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // The bound port (the chosen one when the configuration asked for 0).
  std::uint16_t port() const noexcept;

  // Stops accepting, closes every live connection, waits for running handlers and joins all
  // threads. Idempotent and thread-safe; must not be called from inside a handler.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dvidxfer::server
