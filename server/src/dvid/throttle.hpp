// DVID's throttle: a server-wide count of running "throttled" operations (requests with
// throttle=true|on on the endpoints that honour it). Past the limit a request is refused at once
// with 503, never queued (server/web.go ThrottledHTTP).
#pragma once

#include <mutex>
#include <optional>

#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

class Throttle {
 public:
  // Holds one slot until destroyed.
  class Slot {
   public:
    explicit Slot(Throttle& throttle) : throttle_(&throttle) {}
    Slot(Slot&& other) noexcept : throttle_(std::exchange(other.throttle_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (throttle_) throttle_->release();
    }

   private:
    Throttle* throttle_;
  };

  explicit Throttle(int limit) : limit_(limit) {}

  // A slot, or the 503 DVID sends when every slot is taken.
  std::optional<Slot> try_acquire(HttpResponse& refusal);

  // Returns the previous limit.
  int set_limit(int limit);
  int limit() const;

 private:
  void release();

  mutable std::mutex mutex_;
  int running_ = 0;
  int limit_;
};

}  // namespace dvidxfer::server
