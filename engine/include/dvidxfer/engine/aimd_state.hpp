// AimdState: AdaptiveWindow's arithmetic, pure: the window's limit, the permits it has taken out
// of circulation (withheld) and those it still has to take (pending), under additive increase,
// multiplicative decrease. The clock reading comes in as an argument. Invariant:
// limit() + withheld() + pending() == max_in_flight(). Not thread-safe: AdaptiveWindow locks.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace dvidxfer::engine {

class AimdState {
 public:
  using Clock = std::chrono::steady_clock;

  // `max_in_flight` (0 counts as 1) is also the starting limit.
  AimdState(std::size_t max_in_flight, std::chrono::milliseconds cooldown) noexcept;

  // A congestion signal at `now`: halves the limit (rounding the limit down, never below 1), unless
  // the last decrease was less than a cooldown ago. Returns how many permits the window must now
  // take out of circulation (0 when the signal was ignored).
  std::size_t on_congestion(Clock::time_point now) noexcept;

  // A success: the limit grows by one, up to the maximum. True when the window must put a withheld
  // permit back into circulation; false when the growth cancelled a withdrawal not yet made, or
  // the limit was already at its maximum.
  bool on_success() noexcept;

  // The window has just taken a permit out of circulation. True: keep it withheld. False: no
  // withdrawal is pending any more (a success cancelled it), so the permit goes back.
  bool permit_taken() noexcept;

  std::size_t limit() const noexcept { return limit_; }
  std::size_t withheld() const noexcept { return withheld_; }
  std::size_t pending() const noexcept { return pending_; }
  std::size_t max_in_flight() const noexcept { return max_; }

 private:
  std::size_t max_;
  std::chrono::milliseconds cooldown_;
  std::size_t limit_;
  std::size_t withheld_ = 0;
  std::size_t pending_ = 0;
  std::optional<Clock::time_point> last_decrease_;
};

}  // namespace dvidxfer::engine
