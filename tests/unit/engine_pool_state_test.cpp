// PoolState without sockets: mock connections (an id and whether the peer closed it), int waiter
// tokens and a hand-set clock.
#include <gtest/gtest.h>

#include "dvidxfer/engine/pool_state.hpp"

using namespace dvidxfer::engine;
using namespace std::chrono_literals;

namespace {

struct Mock {
  int id = 0;
  bool peer_closed = false;
};
using State = PoolState<Mock, int>;
using Clock = State::Clock;

const Clock::time_point t0 = Clock::time_point() + 1h;
const Clock::time_point far = t0 + 1h;

bool peer_closed(const Mock& connection) {
  return connection.peer_closed;
}

// Acquires with waiter token `waiter` at `now`.
State::Step acquire(State& state, int waiter = 0, Clock::time_point now = t0,
                    Clock::time_point deadline = far, bool fresh = false) {
  return state.acquire(now, deadline, fresh, peer_closed, [waiter] { return waiter; });
}

std::vector<int> ids(const std::vector<Mock>& connections) {
  std::vector<int> out;
  for (const auto& connection : connections) out.push_back(connection.id);
  return out;
}

}  // namespace

TEST(PoolState, OpensWhileSlotsAreFreeThenWaits) {
  State state({2, 50s});
  EXPECT_EQ(acquire(state).action, PoolAction::open);
  EXPECT_EQ(acquire(state).action, PoolAction::open);
  const auto third = acquire(state, 7);
  EXPECT_EQ(third.action, PoolAction::wait);
  ASSERT_TRUE(third.waiter);
  EXPECT_EQ(*third.waiter, 7);
  EXPECT_EQ(state.leased(), 2u);
  EXPECT_EQ(state.waiting(), 1u);
}

TEST(PoolState, AtLeastOneConnection) {
  State state({0, 50s});
  EXPECT_EQ(state.max_connections(), 1u);
  EXPECT_EQ(acquire(state).action, PoolAction::open);
  EXPECT_EQ(acquire(state).action, PoolAction::wait);
}

TEST(PoolState, ReusesTheMostRecentlyReturnedIdleConnection) {
  State state({2, 50s});
  acquire(state);
  acquire(state);
  EXPECT_FALSE(state.release(Mock{1}, t0).grant);
  EXPECT_FALSE(state.release(Mock{2}, t0 + 1s).grant);
  EXPECT_EQ(state.idle(), 2u);
  EXPECT_EQ(state.leased(), 0u);
  const auto step = acquire(state, 0, t0 + 2s);
  ASSERT_EQ(step.action, PoolAction::reuse);
  EXPECT_EQ(step.connection->id, 2);
  EXPECT_TRUE(step.to_close.empty());
  EXPECT_EQ(state.leased(), 1u);
  EXPECT_EQ(state.idle(), 1u);
}

TEST(PoolState, AReleasedSlotWithoutAConnectionIsFreeAgain) {
  State state({1, 50s});
  acquire(state);
  EXPECT_FALSE(state.release(std::nullopt, t0).grant);  // closed, or its connect failed
  EXPECT_EQ(state.leased(), 0u);
  EXPECT_EQ(state.idle(), 0u);
  EXPECT_EQ(acquire(state).action, PoolAction::open);
}

TEST(PoolState, WaitersAreServedInArrivalOrder) {
  State state({1, 50s});
  acquire(state);
  acquire(state, 1);
  acquire(state, 2);
  auto first = state.release(Mock{10}, t0);
  ASSERT_TRUE(first.grant);
  EXPECT_EQ(first.grant->waiter, 1);
  ASSERT_TRUE(first.grant->connection);
  EXPECT_EQ(first.grant->connection->id, 10);
  // The slot passes along: still leased, never idle.
  EXPECT_EQ(state.leased(), 1u);
  EXPECT_EQ(state.idle(), 0u);
  auto second = state.release(std::nullopt, t0);
  ASSERT_TRUE(second.grant);
  EXPECT_EQ(second.grant->waiter, 2);
  EXPECT_FALSE(second.grant->connection) << "a slot without a connection: the waiter opens one";
  EXPECT_EQ(state.waiting(), 0u);
}

TEST(PoolState, NewcomersQueueBehindWaiters) {
  State state({1, 50s});
  acquire(state);
  acquire(state, 1);
  EXPECT_EQ(acquire(state, 2).action, PoolAction::wait);
  EXPECT_EQ(state.release(Mock{10}, t0).grant->waiter, 1);
  EXPECT_EQ(state.release(Mock{10}, t0).grant->waiter, 2);
}

TEST(PoolState, NoWaitPastTheDeadline) {
  State state({1, 50s});
  acquire(state);
  const auto late = acquire(state, 1, t0, t0);
  EXPECT_EQ(late.action, PoolAction::expired);
  EXPECT_FALSE(late.waiter);
  EXPECT_EQ(state.waiting(), 0u);
  EXPECT_EQ(acquire(state, 2, t0, t0 + 1ms).action, PoolAction::wait);
}

TEST(PoolState, AWithdrawnWaiterGetsNothing) {
  State state({1, 50s});
  acquire(state);
  acquire(state, 1);
  acquire(state, 2);
  EXPECT_TRUE(state.withdraw(1));
  EXPECT_FALSE(state.withdraw(1));
  EXPECT_EQ(state.release(Mock{10}, t0).grant->waiter, 2);
  EXPECT_FALSE(state.withdraw(2)) << "granted already: the waiter must take its grant";
}

TEST(PoolState, IdleConnectionsTheServerClosedAreDroppedNotReused) {
  State state({3, 50s});
  for (int i = 0; i < 3; ++i) acquire(state);
  state.release(Mock{1}, t0);
  state.release(Mock{2, true}, t0);
  state.release(Mock{3, true}, t0);
  const auto step = acquire(state);
  ASSERT_EQ(step.action, PoolAction::reuse);
  EXPECT_EQ(step.connection->id, 1);
  EXPECT_EQ(ids(step.to_close), (std::vector<int>{3, 2}));
  EXPECT_EQ(state.idle(), 0u);
}

TEST(PoolState, WhenEveryIdleConnectionIsStaleANewOneIsOpened) {
  State state({1, 50s});
  acquire(state);
  state.release(Mock{1, true}, t0);
  const auto step = acquire(state);
  EXPECT_EQ(step.action, PoolAction::open);
  EXPECT_EQ(ids(step.to_close), (std::vector<int>{1}));
  EXPECT_EQ(state.leased(), 1u);
}

TEST(PoolState, IdleConnectionsOlderThanMaxIdleAreDropped) {
  State state({2, 10s});
  acquire(state);
  acquire(state);
  state.release(Mock{1}, t0);
  state.release(Mock{2}, t0 + 5s);
  // At t0 + 10 s the first is exactly max_idle old: still reusable, and the newer one goes first.
  auto step = acquire(state, 0, t0 + 10s);
  EXPECT_EQ(step.connection->id, 2);
  EXPECT_TRUE(step.to_close.empty());
  state.release(Mock{2}, t0 + 10s);
  step = acquire(state, 0, t0 + 10s + 1ms);
  ASSERT_EQ(step.action, PoolAction::reuse);
  EXPECT_EQ(step.connection->id, 2);
  EXPECT_EQ(ids(step.to_close), (std::vector<int>{1}));
  state.release(Mock{2}, t0 + 10s);
  step = acquire(state, 0, t0 + 30s);
  EXPECT_EQ(step.action, PoolAction::open);
  EXPECT_EQ(ids(step.to_close), (std::vector<int>{2}));
}

TEST(PoolState, FreshOpensBesideIdleConnectionsWhileThereIsRoom) {
  State state({3, 50s});
  acquire(state);
  acquire(state);
  state.release(Mock{1}, t0);
  state.release(Mock{2}, t0);
  const auto step = acquire(state, 0, t0, far, true);
  EXPECT_EQ(step.action, PoolAction::open);
  EXPECT_TRUE(step.to_close.empty());
  EXPECT_EQ(state.idle(), 2u);
}

TEST(PoolState, FreshReplacesTheOldestIdleConnectionWhenFull) {
  State state({2, 50s});
  acquire(state);
  acquire(state);
  state.release(Mock{1}, t0);
  state.release(Mock{2}, t0 + 1s);
  auto step = acquire(state, 0, t0 + 2s, far, true);
  EXPECT_EQ(step.action, PoolAction::open);
  EXPECT_EQ(ids(step.to_close), (std::vector<int>{1}));
  EXPECT_EQ(state.idle(), 1u);
  EXPECT_EQ(state.leased(), 1u);
  step = acquire(state, 0, t0 + 2s, far, true);
  EXPECT_EQ(step.action, PoolAction::open);
  EXPECT_EQ(ids(step.to_close), (std::vector<int>{2}));
  EXPECT_EQ(acquire(state, 5, t0 + 2s, far, true).action, PoolAction::wait);
}

TEST(PoolState, ShutDownClosesIdleAndEveryConnectionHandedBack) {
  State state({2, 50s});
  acquire(state);
  acquire(state);
  state.release(Mock{1}, t0);
  EXPECT_EQ(ids(state.shut_down()), (std::vector<int>{1}));
  const auto released = state.release(Mock{2}, t0);
  ASSERT_TRUE(released.to_close);
  EXPECT_EQ(released.to_close->id, 2);
  EXPECT_EQ(state.idle(), 0u);
  EXPECT_EQ(state.leased(), 0u);
}

TEST(PoolState, AfterShutDownAWaiterGetsASlotButNotTheConnection) {
  State state({1, 50s});
  acquire(state);
  acquire(state, 1);
  state.shut_down();
  const auto released = state.release(Mock{9}, t0);
  ASSERT_TRUE(released.to_close);
  ASSERT_TRUE(released.grant);
  EXPECT_EQ(released.grant->waiter, 1);
  EXPECT_FALSE(released.grant->connection);
}

TEST(PoolState, TakeIdleEmptiesTheIdleList) {
  State state({2, 50s});
  acquire(state);
  acquire(state);
  state.release(Mock{1}, t0);
  state.release(Mock{2}, t0);
  EXPECT_EQ(ids(state.take_idle()), (std::vector<int>{1, 2}));
  EXPECT_EQ(state.idle(), 0u);
  EXPECT_EQ(acquire(state).action, PoolAction::open);
}
