#include "dvidxfer/engine/async_semaphore.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace dvidxfer::engine {

namespace asio = boost::asio;

AsyncSemaphore::AsyncSemaphore(asio::any_io_executor executor, std::size_t permits)
    : strand_(asio::make_strand(std::move(executor))), permits_(permits), available_(permits) {}

asio::awaitable<bool> AsyncSemaphore::acquire(std::chrono::steady_clock::time_point deadline,
                                              bool ahead) {
  const auto home = co_await asio::this_coro::executor;
  co_await asio::dispatch(asio::bind_executor(strand_, asio::use_awaitable));
  bool granted = false;
  if (permits_ > 0) {
    --permits_;
    available_.store(permits_);
    granted = true;
  } else {
    auto waiter = std::make_shared<Waiter>(asio::any_io_executor(strand_));
    waiter->timer.expires_at(deadline);
    if (ahead)
      waiters_.push_front(waiter);
    else
      waiters_.push_back(waiter);
    boost::system::error_code ignored;
    // Bound to the strand: a coroutine resumes on its own executor otherwise, and waiters_ is the
    // strand's.
    co_await waiter->timer.async_wait(
        asio::bind_executor(strand_, asio::redirect_error(asio::use_awaitable, ignored)));
    // A release() that ran before this resumption granted the permit even if the timer had already
    // expired; otherwise we timed out (or were cancelled) and leave.
    granted = waiter->granted;
    if (!granted) std::erase(waiters_, waiter);
  }
  co_await asio::post(asio::bind_executor(home, asio::use_awaitable));
  co_return granted;
}

void AsyncSemaphore::release() {
  asio::post(strand_, [this, self = shared_from_this()] {
    if (!waiters_.empty()) {
      auto waiter = std::move(waiters_.front());
      waiters_.pop_front();
      waiter->granted = true;
      waiter->timer.cancel();
    } else {
      ++permits_;
      available_.store(permits_);
    }
  });
}

}  // namespace dvidxfer::engine
