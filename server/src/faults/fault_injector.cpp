#include "faults/fault_injector.hpp"

#include <fmt/format.h>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/common/splitmix64.hpp"

namespace dvidxfer::server {
namespace {

// A uniform draw in [0, 1) from the top 53 bits.
double unit_interval(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

// One draw picks at most one fault: the rates partition [0, 1) in the order 503, 500, reset,
// truncate, so rates summing past 1 starve the later kinds.
FaultKind pick(const FaultConfig& config, double draw) {
  double threshold = config.rate_503;
  if (draw < threshold) return FaultKind::unavailable_503;
  threshold += config.rate_500;
  if (draw < threshold) return FaultKind::panic_500;
  threshold += config.rate_reset;
  if (draw < threshold) return FaultKind::reset_mid_body;
  threshold += config.rate_truncate;
  if (draw < threshold) return FaultKind::truncate_body;
  return FaultKind::none;
}

}  // namespace

FaultInjector::FaultInjector(FaultConfig config) : config_(config) {}

void FaultInjector::configure(const FaultConfig& config) {
  std::lock_guard lock(mutex_);
  config_ = config;
  next_request_number_ = 1;
}

FaultConfig FaultInjector::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

FaultCounters FaultInjector::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

FaultDecision FaultInjector::decide() {
  std::lock_guard lock(mutex_);
  FaultDecision decision;
  decision.request_number = next_request_number_++;
  decision.latency = config_.latency;
  decision.bandwidth_bytes_per_second = config_.bandwidth_bytes_per_second;
  decision.kind = pick(config_, unit_interval(splitmix64(config_.seed + decision.request_number)));
  ++counters_.requests;
  if (decision.kind == FaultKind::unavailable_503) ++counters_.injected_503;
  if (decision.kind == FaultKind::panic_500) ++counters_.injected_500;
  return decision;
}

void FaultInjector::count_cut(FaultKind kind) {
  std::lock_guard lock(mutex_);
  if (kind == FaultKind::reset_mid_body) ++counters_.resets;
  if (kind == FaultKind::truncate_body) ++counters_.truncations;
}

HttpResponse unavailable_response() {
  return http_error(503, "DVID server is unavailable.");
}

HttpResponse panic_response(std::uint64_t request_number, std::string_view what,
                            const HttpRequest& request) {
  return http_error(500, fmt::format("Panic detected on request {}:\n{}\nIP: {}, URL: {}\n",
                                     request_number, what, request.remote_address, request.path));
}

}  // namespace dvidxfer::server
