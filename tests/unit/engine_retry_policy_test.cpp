#include <gtest/gtest.h>

#include "dvidxfer/engine/retry_policy.hpp"

using namespace dvidxfer::engine;
using namespace std::chrono_literals;

namespace {
AttemptOutcome status(unsigned code) {
  return {std::nullopt, code, true};
}
AttemptOutcome failed(ErrorKind kind) {
  return {kind, 0, false};
}
}  // namespace

TEST(RetryPolicy, ThrottleAndUnavailableAreRetriedForEveryRequest) {
  EXPECT_EQ(classify(status(503), true), RetryDecision::retry);
  EXPECT_EQ(classify(status(503), false), RetryDecision::retry);
}

TEST(RetryPolicy, GatewayErrorsAreRetriedOnlyWhenIdempotent) {
  for (unsigned code : {502u, 504u}) {
    EXPECT_EQ(classify(status(code), true), RetryDecision::retry) << code;
    EXPECT_EQ(classify(status(code), false), RetryDecision::done) << code;
  }
}

TEST(RetryPolicy, AnswersAreNeverRetried) {
  for (unsigned code : {200u, 204u, 206u, 400u, 401u, 403u, 404u, 416u, 429u, 500u})
    EXPECT_EQ(classify(status(code), true), RetryDecision::done) << code;
}

TEST(RetryPolicy, AuthRefusalsAndRateLimitsAreNeverRetried) {
  // A wrong token stays wrong and a rate limit is the server asking for less: never repeat them,
  // whatever the request.
  for (unsigned code : {401u, 403u, 429u})
    for (bool idempotent : {true, false})
      EXPECT_EQ(classify(status(code), idempotent), RetryDecision::done)
          << code << (idempotent ? " idempotent" : " not idempotent");
}

TEST(RetryPolicy, TransportErrors) {
  EXPECT_EQ(classify(failed(ErrorKind::connect), false), RetryDecision::retry);
  EXPECT_EQ(classify(failed(ErrorKind::connection), true), RetryDecision::retry);
  EXPECT_EQ(classify(failed(ErrorKind::connection), false), RetryDecision::fail);
  EXPECT_EQ(classify(failed(ErrorKind::timeout), true), RetryDecision::retry);
  EXPECT_EQ(classify(failed(ErrorKind::timeout), false), RetryDecision::fail);
  EXPECT_EQ(classify(failed(ErrorKind::protocol), true), RetryDecision::fail);
  EXPECT_EQ(classify(failed(ErrorKind::cancelled), true), RetryDecision::fail);
  // An untrusted certificate or a server without TLS fails the same way every time.
  EXPECT_EQ(classify(failed(ErrorKind::tls), true), RetryDecision::fail);
  EXPECT_EQ(classify(failed(ErrorKind::tls), false), RetryDecision::fail);
}

TEST(RetryPolicy, BackoffGrowsExponentiallyUnderItsCapWithFullJitter) {
  const RetryOptions options{10, 50ms, 1000ms};
  EXPECT_EQ(backoff_delay(options, 1, 0.999999), 49ms);
  EXPECT_EQ(backoff_delay(options, 2, 0.999999), 99ms);
  EXPECT_EQ(backoff_delay(options, 3, 0.5), 100ms);
  EXPECT_EQ(backoff_delay(options, 10, 0.999999), 999ms);  // capped
  EXPECT_EQ(backoff_delay(options, 60, 0.5), 500ms);       // no overflow far out
  EXPECT_EQ(backoff_delay(options, 4, 0.0), 0ms);
}
