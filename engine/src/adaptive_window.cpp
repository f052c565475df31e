#include "dvidxfer/engine/adaptive_window.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace dvidxfer::engine {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

AdaptiveWindow::AdaptiveWindow(asio::any_io_executor executor, std::size_t max_in_flight,
                               std::chrono::milliseconds cooldown)
    : executor_(std::move(executor)),
      slots_(std::make_shared<AsyncSemaphore>(executor_, std::max<std::size_t>(1, max_in_flight))),
      max_(std::max<std::size_t>(1, max_in_flight)),
      cooldown_(cooldown),
      limit_(max_) {}

asio::awaitable<bool> AdaptiveWindow::acquire(Clock::time_point deadline) {
  co_return co_await slots_->acquire(deadline);
}

void AdaptiveWindow::release() {
  slots_->release();
}

void AdaptiveWindow::on_congestion() {
  std::size_t shrink_by = 0;
  {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    const auto current = limit_.load();
    if (current <= 1 || (last_decrease_ && now - *last_decrease_ < cooldown_)) return;
    last_decrease_ = now;
    shrink_by = current - current / 2;
    limit_.store(current - shrink_by);
  }
  // Take the permits out of circulation as requests in flight hand them back, ahead of the
  // workers waiting for one, so the smaller window holds from the next release on.
  asio::co_spawn(
      executor_,
      [self = shared_from_this(), shrink_by]() -> asio::awaitable<void> {
        for (std::size_t i = 0; i < shrink_by; ++i) {
          if (!co_await self->slots_->acquire(Clock::time_point::max(), true)) co_return;
          const std::lock_guard lock(self->mutex_);
          ++self->withheld_;
        }
      },
      asio::detached);
}

void AdaptiveWindow::on_success() {
  {
    const std::lock_guard lock(mutex_);
    if (withheld_ == 0) return;
    --withheld_;
    limit_.fetch_add(1);
  }
  slots_->release();
}

}  // namespace dvidxfer::engine
