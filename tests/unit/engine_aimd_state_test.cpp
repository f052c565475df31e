// AimdState without semaphores or a real clock.
#include <gtest/gtest.h>

#include "dvidxfer/engine/aimd_state.hpp"

using namespace dvidxfer::engine;
using namespace std::chrono_literals;

namespace {

using Clock = AimdState::Clock;
const Clock::time_point t0 = Clock::time_point() + 1h;

void expect_invariant(const AimdState& state) {
  EXPECT_EQ(state.limit() + state.withheld() + state.pending(), state.max_in_flight());
}

}  // namespace

TEST(AimdState, StartsAtTheMaximum) {
  const AimdState state(8, 100ms);
  EXPECT_EQ(state.limit(), 8u);
  EXPECT_EQ(state.pending(), 0u);
  EXPECT_EQ(AimdState(0, 100ms).limit(), 1u);
}

TEST(AimdState, CongestionHalvesDownToOne) {
  AimdState state(8, 0ms);
  EXPECT_EQ(state.on_congestion(t0), 4u);
  EXPECT_EQ(state.limit(), 4u);
  EXPECT_EQ(state.on_congestion(t0), 2u);
  EXPECT_EQ(state.on_congestion(t0), 1u);
  EXPECT_EQ(state.limit(), 1u);
  EXPECT_EQ(state.on_congestion(t0), 0u) << "never below one";
  EXPECT_EQ(state.pending(), 7u);
  expect_invariant(state);
  AimdState odd(5, 0ms);
  EXPECT_EQ(odd.on_congestion(t0), 3u);
  EXPECT_EQ(odd.limit(), 2u);
}

TEST(AimdState, OneDecreasePerCooldown) {
  AimdState state(8, 100ms);
  EXPECT_EQ(state.on_congestion(t0), 4u);
  EXPECT_EQ(state.on_congestion(t0 + 99ms), 0u);
  EXPECT_EQ(state.limit(), 4u);
  EXPECT_EQ(state.on_congestion(t0 + 100ms), 2u);
  EXPECT_EQ(state.limit(), 2u);
}

TEST(AimdState, PermitsTakenWhileWithdrawalsArePending) {
  AimdState state(4, 0ms);
  state.on_congestion(t0);  // 4 -> 2: two to take
  EXPECT_TRUE(state.permit_taken());
  EXPECT_TRUE(state.permit_taken());
  EXPECT_FALSE(state.permit_taken()) << "nothing pending: the permit goes back";
  EXPECT_EQ(state.withheld(), 2u);
  expect_invariant(state);
}

TEST(AimdState, SuccessesCancelPendingWithdrawalsFirstThenReturnWithheldPermits) {
  AimdState state(4, 0ms);
  state.on_congestion(t0);
  EXPECT_TRUE(state.permit_taken());  // one withheld, one pending
  EXPECT_FALSE(state.on_success()) << "cancels the pending withdrawal: no permit to put back";
  EXPECT_EQ(state.limit(), 3u);
  EXPECT_TRUE(state.on_success()) << "puts the withheld permit back";
  EXPECT_EQ(state.limit(), 4u);
  EXPECT_FALSE(state.on_success()) << "at the maximum";
  EXPECT_EQ(state.limit(), 4u);
  expect_invariant(state);
}
