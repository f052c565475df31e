// RetryState without sockets or sleeps: outcomes, clock readings and random draws by hand.
#include <gtest/gtest.h>

#include "dvidxfer/engine/retry_state.hpp"

using namespace dvidxfer::engine;
using namespace std::chrono_literals;

namespace {

using Clock = RetryState::Clock;
const Clock::time_point t0 = Clock::time_point() + 1h;
const RetryOptions kOptions{4, 100ms, 1000ms};

AttemptOutcome answered(unsigned status) {
  AttemptOutcome outcome;
  outcome.status = status;
  return outcome;
}
AttemptOutcome failed(ErrorKind kind, bool reused = false, bool response_started = false) {
  AttemptOutcome outcome;
  outcome.error = kind;
  outcome.reused = reused;
  outcome.response_started = response_started;
  return outcome;
}
const AttemptOutcome kStale = failed(ErrorKind::connection, true, false);

}  // namespace

TEST(RetryState, AnswersEndTheCall) {
  for (unsigned status : {200u, 404u, 500u}) {
    RetryState retry(kOptions, t0 + 1min, true);
    const auto verdict = retry.after(answered(status), t0, 0.5);
    EXPECT_EQ(verdict.step, NextStep::done) << status;
    EXPECT_EQ(verdict.gave_up, GaveUp::no);
    EXPECT_EQ(retry.attempts(), 1);
  }
}

TEST(RetryState, EachRetryClass) {
  struct Case {
    AttemptOutcome outcome;
    bool idempotent;
    NextStep expected;
  };
  const Case cases[] = {
      {answered(503), false, NextStep::retry},
      {answered(502), true, NextStep::retry},
      {answered(502), false, NextStep::done},
      {answered(504), true, NextStep::retry},
      {answered(504), false, NextStep::done},
      {failed(ErrorKind::connect), false, NextStep::retry},
      {failed(ErrorKind::connection), true, NextStep::retry},
      {failed(ErrorKind::connection), false, NextStep::fail},
      {failed(ErrorKind::timeout, true), true, NextStep::retry},
      {failed(ErrorKind::timeout, true), false, NextStep::fail},
      {failed(ErrorKind::protocol), true, NextStep::fail},
      {failed(ErrorKind::tls), true, NextStep::fail},
      {failed(ErrorKind::cancelled, true), true, NextStep::fail},
      {failed(ErrorKind::admission), true, NextStep::fail},
  };
  for (const auto& c : cases) {
    RetryState retry(kOptions, t0 + 1min, c.idempotent);
    const auto verdict = retry.after(c.outcome, t0, 0.5);
    EXPECT_EQ(verdict.step, c.expected)
        << (c.outcome.error ? to_string(*c.outcome.error) : std::to_string(c.outcome.status))
        << (c.idempotent ? " idempotent" : " not idempotent");
  }
}

TEST(RetryState, BackoffStaysWithinItsBounds) {
  // Attempt n waits a uniform draw in [0, min(max_backoff, initial * 2^(n-1))].
  const RetryOptions options{12, 100ms, 1000ms};
  for (double draw : {0.0, 0.25, 0.5, 0.999999}) {
    RetryState retry(options, t0 + 1h, true);
    for (int attempt = 1; attempt < options.max_attempts; ++attempt) {
      const auto verdict = retry.after(answered(503), t0, draw);
      ASSERT_EQ(verdict.step, NextStep::retry);
      const auto ceiling =
          std::min<std::chrono::milliseconds>(1000ms, 100ms * (1 << (attempt - 1)));
      EXPECT_GE(verdict.delay, 0ms);
      EXPECT_LE(verdict.delay, ceiling) << "attempt " << attempt << " draw " << draw;
      EXPECT_EQ(verdict.delay.count(), static_cast<std::int64_t>(ceiling.count() * draw));
    }
  }
}

TEST(RetryState, GivesUpAfterMaxAttempts) {
  RetryState answers(kOptions, t0 + 1h, true);
  for (int i = 1; i < kOptions.max_attempts; ++i)
    EXPECT_EQ(answers.after(answered(503), t0, 0.5).step, NextStep::retry);
  const auto last = answers.after(answered(503), t0, 0.5);
  EXPECT_EQ(last.step, NextStep::done) << "the server's last word is handed back";
  EXPECT_EQ(last.gave_up, GaveUp::attempts);
  EXPECT_EQ(answers.attempts(), kOptions.max_attempts);

  RetryState errors(kOptions, t0 + 1h, true);
  for (int i = 1; i < kOptions.max_attempts; ++i) errors.after(failed(ErrorKind::connect), t0, 0.5);
  const auto error = errors.after(failed(ErrorKind::connect), t0, 0.5);
  EXPECT_EQ(error.step, NextStep::fail);
  EXPECT_EQ(error.gave_up, GaveUp::attempts);
}

TEST(RetryState, NoRetryWhoseBackoffReachesTheDeadline) {
  // Attempt 1's backoff ceiling is 100 ms: a 0.5 draw waits 50 ms.
  RetryState roomy(kOptions, t0 + 51ms, true);
  EXPECT_EQ(roomy.after(answered(503), t0, 0.5).step, NextStep::retry);
  RetryState tight(kOptions, t0 + 50ms, true);
  const auto cut = tight.after(answered(503), t0, 0.5);
  EXPECT_EQ(cut.step, NextStep::done);
  EXPECT_EQ(cut.gave_up, GaveUp::deadline);
  RetryState broken(kOptions, t0 + 50ms, true);
  const auto failure = broken.after(failed(ErrorKind::timeout), t0, 0.5);
  EXPECT_EQ(failure.step, NextStep::fail);
  EXPECT_EQ(failure.gave_up, GaveUp::deadline);
}

TEST(RetryState, WhatIsStale) {
  EXPECT_TRUE(is_stale_connection(kStale));
  EXPECT_FALSE(is_stale_connection(failed(ErrorKind::connection, false, false)))
      << "a new connection that breaks is the server's fault, not staleness";
  EXPECT_FALSE(is_stale_connection(failed(ErrorKind::connection, true, true)))
      << "part of an answer came: the server was there";
  EXPECT_FALSE(is_stale_connection(failed(ErrorKind::timeout, true, false)))
      << "silence may be a server at work";
  EXPECT_FALSE(is_stale_connection(answered(503)));
}

TEST(RetryState, AStaleConnectionIsReplayedAtOnceOutsideTheBudget) {
  const RetryOptions no_retries{1, 10s, 10s};
  RetryState retry(no_retries, t0 + 1min, true);
  const auto replay = retry.after(kStale, t0, 0.5);
  EXPECT_EQ(replay.step, NextStep::replay);
  EXPECT_EQ(replay.delay, 0ms);
  EXPECT_EQ(retry.attempts(), 1);
  EXPECT_EQ(retry.after(answered(200), t0, 0.5).step, NextStep::done);
  EXPECT_EQ(retry.attempts(), 2);
}

TEST(RetryState, OnlyOneReplayPerCall) {
  RetryState retry(kOptions, t0 + 1min, true);
  EXPECT_EQ(retry.after(kStale, t0, 0.5).step, NextStep::replay);
  const auto second = retry.after(kStale, t0, 0.5);
  EXPECT_EQ(second.step, NextStep::retry) << "an ordinary retry, with backoff, from the budget";
  EXPECT_EQ(second.delay, 50ms);

  RetryState spent({1, 10ms, 10ms}, t0 + 1min, true);
  spent.after(kStale, t0, 0.5);
  const auto again = spent.after(kStale, t0, 0.5);
  EXPECT_EQ(again.step, NextStep::fail);
  EXPECT_EQ(again.gave_up, GaveUp::attempts);
}

TEST(RetryState, NonIdempotentRequestsAreNotReplayed) {
  RetryState retry(kOptions, t0 + 1min, false);
  const auto verdict = retry.after(kStale, t0, 0.5);
  EXPECT_EQ(verdict.step, NextStep::fail);
  EXPECT_EQ(verdict.gave_up, GaveUp::no);
}

TEST(RetryState, NoReplayOnceTheDeadlineHasPassed) {
  RetryState retry(kOptions, t0, true);
  const auto verdict = retry.after(kStale, t0, 0.5);
  EXPECT_EQ(verdict.step, NextStep::fail);
  EXPECT_EQ(verdict.gave_up, GaveUp::deadline);
}
