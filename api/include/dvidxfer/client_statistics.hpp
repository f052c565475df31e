// ClientStatistics: what a client's HTTP layer has done since it was created, for reports, load
// tests and benchmarks.
#pragma once

#include <cstdint>

namespace dvidxfer {

struct ClientStatistics {
  std::uint64_t requests = 0;  // HTTP requests the calls made (a volume call makes one per chunk)
  std::uint64_t attempts = 0;  // exchanges tried, retries included
  std::uint64_t retries = 0;   // attempts after the first (after a 503, a reset, a timeout...)
  std::uint64_t failures = 0;  // requests that ended with no usable answer (transport errors)
  std::uint64_t connections_opened = 0;
};

}  // namespace dvidxfer
