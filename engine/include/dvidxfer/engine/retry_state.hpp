// RetryState: one call's retry bookkeeping (attempts sent, the retry budget, the deadline, the
// backoff) and, after each attempt, what to do next. Pure: the clock reading and the random draw
// come in as arguments, so every branch is unit-tested without sockets or sleeps.
//
// The stale keep-alive case: an attempt written on a reused connection that ended in EOF or a
// reset before any byte of answer (AttemptOutcome: error connection, reused, !response_started)
// most likely met a server that had closed the idle connection just before. Such an attempt is
// replayed once per call, at once (no backoff) and on a freshly opened connection, even when the
// retry budget is spent, provided the request is idempotent: GET, HEAD, PUT and DELETE, and POSTs
// the caller leaves marked idempotent (Request::idempotent, true by default: DVID's data POSTs
// overwrite). A request marked non-idempotent is never replayed, with or without a body: the server
// may have acted on it before the connection broke (RFC 9110 section 9.2.2).
#pragma once

#include <chrono>

#include "dvidxfer/engine/retry_policy.hpp"

namespace dvidxfer::engine {

enum class NextStep {
  done,    // hand back the answer (a retryable status too, once retrying is over)
  fail,    // hand back the attempt's error
  retry,   // wait Verdict::delay, then send again
  replay,  // stale connection: send again now, on a fresh connection
};

// Why a transient outcome ends the call instead of being retried.
enum class GaveUp {
  no,
  attempts,  // RetryOptions::max_attempts reached
  deadline,  // the backoff would end at or past the call's deadline
};

struct Verdict {
  NextStep step = NextStep::done;
  std::chrono::milliseconds delay{0};  // for retry
  GaveUp gave_up = GaveUp::no;         // for done and fail
};

// True for the stale keep-alive case described above.
bool is_stale_connection(const AttemptOutcome& outcome) noexcept;

class RetryState {
 public:
  using Clock = std::chrono::steady_clock;

  // `deadline`: the end of the call. `idempotent`: Request::idempotent.
  RetryState(RetryOptions options, Clock::time_point deadline, bool idempotent) noexcept;

  // Records one attempt's outcome, ended at `now`, and decides the next step. `unit_random`, in
  // [0, 1), draws the backoff's jitter.
  Verdict after(const AttemptOutcome& outcome, Clock::time_point now, double unit_random) noexcept;

  // Attempts recorded so far, the replay included (Response::attempts, TransferError::attempts).
  int attempts() const noexcept { return attempts_; }

 private:
  RetryOptions options_;
  Clock::time_point deadline_;
  bool idempotent_;
  int attempts_ = 0;
  int budgeted_ = 0;  // attempts counted against max_attempts: all but the replay
  bool replayed_ = false;
};

}  // namespace dvidxfer::engine
