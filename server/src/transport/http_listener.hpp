// HttpListener: a generic HTTP/1.1 server, plain or HTTPS, over a RequestHandler. It owns the
// sockets (TLS, keep-alive, Content-Length and chunked request bodies, header and body limits,
// malformed input), refuses requests without the bearer token when one is set, runs the
// synchronous handler off the I/O threads, serves /api/server/faults and applies the
// FaultInjector's decisions (latency, bandwidth caps, 503/500, resets, truncations). It bounds what
// a hostile client can hold: time limits on every read and write, and a connection cap.
// Asio stays in the .cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "faults/fault_injector.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

struct ListenerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                     // 0 picks a free port
  unsigned io_threads = 2;                    // threads doing socket I/O for all connections
  unsigned handler_threads = 0;               // threads running handle(); 0 = max(2, io_threads)
  std::size_t max_header_bytes = 64 * 1024;   // larger request headers get 431 and a close
  std::uint64_t max_body_bytes = 3ull << 30;  // larger request bodies get 413 and a close
  std::string auth_token{};  // when set, requests without "Authorization: Bearer <it>" get 401
  // A connection waiting for the first byte of a request longer than this is closed.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
  // A request head still incomplete this long after its first byte gets 408 and a close.
  std::chrono::milliseconds header_timeout = std::chrono::seconds(30);
  // A request body that stalls (no byte arrives) this long gets 408 and a close.
  std::chrono::milliseconds body_timeout = std::chrono::seconds(60);
  // Reading one whole request, head and body, may take at most this (DVID's ReadTimeout); then
  // 408 and a close.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(600);
  // Writing one whole response may take at most this (DVID's WriteTimeout).
  std::chrono::milliseconds response_timeout = std::chrono::seconds(600);
  // Open connections at most. A connection beyond it closes the one that has waited longest for a
  // request head (idle or trickling one), or, when every connection is busy, is answered 503.
  std::size_t max_connections = 10'000;
  // Bytes of answers built and not yet sent, across connections (clients that read slowly hold
  // them). An answer of more than 1 MiB that would pass this gets 503 instead, unless nothing is
  // held (so any one answer can be sent).
  std::uint64_t max_pending_response_bytes = 4ull << 30;
  // Both set: HTTPS with this PEM certificate chain and private key.
  std::string tls_certificate_file{};
  std::string tls_private_key_file{};
};

class HttpListener {
 public:
  // Binds and listens before returning, then serves on its own threads. `handler` and `faults`
  // must outlive the listener. Throws std::runtime_error naming host and port if binding fails,
  // or naming the file when a TLS certificate or key cannot be loaded.
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
