// The dvidxfer extension endpoint /api/server/faults, so that a separately started
// `dvidxfer serve` can be reconfigured by tests and benchmarks:
//   GET  -> 200 JSON {"config": {seed, latency_ms, bandwidth_bytes_per_second, rate_503, rate_500,
//           rate_reset, rate_truncate}, "counters": {requests, injected_503, injected_500, resets,
//           truncations}}
//   POST -> a JSON object with any of the config keys (numbers) replaces the whole configuration
//           (absent keys take their defaults) and answers like GET; bad JSON, unknown keys or
//           out-of-range values answer 400 and change nothing.
// The listener serves it before fault injection, so it is never itself faulted.
#pragma once

#include "faults/fault_injector.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

bool is_fault_control_request(const HttpRequest& request);
HttpResponse handle_fault_control(const HttpRequest& request, FaultInjector& faults);

}  // namespace dvidxfer::server
