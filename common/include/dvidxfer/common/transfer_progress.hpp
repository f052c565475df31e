// Progress and cancellation of a volume transfer, shared by the engine and the public API.
// Plain types: no I/O, thread-safe where stated.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace dvidxfer {

// Where a volume call stands. Chunks are the parallel requests the call was split into;
// bytes are uncompressed voxel bytes.
struct TransferProgress {
  std::uint64_t chunks_planned = 0;
  std::uint64_t chunks_sent = 0;          // requests started (retries not counted twice)
  std::uint64_t chunks_acknowledged = 0;  // chunks the server answered 200 for and we decoded
  std::uint64_t bytes_planned = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_acknowledged = 0;
};

// Called from I/O or worker threads after each chunk starts and ends; keep it short and
// thread-safe. Calls may arrive concurrently.
using ProgressCallback = std::function<void(const TransferProgress&)>;

// Cancels a volume call from any thread: no new chunk starts, chunks in flight are abandoned at
// their next step, and the call fails with a cancelled error. Copies share one flag.
class CancellationToken {
 public:
  CancellationToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const noexcept { flag_->store(true); }
  bool cancelled() const noexcept { return flag_->load(); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace dvidxfer
