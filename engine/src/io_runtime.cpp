#include "dvidxfer/engine/io_runtime.hpp"

#include <algorithm>

#include "dvidxfer/common/log.hpp"
#include "dvidxfer/engine/cpu_offload.hpp"

namespace dvidxfer::engine {

IoRuntime::IoRuntime(unsigned threads)
    : context_(static_cast<int>(std::max(1u, threads))), work_(context_.get_executor()) {
  threads_.reserve(std::max(1u, threads));
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    threads_.emplace_back([this] {
      for (;;) {
        try {
          context_.run();
          return;
        } catch (const std::exception& e) {
          // A handler threw: keep the runtime alive for everyone else.
          log::error("unexpected exception in I/O thread: {}", e.what());
        }
      }
    });
  }
}

IoRuntime::~IoRuntime() {
  shutdown();
}

void IoRuntime::shutdown() {
  work_.reset();
  context_.stop();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  // A decode or encode still running on oneTBB will post its completion here: let it land first,
  // so that discard_pending() and the destructor see it.
  wait_for_cpu_offloads();
}

void IoRuntime::discard_pending() {
  shutdown();
  context_.shutdown();
}

}  // namespace dvidxfer::engine
