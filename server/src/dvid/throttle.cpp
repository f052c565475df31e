#include "dvid/throttle.hpp"

#include <fmt/format.h>

#include "dvid/dvid_errors.hpp"

namespace dvidxfer::server {

std::optional<Throttle::Slot> Throttle::try_acquire(HttpResponse& refusal) {
  std::lock_guard lock(mutex_);
  if (running_ < limit_) {
    ++running_;
    return Slot(*this);
  }
  // DVID's message already ends in a newline and http.Error adds another.
  refusal = http_error(
      503,
      fmt::format("Server already running {} throttled operations (max = {})\n", running_, limit_));
  return std::nullopt;
}

void Throttle::release() {
  std::lock_guard lock(mutex_);
  --running_;
}

int Throttle::set_limit(int limit) {
  std::lock_guard lock(mutex_);
  return std::exchange(limit_, limit);
}

int Throttle::limit() const {
  std::lock_guard lock(mutex_);
  return limit_;
}

}  // namespace dvidxfer::server
