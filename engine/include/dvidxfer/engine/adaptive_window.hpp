// AdaptiveWindow: how many chunk requests of one volume call may be in flight. It starts at its
// maximum; a congestion signal (DVID's throttle answering 503) halves it, at most once per
// cooldown, and every success after that adds one back: additive increase, multiplicative
// decrease, so a shared server sees the call back off and recover. Thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "dvidxfer/engine/async_semaphore.hpp"

namespace dvidxfer::engine {

class AdaptiveWindow : public std::enable_shared_from_this<AdaptiveWindow> {
 public:
  AdaptiveWindow(boost::asio::any_io_executor executor, std::size_t max_in_flight,
                 std::chrono::milliseconds cooldown = std::chrono::milliseconds(100));

  // Waits for a slot until `deadline`; false on deadline.
  boost::asio::awaitable<bool> acquire(std::chrono::steady_clock::time_point deadline);
  void release();

  void on_congestion();  // halve the window (not below 1)
  void on_success();     // grow the window by one (not above the maximum)

  std::size_t limit() const noexcept { return limit_.load(); }
  std::size_t max_in_flight() const noexcept { return max_; }

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<AsyncSemaphore> slots_;
  const std::size_t max_;
  const std::chrono::milliseconds cooldown_;
  std::atomic<std::size_t> limit_;
  std::mutex mutex_;          // guards withheld_ and last_decrease_
  std::size_t withheld_ = 0;  // permits taken out of circulation and held by the window
  std::optional<std::chrono::steady_clock::time_point> last_decrease_;
};

}  // namespace dvidxfer::engine
