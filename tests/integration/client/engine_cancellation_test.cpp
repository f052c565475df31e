// Per-operation cancellation of HttpClient::send on real sockets: an exchange waiting for an
// answer, and a call waiting for a free connection, both end at once as ErrorKind::cancelled.
#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <thread>

#include "capture_server.hpp"
#include "dvidxfer/engine/http_client.hpp"
#include "dvidxfer/engine/io_runtime.hpp"

namespace asio = boost::asio;
using namespace dvidxfer::engine;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Outcome {
  std::optional<ErrorKind> error;
  Clock::time_point ended;
};

asio::awaitable<Outcome> send_copy(HttpClient* client, Request request) {
  auto result = co_await client->send(request);
  co_return Outcome{result ? std::nullopt : std::optional(result.error().kind), Clock::now()};
}

// A client of one connection to a server that reads requests and never answers.
struct Silent {
  dvidxfer::testing::CaptureServer server{""};
  IoRuntime runtime{1};
  HttpClient client{runtime.executor(), parse_endpoint(server.url()).value(), [] {
                      HttpClientOptions options;
                      options.max_connections = 1;
                      options.inactivity_timeout = 20s;
                      options.request_timeout = 20s;
                      return options;
                    }()};

  std::future<Outcome> spawn(asio::cancellation_signal& signal) {
    Request request;
    request.target = "/api/heartbeat";
    return asio::co_spawn(runtime.executor(), send_copy(&client, request),
                          asio::bind_cancellation_slot(signal.slot(), asio::use_future));
  }
  // Emits on the runtime's one thread: a cancellation_signal is not thread-safe.
  void cancel(asio::cancellation_signal& signal) {
    asio::post(runtime.executor(), [&signal] { signal.emit(asio::cancellation_type::terminal); });
  }
  ~Silent() {
    client.shut_down();
    runtime.shutdown();
  }
};

}  // namespace

TEST(HttpClientCancellation, AnExchangeWaitingForItsAnswerEnds) {
  Silent silent;
  asio::cancellation_signal signal;
  auto call = silent.spawn(signal);
  std::this_thread::sleep_for(100ms);
  const auto cancelled_at = Clock::now();
  silent.cancel(signal);
  ASSERT_EQ(call.wait_for(5s), std::future_status::ready);
  const auto outcome = call.get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(*outcome.error, ErrorKind::cancelled);
  EXPECT_LT(outcome.ended - cancelled_at, 2s);
}

TEST(HttpClientCancellation, AWaitForAFreeConnectionEnds) {
  Silent silent;
  asio::cancellation_signal holder, waiter;
  auto holding = silent.spawn(holder);
  std::this_thread::sleep_for(100ms);
  auto waiting = silent.spawn(waiter);
  std::this_thread::sleep_for(100ms);
  silent.cancel(waiter);
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  const auto outcome = waiting.get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(*outcome.error, ErrorKind::cancelled);
  EXPECT_EQ(holding.wait_for(0s), std::future_status::timeout) << "the holder is still waiting";
  silent.cancel(holder);
  EXPECT_EQ(holding.get().error, ErrorKind::cancelled);
}
