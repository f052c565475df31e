// ResourceManagerWorker: the thread that speaks to one dvid-resource-manager. ZeroMQ sockets block
// and belong to one thread, so every exchange happens here, one at a time on the REQ socket, while
// requests told to wait listen together on one SUB socket for their grant. Callers on any thread
// hand it admissions and releases without blocking.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dvidxfer/engine/admission_control.hpp"

namespace dvidxfer::engine {

// Told exactly once how an admission ended: the grant's id, or an admission error. Called on the
// worker's thread (or the caller's, once the worker has stopped); must not block.
class AdmissionWaiter {
 public:
  virtual ~AdmissionWaiter() = default;
  virtual void finish(TransferResult<std::uint64_t> outcome) = 0;
};

class ResourceManagerWorker {
 public:
  // Opens the ZeroMQ context and the REQ socket to tcp://host:port (the grants come from port + 1)
  // and starts the thread. `timeout` bounds every wait for the manager: a reply, and an announced
  // grant. Throws std::invalid_argument for an address ZeroMQ rejects, std::runtime_error when
  // ZeroMQ or the wake-up pipe cannot be set up.
  ResourceManagerWorker(const std::string& host, int port, std::chrono::milliseconds timeout);
  // stop().
  ~ResourceManagerWorker();
  ResourceManagerWorker(const ResourceManagerWorker&) = delete;
  ResourceManagerWorker& operator=(const ResourceManagerWorker&) = delete;

  // Queues the admission; `waiter` is told its outcome later, or at once when stopped.
  void admit(AdmissionRequest request, std::unique_ptr<AdmissionWaiter> waiter);
  // Queues the release of a grant. Unknown or already released ids are ignored (the Python
  // manager crashes on them).
  void release(std::uint64_t id) noexcept;
  // Fails the admissions still queued or waiting, gives back every grant not yet released
  // (spending at most one `timeout`) and, for up to 2 s, the grants that then arrive for requests
  // still queued at the manager, and joins the thread. Idempotent.
  void stop() noexcept;

  // "tcp://host:port", for messages.
  const std::string& address() const noexcept { return address_; }

 private:
  struct Admission {
    AdmissionRequest request;
    std::unique_ptr<AdmissionWaiter> waiter;
    std::chrono::steady_clock::time_point deadline;
  };
  class Session;

  void wake() noexcept;
  void run();

  std::string address_;
  std::chrono::milliseconds timeout_;
  int wake_read_fd_ = -1;
  int wake_write_fd_ = -1;
  std::unique_ptr<Session> session_;  // used only by the thread once it runs

  std::mutex mutex_;  // guards the inbox below
  std::deque<Admission> admissions_;
  std::vector<std::uint64_t> releases_;
  bool stopping_ = false;

  std::thread thread_;
};

}  // namespace dvidxfer::engine
