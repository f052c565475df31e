#include "dvidxfer/engine/retry_state.hpp"

namespace dvidxfer::engine {

bool is_stale_connection(const AttemptOutcome& outcome) noexcept {
  return outcome.error == ErrorKind::connection && outcome.reused && !outcome.response_started;
}

RetryState::RetryState(RetryOptions options, Clock::time_point deadline, bool idempotent) noexcept
    : options_(options), deadline_(deadline), idempotent_(idempotent) {}

Verdict RetryState::after(const AttemptOutcome& outcome, Clock::time_point now,
                          double unit_random) noexcept {
  ++attempts_;
  if (idempotent_ && !replayed_ && is_stale_connection(outcome) && now < deadline_) {
    replayed_ = true;
    return {NextStep::replay, {}, GaveUp::no};
  }
  ++budgeted_;
  const RetryDecision decision = classify(outcome, idempotent_);
  const NextStep ending = outcome.error ? NextStep::fail : NextStep::done;
  if (decision == RetryDecision::done) return {NextStep::done, {}, GaveUp::no};
  if (decision == RetryDecision::fail) return {NextStep::fail, {}, GaveUp::no};
  if (budgeted_ >= options_.max_attempts) return {ending, {}, GaveUp::attempts};
  const auto delay = backoff_delay(options_, budgeted_, unit_random);
  if (now + delay >= deadline_) return {ending, {}, GaveUp::deadline};
  return {NextStep::retry, delay, GaveUp::no};
}

}  // namespace dvidxfer::engine
