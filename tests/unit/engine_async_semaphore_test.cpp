#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "dvidxfer/engine/async_semaphore.hpp"

namespace asio = boost::asio;
using dvidxfer::engine::AsyncSemaphore;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(AsyncSemaphore, NeverGrantsMoreThanItsPermitsAndServesEveryWaiter) {
  asio::io_context context;
  auto semaphore = std::make_shared<AsyncSemaphore>(context.get_executor(), 3);
  int holding = 0, most_holding = 0, finished = 0;
  for (int i = 0; i < 50; ++i) {
    asio::co_spawn(
        context,
        [&]() -> asio::awaitable<void> {
          const bool granted = co_await semaphore->acquire(Clock::now() + 10s);
          EXPECT_TRUE(granted);
          most_holding = std::max(most_holding, ++holding);
          asio::steady_timer pause(context, 1ms);
          co_await pause.async_wait(asio::use_awaitable);
          --holding;
          semaphore->release();
          ++finished;
        },
        asio::detached);
  }
  context.run();
  EXPECT_EQ(finished, 50);
  EXPECT_EQ(most_holding, 3);
  EXPECT_EQ(semaphore->available(), 3u);
}

TEST(AsyncSemaphore, AcquireGivesUpAtItsDeadlineWithoutLosingThePermit) {
  asio::io_context context;
  auto semaphore = std::make_shared<AsyncSemaphore>(context.get_executor(), 1);
  bool second_granted = true;
  bool third_granted = false;
  asio::co_spawn(
      context,
      [&]() -> asio::awaitable<void> {
        EXPECT_TRUE(co_await semaphore->acquire(Clock::now() + 1s));
        second_granted = co_await semaphore->acquire(Clock::now() + 20ms);  // times out
        semaphore->release();
        third_granted = co_await semaphore->acquire(Clock::now() + 1s);
        semaphore->release();
      },
      asio::detached);
  context.run();
  EXPECT_FALSE(second_granted);
  EXPECT_TRUE(third_granted);
  EXPECT_EQ(semaphore->available(), 1u);
}
