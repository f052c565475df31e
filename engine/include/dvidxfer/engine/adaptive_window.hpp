// AdaptiveWindow: how many chunk requests of one volume call may be in flight. It starts at its
// maximum; a congestion signal (DVID's throttle answering 503) halves it, at most once per
// cooldown, and every success after that adds one back: additive increase, multiplicative
// decrease (AimdState), so a shared server sees the call back off and recover. The permits live
// in an AsyncSemaphore; a smaller window takes some out of circulation as requests hand them back.
// Thread-safe; owned through shared_ptr (a decrease runs a coroutine that holds it).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <mutex>

#include "dvidxfer/engine/aimd_state.hpp"
#include "dvidxfer/engine/async_semaphore.hpp"

namespace dvidxfer::engine {

class AdaptiveWindow : public std::enable_shared_from_this<AdaptiveWindow> {
 public:
  AdaptiveWindow(boost::asio::any_io_executor executor, std::size_t max_in_flight,
                 std::chrono::milliseconds cooldown = std::chrono::milliseconds(100));

  // Waits for a slot until `deadline`: true when granted (release() it later), false on deadline
  // or per-operation cancellation. Resumes on the caller's executor.
  boost::asio::awaitable<bool> acquire(std::chrono::steady_clock::time_point deadline);
  // Returns a slot. Any thread; never blocks.
  void release();

  void on_congestion();  // halve the window (not below 1), at most once per cooldown
  void on_success();     // grow the window by one (not above the maximum)

  std::size_t limit() const;
  std::size_t max_in_flight() const noexcept { return max_; }

 private:
  // Takes permits out of circulation, ahead of ordinary waiters, while the state says some are
  // pending. Takes the window by value: a coroutine's captures would dangle.
  static boost::asio::awaitable<void> withhold(std::shared_ptr<AdaptiveWindow> self);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<AsyncSemaphore> slots_;
  const std::size_t max_;
  mutable std::mutex mutex_;  // guards aimd_
  AimdState aimd_;
};

}  // namespace dvidxfer::engine
