#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "dvidxfer/engine/adaptive_window.hpp"

namespace asio = boost::asio;
using dvidxfer::engine::AdaptiveWindow;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(AdaptiveWindow, CongestionHalvesInFlightAndSuccessesGrowItBack) {
  asio::io_context context;
  auto window = std::make_shared<AdaptiveWindow>(context.get_executor(), 8, 0ms);
  int done = 0;
  for (int i = 0; i < 200; ++i) {
    asio::co_spawn(
        context,
        [&, i]() -> asio::awaitable<void> {
          EXPECT_TRUE(co_await window->acquire(Clock::now() + 10s));
          asio::steady_timer work(context, 1ms);
          co_await work.async_wait(asio::use_awaitable);
          if (i == 20) {
            window->on_congestion();  // 8 -> 4
            window->on_congestion();  // 4 -> 2 (no cooldown in this test)
            EXPECT_EQ(window->limit(), 2u);
          }
          window->release();
          if (i > 60) window->on_success();
          ++done;
        },
        asio::detached);
  }
  context.run();
  EXPECT_EQ(done, 200);
  EXPECT_EQ(window->limit(), 8u) << "successes restore the full window";
}

TEST(AdaptiveWindow, NeverShrinksBelowOneAndRespectsTheCooldown) {
  asio::io_context context;
  auto window = std::make_shared<AdaptiveWindow>(context.get_executor(), 4, 1h);
  window->on_congestion();
  window->on_congestion();  // within the cooldown: ignored
  context.run();
  EXPECT_EQ(window->limit(), 2u);
  auto tiny = std::make_shared<AdaptiveWindow>(context.get_executor(), 1, 0ms);
  tiny->on_congestion();
  EXPECT_EQ(tiny->limit(), 1u);
}
