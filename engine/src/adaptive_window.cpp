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
      aimd_(max_, cooldown) {}

asio::awaitable<bool> AdaptiveWindow::acquire(Clock::time_point deadline) {
  const bool granted = co_await slots_->acquire(deadline);
  co_return granted;
}

void AdaptiveWindow::release() {
  slots_->release();
}

std::size_t AdaptiveWindow::limit() const {
  const std::lock_guard lock(mutex_);
  return aimd_.limit();
}

void AdaptiveWindow::on_congestion() {
  std::size_t withdrawals = 0;
  {
    const std::lock_guard lock(mutex_);
    withdrawals = aimd_.on_congestion(Clock::now());
  }
  if (withdrawals > 0) asio::co_spawn(executor_, withhold(shared_from_this()), asio::detached);
}

void AdaptiveWindow::on_success() {
  bool give_back = false;
  {
    const std::lock_guard lock(mutex_);
    give_back = aimd_.on_success();
  }
  if (give_back) slots_->release();
}

asio::awaitable<void> AdaptiveWindow::withhold(std::shared_ptr<AdaptiveWindow> self) {
  for (;;) {
    {
      const std::lock_guard lock(self->mutex_);
      if (self->aimd_.pending() == 0) co_return;
    }
    // Ahead of the workers waiting for a slot, so the smaller window holds from the next release.
    const bool granted = co_await self->slots_->acquire(Clock::time_point::max(), true);
    if (!granted) co_return;
    bool keep = false;
    {
      const std::lock_guard lock(self->mutex_);
      keep = self->aimd_.permit_taken();
    }
    if (!keep) self->slots_->release();
  }
}

}  // namespace dvidxfer::engine
