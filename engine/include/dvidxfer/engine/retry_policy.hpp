// RetryPolicy: the one table that decides, for a failed attempt, whether to try again, and how
// long to wait first. Pure: no clocks, no I/O, so it is unit-tested in isolation.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "dvidxfer/engine/transfer_error.hpp"

namespace dvidxfer::engine {

struct RetryOptions {
  int max_attempts = 10;                          // including the first
  std::chrono::milliseconds initial_backoff{50};  // first wait, before jitter
  std::chrono::milliseconds max_backoff{5000};    // cap of any single wait
};

// What an attempt ended in: a transport error, or an HTTP status.
struct AttemptOutcome {
  std::optional<ErrorKind> error;  // set when no complete response arrived
  unsigned status = 0;             // the status when a response arrived
  bool response_started = false;   // some response bytes had arrived before the error
  bool reused = false;             // sent on a connection that had served earlier requests
};

enum class RetryDecision {
  done,   // success, or a status the caller handles (2xx, 3xx, 4xx other than below, 500)
  retry,  // transient: try again after backoff()
  fail,   // transient in kind, but not safe to repeat for this request
};

// The table: 503 (DVID's throttle, or shutting down: the handler did not run) is retried for every
// request; 502/504 and broken connections, timeouts included, are retried for idempotent requests;
// connect failures are retried for every request (nothing was sent). 401, 403, 429 and other
// statuses are answers, never retried. Cancellation and TLS failures (an untrusted certificate,
// another host's certificate, a peer without TLS) are never retried: the next try would fail alike.
RetryDecision classify(const AttemptOutcome& outcome, bool idempotent);

// "Full jitter" exponential backoff: a uniform wait in [0, min(max, initial * 2^(attempt-1))],
// where attempt counts from 1 and `unit_random` is in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryOptions& options, int attempt,
                                        double unit_random);

}  // namespace dvidxfer::engine
