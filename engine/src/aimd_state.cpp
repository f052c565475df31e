#include "dvidxfer/engine/aimd_state.hpp"

#include <algorithm>

namespace dvidxfer::engine {

AimdState::AimdState(std::size_t max_in_flight, std::chrono::milliseconds cooldown) noexcept
    : max_(std::max<std::size_t>(1, max_in_flight)), cooldown_(cooldown), limit_(max_) {}

std::size_t AimdState::on_congestion(Clock::time_point now) noexcept {
  if (limit_ <= 1 || (last_decrease_ && now - *last_decrease_ < cooldown_)) return 0;
  last_decrease_ = now;
  const std::size_t shrink_by = limit_ - limit_ / 2;
  limit_ -= shrink_by;
  pending_ += shrink_by;
  return shrink_by;
}

bool AimdState::on_success() noexcept {
  if (pending_ > 0) {
    --pending_;
    ++limit_;
    return false;
  }
  if (withheld_ == 0) return false;
  --withheld_;
  ++limit_;
  return true;
}

bool AimdState::permit_taken() noexcept {
  if (pending_ == 0) return false;
  --pending_;
  ++withheld_;
  return true;
}

}  // namespace dvidxfer::engine
