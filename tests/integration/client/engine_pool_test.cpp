// HttpClient and its pool at the engine level: keep-alive reuse, the connection bound, and
// answers handed back whatever their status.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "dvidxfer/engine/http_client.hpp"
#include "dvidxfer/engine/io_runtime.hpp"
#include "dvidxfer/server/embedded_server.hpp"

namespace asio = boost::asio;
using namespace dvidxfer::engine;

namespace {

Endpoint endpoint_of(const dvidxfer::server::EmbeddedServer& server) {
  return parse_endpoint(server.url()).value();
}

// What one send() ended in, default-constructible as co_spawn's futures need.
struct Outcome {
  unsigned status = 0;
  std::string body;
  std::string error;  // TransferError::describe(), empty on success
};

asio::awaitable<Outcome> send_copy(HttpClient* client, Request request) {
  auto result = co_await client->send(request);
  if (!result) co_return Outcome{0, {}, result.error().describe()};
  co_return Outcome{result->status, std::move(result->body), {}};
}

}  // namespace

TEST(HttpClientPool, SequentialRequestsReuseOneConnection) {
  dvidxfer::server::EmbeddedServer server;
  IoRuntime runtime(1);
  HttpClient client(runtime.executor(), endpoint_of(server), {});
  Request request;
  request.target = "/api/heartbeat";
  for (int i = 0; i < 100; ++i) {
    const auto outcome =
        asio::co_spawn(runtime.executor(), send_copy(&client, request), asio::use_future).get();
    ASSERT_EQ(outcome.error, "");
    EXPECT_EQ(outcome.status, 200u);
    EXPECT_EQ(outcome.body, "OK");
  }
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().retries, 0u);
  client.shut_down();
  runtime.shutdown();
}

TEST(HttpClientPool, ConcurrentRequestsStayWithinTheConnectionBound) {
  dvidxfer::server::EmbeddedServer server;
  IoRuntime runtime(2);
  HttpClientOptions options;
  options.max_connections = 4;
  HttpClient client(runtime.executor(), endpoint_of(server), options);
  Request request;
  request.target = "/api/heartbeat";
  std::vector<std::future<Outcome>> calls;
  for (int i = 0; i < 200; ++i)
    calls.push_back(
        asio::co_spawn(runtime.executor(), send_copy(&client, request), asio::use_future));
  for (auto& call : calls) {
    const auto outcome = call.get();
    ASSERT_EQ(outcome.error, "");
    EXPECT_EQ(outcome.status, 200u);
  }
  EXPECT_LE(client.stats().connections_opened, 4u);
  EXPECT_GE(client.stats().connections_opened, 1u);
  client.shut_down();
  runtime.shutdown();
}

TEST(HttpClientPool, ErrorStatusesComeBackAsAnswers) {
  dvidxfer::server::EmbeddedServer server;
  IoRuntime runtime(1);
  HttpClient client(runtime.executor(), endpoint_of(server), {});
  Request request;
  request.target = "/api/node/nosuchuuid/status";
  const auto outcome =
      asio::co_spawn(runtime.executor(), send_copy(&client, request), asio::use_future).get();
  ASSERT_EQ(outcome.error, "");
  EXPECT_EQ(outcome.status, 400u);
  EXPECT_NE(outcome.body.find("could not find UUID with partial match to nosuchuuid"),
            std::string::npos)
      << outcome.body;
  client.shut_down();
  runtime.shutdown();
}
