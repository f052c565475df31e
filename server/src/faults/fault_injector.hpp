// FaultInjector: decides, per request, which fault (if any) the transport injects, and counts
// what it injected. Decisions come from splitmix64(seed + request number), so a seed always yields
// the same sequence of decisions. No Asio: the listener applies the decisions.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "dvidxfer/server/embedded_server.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

enum class FaultKind { none, unavailable_503, panic_500, reset_mid_body, truncate_body };

struct FaultDecision {
  FaultKind kind = FaultKind::none;
  std::uint64_t request_number = 0;  // 1-based, restarts with every new configuration
  std::chrono::milliseconds latency{0};
  std::uint64_t bandwidth_bytes_per_second = 0;  // 0 = unlimited
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultConfig config = {});

  // Replaces the configuration and restarts the generator from the new seed. Thread-safe.
  void configure(const FaultConfig& config);
  FaultConfig config() const;
  FaultCounters counters() const;

  // Draws the decision for the next request and counts it. Thread-safe.
  FaultDecision decide();
  // Counts a reset or truncation the listener actually carried out.
  void count_cut(FaultKind kind);

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
  std::uint64_t next_request_number_ = 1;
  FaultCounters counters_;
};

// DVID's answer when the server refuses work: 503 "DVID server is unavailable.\n" (Go's
// http.Error).
HttpResponse unavailable_response();
// DVID's answer to a panic inside a handler: 500 "Panic detected on request N:\n<what>\nIP: <remote
// address>, URL: <path>\n\n" (Go's http.Error).
HttpResponse panic_response(std::uint64_t request_number, std::string_view what,
                            const HttpRequest& request);

}  // namespace dvidxfer::server
