// IoRuntime: an io_context and the threads that run it. The engine's coroutines run here; the API
// edge waits on futures. Owners call shutdown() then discard_pending() before destroying objects
// that hold sockets, timers or strands of this context, and let the runtime go last: pending
// operations are abandoned, never run. Must not be destroyed from one of its own threads.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>
#include <vector>

namespace dvidxfer::engine {

class IoRuntime {
 public:
  explicit IoRuntime(unsigned threads);
  ~IoRuntime();  // shutdown(), then destroys the context and every pending operation
  IoRuntime(const IoRuntime&) = delete;
  IoRuntime& operator=(const IoRuntime&) = delete;

  boost::asio::io_context& context() noexcept { return context_; }
  boost::asio::any_io_executor executor() { return context_.get_executor(); }
  unsigned thread_count() const noexcept { return static_cast<unsigned>(threads_.size()); }

  // Stops the context, joins its threads and waits for CPU work (run_on_cpu_pool) still to post
  // here. Idempotent; call from a thread of your own.
  void shutdown();

  // After shutdown(): destroys the operations still queued (abandoned coroutine frames included)
  // while the context's services stay alive, so the objects those frames point into can still be
  // destroyed after them, before the runtime. Repeatable: it discards what was posted since.
  void discard_pending();

 private:
  // An io_context whose protected execution_context::shutdown() (destroy every pending operation,
  // keep the services) can be called before its destructor.
  struct Context : boost::asio::io_context {
    using execution_context::shutdown;
    using io_context::io_context;
  };

  Context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace dvidxfer::engine
