// Runs CPU-heavy work (lz4 decode and encode, scatter copies) on oneTBB's worker threads so the
// I/O threads keep reading sockets; the awaiting coroutine resumes on its own executor after.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>

namespace dvidxfer::engine {

// `work` must not throw; it runs once, on a TBB worker thread. References it captures must stay
// valid until the returned awaitable completes (a coroutine's locals do).
boost::asio::awaitable<void> run_on_cpu_pool(std::function<void()> work);

// Blocks until every task run_on_cpu_pool started (for any executor) has run and handed its
// completion to its executor; from then on the executor's context owns it. IoRuntime::shutdown
// waits here, so no task posts into a context being discarded or destroyed. Not from a task.
void wait_for_cpu_offloads();

}  // namespace dvidxfer::engine
