#include "dvidxfer/engine/cpu_offload.hpp"

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

}  // namespace

asio::awaitable<void> run_on_cpu_pool(std::function<void()> work) {
  static tbb::task_arena arena;  // oneTBB's workers, one per core by default
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
