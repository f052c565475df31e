// ResourceManagerClient: admission by a dvid-resource-manager (janelia-flyem/dvid-resource-manager)
// over ZeroMQ, the protocol libdvid-cpp speaks: each request is announced with its size in bytes
// and whether it reads; the manager grants it at once or names an id to wait for on its PUB socket
// (port + 1), and every grant is released when the request ends. Unlike libdvid, every wait is
// bounded, grant ids are matched exactly, and replies of any length are parsed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "dvidxfer/engine/admission_control.hpp"

namespace dvidxfer::engine {

class ResourceManagerWorker;

class ResourceManagerClient final : public AdmissionControl {
 public:
  // Talks to tcp://host:port (requests) and tcp://host:port+1 (grant announcements); ZeroMQ
  // connects in the background, so an absent manager shows only as timeouts. `timeout` bounds
  // each wait for the manager: a reply, and an announced grant. Throws std::invalid_argument for
  // an empty host, a port outside 1..65534 or a non-positive timeout, std::runtime_error when
  // ZeroMQ cannot start.
  ResourceManagerClient(const std::string& host, int port, std::chrono::milliseconds timeout);
  // shut_down().
  ~ResourceManagerClient() override;

  // The grant's ticket once the manager allows the request; an admission error naming the
  // manager and what went unanswered when it is silent past the timeout, refuses the size as
  // beyond its maximums, or this client has shut down. Waits on the worker thread, never on the
  // caller's; resumes on the calling coroutine's executor.
  boost::asio::awaitable<TransferResult<std::uint64_t>> admit(AdmissionRequest request) override;
  // Queues the ticket's release and returns at once. Thread-safe.
  void release(std::uint64_t ticket) noexcept override;

  // Fails admissions still waiting, gives back grants not yet released (spending at most one
  // timeout; for up to 2 s also those that arrive for requests still queued at the manager,
  // which has no way to cancel them) and stops the worker. Afterwards admissions fail at once and
  // releases are ignored. Call before the executors of waiting admissions are destroyed; not
  // concurrently with itself.
  void shut_down() noexcept;

  // "tcp://host:port".
  const std::string& address() const noexcept;

 private:
  std::unique_ptr<ResourceManagerWorker> worker_;
};

}  // namespace dvidxfer::engine
