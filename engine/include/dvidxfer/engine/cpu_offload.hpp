// Runs CPU-heavy work (lz4 decode and encode, scatter copies) on oneTBB's worker threads so the
// I/O threads keep reading sockets; the awaiting coroutine resumes on its own executor after.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>

namespace dvidxfer::engine {

// `work` must not throw; it runs once, on a TBB worker thread. References it captures must stay
// valid until the returned awaitable completes (a coroutine's locals do).
boost::asio::awaitable<void> run_on_cpu_pool(std::function<void()> work);

}  // namespace dvidxfer::engine
