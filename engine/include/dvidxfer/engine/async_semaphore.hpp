// AsyncSemaphore: a counting semaphore whose acquire is a coroutine with a deadline. No thread
// ever blocks: waiters park on timers, and release() hands a permit to the oldest waiter.
// All state lives on a strand, so the object is thread-safe. Owned through shared_ptr so that a
// release() posted from a destructor never outlives the state it touches.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>

namespace dvidxfer::engine {

class AsyncSemaphore : public std::enable_shared_from_this<AsyncSemaphore> {
 public:
  AsyncSemaphore(boost::asio::any_io_executor executor, std::size_t permits);

  // Waits for a permit until `deadline`. True when one was granted (the caller must release() it
  // later), false on deadline. Per-operation cancellation ends the wait without a permit, and Asio
  // then throws operation_aborted (its throw_if_cancelled default). Resumes on the caller's
  // executor. Waiters are served in order, except that `ahead` ones go before ordinary waiters.
  boost::asio::awaitable<bool> acquire(std::chrono::steady_clock::time_point deadline,
                                       bool ahead = false);

  // Returns a permit. Safe from any thread, including destructors; never blocks.
  void release();

  // Permits neither held nor waited for, as of the last strand turn (for tests and stats).
  std::size_t available() const noexcept { return available_.load(); }

 private:
  struct Waiter {
    explicit Waiter(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    bool granted = false;
  };

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::deque<std::shared_ptr<Waiter>> waiters_;  // touched only on strand_
  std::size_t permits_;                          // touched only on strand_
  std::atomic<std::size_t> available_;
};

}  // namespace dvidxfer::engine
