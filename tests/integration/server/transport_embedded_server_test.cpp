// EmbeddedServer's transport contract: listening on return, its fault API, and stop().
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dvidxfer/server/embedded_server.hpp"
#include "raw_http_client.hpp"

namespace dvidxfer::testing {
namespace {

using server::EmbeddedServer;
using server::FaultConfig;
using std::chrono::steady_clock;

TEST(TransportEmbeddedServer, ServesOnceConstructed) {
  EmbeddedServer server;
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.host(), "127.0.0.1");
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
  RawHttpClient client(server.port());
  const auto response = client.request("GET", "/api/heartbeat");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "OK");
}

TEST(TransportEmbeddedServer, HeartbeatIsFaultedLikeEverythingElse) {
  EmbeddedServer server({.faults = {.rate_503 = 1.0}});
  RawHttpClient client(server.port());
  const auto response = client.request("GET", "/api/heartbeat");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "DVID server is unavailable.\n");
  EXPECT_EQ(server.fault_counters().injected_503, 1u);
  EXPECT_EQ(server.fault_counters().requests, 1u);

  server.set_faults({});
  EXPECT_EQ(server.faults(), FaultConfig{});
  EXPECT_EQ(client.request("GET", "/api/heartbeat").status, 200);
}

TEST(TransportEmbeddedServer, FaultsAreReconfigurableOverHttp) {
  EmbeddedServer server;
  RawHttpClient client(server.port());
  ASSERT_EQ(client.request("POST", "/api/server/faults", R"({"seed": 5, "rate_500": 1})").status,
            200);
  EXPECT_EQ(server.faults(), (FaultConfig{.seed = 5, .rate_500 = 1.0}));
  EXPECT_EQ(client.request("GET", "/api/heartbeat").status, 500);
  const auto report = client.request("GET", "/api/server/faults");
  EXPECT_NE(report.body.find(R"("injected_500":1)"), std::string::npos) << report.body;
}

TEST(TransportEmbeddedServer, ThrottleLimitReachesTheRouter) {
  EmbeddedServer server({.throttle_limit = 3});
  EXPECT_EQ(server.throttle_limit(), 3);
  server.set_throttle_limit(5);
  EXPECT_EQ(server.throttle_limit(), 5);
}

TEST(TransportEmbeddedServer, StopClosesIdleConnectionsPromptlyAndIsIdempotent) {
  auto server = std::make_unique<EmbeddedServer>(server::ServerConfig{.threads = 2});
  std::vector<std::unique_ptr<RawHttpClient>> clients;
  for (int i = 0; i < 10; ++i) {
    clients.push_back(std::make_unique<RawHttpClient>(server->port()));
    ASSERT_EQ(clients.back()->request("GET", "/api/heartbeat").status, 200);
  }
  const auto start = steady_clock::now();
  server->stop();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(2));
  for (auto& client : clients) EXPECT_TRUE(client->server_closed());
  server->stop();
  server.reset();  // the destructor stops again
}

TEST(TransportEmbeddedServer, TakenPortIsReported) {
  EmbeddedServer first;
  EXPECT_THROW(EmbeddedServer({.port = first.port()}), std::runtime_error);
}

}  // namespace
}  // namespace dvidxfer::testing
