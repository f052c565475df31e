// AdmissionControl: an outside authority that decides when a request may go, such as a
// dvid-resource-manager shared by a cluster's loaders. HttpClient asks it once per request
// (retries included in that one admission) and hands the ticket back exactly once afterwards,
// whether the request succeeded or failed.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

#include "dvidxfer/engine/transfer_error.hpp"

namespace dvidxfer::engine {

struct AdmissionRequest {
  bool read = true;         // GET/HEAD/DELETE read; POST/PUT write
  std::uint64_t bytes = 0;  // payload bytes for writes, expected answer bytes for reads
  std::string resource;     // the DVID server, "http://host:port"
};

class AdmissionControl {
 public:
  virtual ~AdmissionControl() = default;
  // Waits until the request may go and returns its ticket, or an error (kind admission) when the
  // authority refuses or does not answer within its deadline. Must not block the calling thread.
  virtual boost::asio::awaitable<TransferResult<std::uint64_t>> admit(AdmissionRequest request) = 0;
  // Gives the ticket back. Never blocks; thread-safe.
  virtual void release(std::uint64_t ticket) noexcept = 0;
};

}  // namespace dvidxfer::engine
