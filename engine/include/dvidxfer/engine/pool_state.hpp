// PoolState: the connection pool's decisions without sockets, timers, clocks or locks: which idle
// connection to reuse, when to open one, who waits, who gets a connection handed back, and which
// idle connections are too stale to send on. ConnectionPool carries out each step it returns; the
// unit tests drive it with mock connections and a hand-set clock.
// Not thread-safe: the owner serialises every call (ConnectionPool holds its mutex).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace dvidxfer::engine {

struct PoolSettings {
  std::size_t max_connections = 8;  // connections leased or being opened, at most (0 counts as 1)
  // An idle connection older than this is closed instead of reused: servers drop idle keep-alive
  // connections (the embedded server after 60 s) and a request written as they do is lost.
  std::chrono::milliseconds max_idle{std::chrono::seconds(50)};
};

enum class PoolAction {
  reuse,    // the step's connection is the caller's to send on
  open,     // a slot is the caller's: open a connection, then report opened() or release()
  wait,     // the caller was queued: it gets a Grant from some release(), or withdraws
  expired,  // no slot and the deadline has passed: the caller was not queued
};

// `Connection` is any movable handle (the pool's std::unique_ptr<Connection>, a test's mock);
// `Waiter` any copyable token comparable with ==. Steps name connections to close; PoolState never
// closes anything itself.
template <class Connection, class Waiter>
class PoolState {
 public:
  using Clock = std::chrono::steady_clock;

  struct Step {
    PoolAction action = PoolAction::wait;
    std::optional<Connection> connection;  // set for reuse
    std::optional<Waiter> waiter;          // set for wait: the token queued
    std::vector<Connection> to_close;      // stale idle connections dropped on the way
  };

  // A slot handed to a waiter: with a connection to reuse, or without one (the waiter opens).
  struct Grant {
    Waiter waiter;
    std::optional<Connection> connection;
  };

  struct Released {
    std::optional<Grant> grant;          // the waiter to resume, if any
    std::optional<Connection> to_close;  // what the pool no longer keeps (after shut_down())
  };

  explicit PoolState(PoolSettings settings)
      : max_connections_(std::max<std::size_t>(1, settings.max_connections)),
        max_idle_(settings.max_idle) {}

  // The next step for a caller holding nothing yet. Reuses the most recently returned idle
  // connection that `peer_closed(const Connection&)` (a non-blocking check) does not report closed
  // and that has been idle at most max_idle; drops the others. With `fresh`, opens a new
  // connection even if idle ones exist (one replaces the oldest idle when the pool is full).
  // Otherwise queues the token `make_waiter()` returns, unless `deadline` is past. Waiters are
  // served in arrival order, and nobody overtakes them.
  template <class PeerClosed, class MakeWaiter>
  Step acquire(Clock::time_point now, Clock::time_point deadline, bool fresh,
               PeerClosed&& peer_closed, MakeWaiter&& make_waiter) {
    Step step;
    if (waiters_.empty()) {
      drop_expired(now, step.to_close);
      if (!fresh) {
        while (!idle_.empty()) {
          auto candidate = std::move(idle_.back());
          idle_.pop_back();
          if (peer_closed(std::as_const(candidate.connection))) {
            step.to_close.push_back(std::move(candidate.connection));
            continue;
          }
          ++leased_;
          step.action = PoolAction::reuse;
          step.connection.emplace(std::move(candidate.connection));
          return step;
        }
      } else if (!idle_.empty() && leased_ + idle_.size() >= max_connections_) {
        step.to_close.push_back(std::move(idle_.front().connection));
        idle_.pop_front();
      }
      if (leased_ < max_connections_) {
        ++leased_;
        step.action = PoolAction::open;
        return step;
      }
    }
    if (now >= deadline) {
      step.action = PoolAction::expired;
      return step;
    }
    step.waiter.emplace(make_waiter());
    waiters_.push_back(*step.waiter);
    step.action = PoolAction::wait;
    return step;
  }

  // A leased slot comes back: with its connection when the exchange left it reusable, without one
  // when it was closed or never opened. The oldest waiter gets it; otherwise the connection goes
  // idle (stamped `now`) and the slot is free.
  Released release(std::optional<Connection> reusable, Clock::time_point now) {
    Released released;
    if (shut_down_ && reusable) released.to_close = std::exchange(reusable, std::nullopt);
    if (!waiters_.empty()) {
      released.grant.emplace(Grant{std::move(waiters_.front()), std::move(reusable)});
      waiters_.pop_front();
      return released;
    }
    --leased_;
    if (reusable) idle_.push_back(Idle{std::move(*reusable), now});
    return released;
  }

  // A waiter whose deadline passed (or that was cancelled) leaves the queue. False when it was no
  // longer queued: a Grant for it has been issued and must be taken.
  bool withdraw(const Waiter& waiter) {
    const auto found = std::find(waiters_.begin(), waiters_.end(), waiter);
    if (found == waiters_.end()) return false;
    waiters_.erase(found);
    return true;
  }

  // Empties the idle list, for the caller to close.
  std::vector<Connection> take_idle() {
    std::vector<Connection> out;
    out.reserve(idle_.size());
    for (auto& entry : idle_) out.push_back(std::move(entry.connection));
    idle_.clear();
    return out;
  }
  // take_idle(), and from now on connections handed back are closed, not kept.
  std::vector<Connection> shut_down() {
    shut_down_ = true;
    return take_idle();
  }

  std::size_t max_connections() const noexcept { return max_connections_; }
  std::size_t leased() const noexcept { return leased_; }
  std::size_t idle() const noexcept { return idle_.size(); }
  std::size_t waiting() const noexcept { return waiters_.size(); }

 private:
  struct Idle {
    Connection connection;
    Clock::time_point since;
  };

  // Idle entries are in return order, so the expired ones are at the front.
  void drop_expired(Clock::time_point now, std::vector<Connection>& to_close) {
    while (!idle_.empty() && now - idle_.front().since > max_idle_) {
      to_close.push_back(std::move(idle_.front().connection));
      idle_.pop_front();
    }
  }

  std::size_t max_connections_;
  std::chrono::milliseconds max_idle_;
  std::size_t leased_ = 0;  // slots held by leases and by connections being opened
  std::deque<Idle> idle_;
  std::deque<Waiter> waiters_;
  bool shut_down_ = false;
};

}  // namespace dvidxfer::engine
