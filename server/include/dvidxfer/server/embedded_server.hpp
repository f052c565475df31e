// EmbeddedServer: an in-memory, versioned, DVID-compatible HTTP server (see ../shared/dvid-api.md)
// for tests, benchmarks, demos and users' pipeline tests. It answers with DVID's status codes and
// message texts, and can inject faults (latency, bandwidth caps, 503/500, resets, truncations)
// deterministically under a seed so that clients can be tested against a misbehaving DVID.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace dvidxfer::server {

// Faults injected into responses. Rates are probabilities in [0, 1] per request, drawn from a
// generator seeded with `seed`, so the sequence of decisions is the same on every run. One draw
// picks at most one fault: the rates share [0, 1) in the order 503, 500, reset, truncate, so their
// sum should not exceed 1. A separately started server is reconfigured with
// POST /api/server/faults (a JSON object of seed, latency_ms, bandwidth_bytes_per_second, rate_503,
// rate_500, rate_reset, rate_truncate; absent keys take these defaults) and reports the
// configuration and counters on GET /api/server/faults. That endpoint is never faulted.
struct FaultConfig {
  std::uint64_t seed = 1;
  std::chrono::milliseconds latency{0};          // added before every response is written
  std::uint64_t bandwidth_bytes_per_second = 0;  // per connection and direction; 0 = unlimited
  double rate_503 = 0;       // answer 503 "DVID server is unavailable." without running the handler
  double rate_500 = 0;       // answer 500 with DVID's panic text without running the handler
  double rate_reset = 0;     // run the handler, send headers and half the body, then reset (RST)
  double rate_truncate = 0;  // run the handler, send headers and half the body, then close (FIN)
                             // (with no body to halve, half the headers)
  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

// How many requests were served (all but /api/server/faults) and how many faults were injected,
// since start.
struct FaultCounters {
  std::uint64_t requests = 0;
  std::uint64_t injected_503 = 0;
  std::uint64_t injected_500 = 0;
  std::uint64_t resets = 0;
  std::uint64_t truncations = 0;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 picks a free port; read it back with port()
  unsigned threads = 2;    // I/O threads serving all connections; handlers run on max(2, threads)
                           // more, so slow requests never stall socket I/O
  std::string admin_token{};  // empty: POST /api/repos needs no token (older DVIDs' behaviour)
  int throttle_limit = 1;     // DVID's maximum number of concurrent throttled operations
  std::size_t max_header_bytes = 64 * 1024;   // larger request headers get 431
  std::uint64_t max_body_bytes = 3ull << 30;  // larger request bodies get 413
  // When not empty, every request (fault control included) must carry
  // "Authorization: Bearer <auth_token>" or is refused with DVID's 401.
  std::string auth_token{};
  // Time limits that keep slow or stalled clients from holding connections. A request that runs
  // out of time after its first byte gets 408 (Connection: close); otherwise the connection is
  // just closed.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);    // waiting for a request
  std::chrono::milliseconds header_timeout = std::chrono::seconds(30);  // a head, from its 1st byte
  std::chrono::milliseconds body_timeout = std::chrono::seconds(60);    // a pause inside a body
  std::chrono::milliseconds request_timeout = std::chrono::seconds(600);   // one whole request
  std::chrono::milliseconds response_timeout = std::chrono::seconds(600);  // sending one answer
  // Open connections at most. A newcomer beyond it closes the connection that has waited longest
  // for a request head; when every connection is busy with a request, it is answered 503.
  std::size_t max_connections = 10'000;
  // Answers built and not yet sent (held for clients that read slowly), in bytes at most: past it,
  // an answer of more than 1 MiB gets 503 instead, unless nothing is held.
  std::uint64_t max_pending_response_bytes = 4ull << 30;
  // Both set: serve HTTPS with this PEM certificate chain and private key (url() says https://).
  std::string tls_cert_file{};
  std::string tls_key_file{};
  FaultConfig faults{};  // braces: designated initializers may leave it out under -Wextra
};

class EmbeddedServer {
 public:
  // Binds and starts serving before returning. Throws std::runtime_error naming host and port when
  // the address cannot be bound, or naming the file when a TLS certificate or key cannot be used.
  explicit EmbeddedServer(ServerConfig config = {});
  // Stops the server (see stop()).
  ~EmbeddedServer();
  EmbeddedServer(const EmbeddedServer&) = delete;
  EmbeddedServer& operator=(const EmbeddedServer&) = delete;

  // The bound port (the chosen one when the configuration asked for 0).
  std::uint16_t port() const noexcept;
  // The host the server was configured to listen on.
  const std::string& host() const noexcept;
  // "http://HOST:PORT" (https:// when serving TLS), ready to hand to a client.
  std::string url() const;

  // Replaces the fault configuration; takes effect for requests that start after the call.
  // Thread-safe. The generator restarts from the new seed.
  void set_faults(const FaultConfig& faults);
  // The current fault configuration. Thread-safe.
  FaultConfig faults() const;
  // What was served and injected so far. Thread-safe.
  FaultCounters fault_counters() const;

  // DVID's throttle limit (also settable with POST /api/server/settings {"throttle":"N"}).
  void set_throttle_limit(int limit);
  // The current throttle limit.
  int throttle_limit() const;

  // Stops accepting, closes every connection (idle ones at once; responses in flight are cut),
  // waits for running handlers and joins the threads. Idempotent and thread-safe; not callable
  // from inside a request.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dvidxfer::server
