#include "dvidxfer/engine/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace dvidxfer::engine {

RetryDecision classify(const AttemptOutcome& outcome, bool idempotent) {
  if (outcome.error) {
    switch (*outcome.error) {
      case ErrorKind::cancelled:
      case ErrorKind::protocol:
      case ErrorKind::http_status:
      case ErrorKind::admission:
      case ErrorKind::tls:
        return RetryDecision::fail;
      case ErrorKind::connect:
        return RetryDecision::retry;
      case ErrorKind::timeout:
      case ErrorKind::connection:
        return idempotent ? RetryDecision::retry : RetryDecision::fail;
    }
    return RetryDecision::fail;
  }
  switch (outcome.status) {
    case 503:
      return RetryDecision::retry;
    case 502:
    case 504:
      return idempotent ? RetryDecision::retry : RetryDecision::done;
    default:
      return RetryDecision::done;
  }
}

std::chrono::milliseconds backoff_delay(const RetryOptions& options, int attempt,
                                        double unit_random) {
  const double initial = static_cast<double>(options.initial_backoff.count());
  const double cap = static_cast<double>(options.max_backoff.count());
  const double exponent = std::clamp(attempt - 1, 0, 40);
  const double ceiling = std::min(cap, initial * std::pow(2.0, exponent));
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ceiling * jitter));
}

}  // namespace dvidxfer::engine
