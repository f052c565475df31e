// HttpClient: sends requests to one DVID server, retrying what the RetryPolicy says is transient
// with jittered exponential backoff, and replaying a request that met a stale keep-alive
// connection (RetryState), all under the call's total deadline. Returns the server's answer
// whatever its status (the API decides what is an error), or a TransferError when no answer could
// be had. Each attempt goes through an HttpTransport: a pool of connections, or a test's script.
// Thread-safe; keep it alive while calls are in flight.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>

#include "dvidxfer/engine/admission_control.hpp"
#include "dvidxfer/engine/http_transport.hpp"
#include "dvidxfer/engine/retry_policy.hpp"

namespace dvidxfer::engine {

struct HttpClientOptions {
  std::size_t max_connections = 8;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds inactivity_timeout{30000};
  std::chrono::milliseconds request_timeout{120000};  // total per call, retries and waits included
  // Idle keep-alive connections older than this are closed rather than reused (PoolSettings).
  std::chrono::milliseconds max_idle{50000};
  std::size_t max_response_bytes = std::size_t(8) << 30;
  RetryOptions retry;
  // When not empty, sent as "Authorization: Bearer <token>" on every request (DVID's DSG auth).
  // Never logged nor put in error messages.
  std::string bearer_token;
  // For https endpoints: a PEM file of CA certificates trusted besides the system's.
  std::string tls_ca_file;
  // When set, asked before every request and told when it ends (see admission_control.hpp).
  std::shared_ptr<AdmissionControl> admission;
};

// Counters since construction, for benchmarks and reports.
struct HttpClientStats {
  std::uint64_t requests = 0;  // calls to send()
  std::uint64_t attempts = 0;  // exchanges tried, retries and stale replays included
  std::uint64_t retries = 0;   // attempts after the first
  std::uint64_t failures = 0;  // calls that ended in a TransferError
  std::uint64_t connections_opened = 0;
};

class HttpClient {
 public:
  // Over a pool of up to options.max_connections connections to `endpoint`. Throws
  // std::invalid_argument when an https endpoint's TLS settings cannot be loaded (a CA file that
  // is missing or not PEM).
  HttpClient(boost::asio::any_io_executor executor, Endpoint endpoint, HttpClientOptions options);
  // Over `transport` (a ScriptedTransport in tests); `endpoint` names the server in URLs.
  HttpClient(boost::asio::any_io_executor executor, Endpoint endpoint, HttpClientOptions options,
             std::shared_ptr<HttpTransport> transport);
  ~HttpClient();

  // Sends `request`, retrying per the policy. The Response carries the number of attempts.
  // With `direct_body`, a 200 answer's body is read straight into it and must fill it exactly
  // (a short or long body is a transient error, retried for idempotent requests); a failed call
  // may leave it partly written. `request` and `direct_body` must outlive the coroutine.
  // Honours per-operation cancellation (the call ends in ErrorKind::cancelled) and resumes on the
  // caller's executor.
  boost::asio::awaitable<TransferResult<Response>> send(const Request& request,
                                                        std::span<char> direct_body = {});

  const Endpoint& endpoint() const noexcept { return endpoint_; }
  const HttpClientOptions& options() const noexcept { return options_; }
  HttpClientStats stats() const noexcept;
  // Closes idle keep-alive connections (leased ones close when their exchange ends).
  void close_idle() { transport_->close_idle(); }
  // Closes idle connections and makes the pool close, not keep, every connection handed back.
  void shut_down() { transport_->shut_down(); }

 private:
  boost::asio::any_io_executor executor_;
  Endpoint endpoint_;
  HttpClientOptions options_;
  std::shared_ptr<HttpTransport> transport_;
  std::atomic<std::uint64_t> requests_{0}, attempts_{0}, retries_{0}, failures_{0};
};

}  // namespace dvidxfer::engine
