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

asio::awaitable<TransferResult<Response>> send_copy(HttpClient* client, Request request) {
  co_return co_await client->send(request);
}

}  // namespace

TEST(HttpClientPool, SequentialRequestsReuseOneConnection) {
  dvidxfer::server::EmbeddedServer server;
  IoRuntime runtime(1);
  HttpClient client(runtime.executor(), endpoint_of(server), {});
  Request request;
  request.target = "/api/heartbeat";
  for (int i = 0; i < 100; ++i) {
    auto result = asio::co_spawn(runtime.executor(), send_copy(&client, request), asio::use_future).get();
    ASSERT_TRUE(result.ok()) << result.error().describe();
    EXPECT_EQ(result->status, 200u);
    EXPECT_EQ(result->body, "OK");
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
  std::vector<std::future<TransferResult<Response>>> calls;
  for (int i = 0; i < 200; ++i)
    calls.push_back(asio::co_spawn(runtime.executor(), send_copy(&client, request), asio::use_future));
  for (auto& call : calls) {
    auto result = call.get();
    ASSERT_TRUE(result.ok()) << result.error().describe();
    EXPECT_EQ(result->status, 200u);
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
  auto result = asio::co_spawn(runtime.executor(), send_copy(&client, request), asio::use_future).get();
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->status, 400u);
  EXPECT_NE(result->body.find("could not find UUID with partial match to nosuchuuid"), std::string::npos)
      << result->body;
  client.shut_down();
  runtime.shutdown();
}
