#include "dvidxfer/engine/cpu_offload.hpp"

#include <tbb/task_arena.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

namespace dvidxfer::engine {

namespace asio = boost::asio;

asio::awaitable<void> run_on_cpu_pool(std::function<void()> work) {
  static tbb::task_arena arena;  // oneTBB's workers, one per core by default
  const auto executor = co_await asio::this_coro::executor;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&](auto handler) {
        // TBB copies what it enqueues; the completion handler can only move, so share it.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        arena.enqueue([&work, shared, executor] {
          work();
          asio::post(executor, std::move(*shared));
        });
      },
      asio::use_awaitable);
}

}  // namespace dvidxfer::engine
