#include "dvidxfer/engine/cpu_offload.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <memory>
#include <optional>

namespace dvidxfer::engine {

namespace asio = boost::asio;

namespace {

// Tasks enqueued and not yet done handing their completion to their executor.
std::atomic<std::size_t> tasks_in_flight{0};

// An arena that every core works in. oneTBB starts one worker fewer than there are cores,
// keeping a slot for an application thread that joins the arena; ours only enqueue into it (the
// I/O threads must not block), so without this a 2-core machine decoded on one core. The limit
// is raised to a worker per core, and no slot is kept for a joining thread.
tbb::task_arena& offload_arena() {
  static const int cores = tbb::info::default_concurrency();
  static tbb::global_control workers(tbb::global_control::max_allowed_parallelism,
                                     static_cast<std::size_t>(cores) + 1);
  static tbb::task_arena arena(cores, 0);
  return arena;
}

}  // namespace

asio::awaitable<void> run_on_cpu_pool(std::function<void()> work) {
  tbb::task_arena& arena = offload_arena();
  const auto executor = co_await asio::this_coro::executor;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&](auto handler) {
        // TBB copies what it enqueues (and calls it const); the completion handler can only
        // move, so the task shares the hand-off.
        struct Handoff {
          std::optional<decltype(handler)> completion;
          asio::any_io_executor target;
        };
        auto handoff = std::make_shared<Handoff>(Handoff{std::move(handler), executor});
        tasks_in_flight.fetch_add(1);
        arena.enqueue([&work, handoff] {
          work();
          asio::post(handoff->target, std::move(*handoff->completion));
          // Let go of the handler and executor before counting down: once the count reaches
          // zero, the context they belong to may be destroyed.
          handoff->completion.reset();
          handoff->target = asio::any_io_executor();
          if (tasks_in_flight.fetch_sub(1) == 1) tasks_in_flight.notify_all();
        });
      },
      asio::use_awaitable);
}

void wait_for_cpu_offloads() {
  for (std::size_t in_flight = tasks_in_flight.load(); in_flight != 0;
       in_flight = tasks_in_flight.load())
    tasks_in_flight.wait(in_flight);
}

}  // namespace dvidxfer::engine
