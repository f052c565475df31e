// Fault injection by the server transport (latency, bandwidth caps, 503, 500, resets,
// truncations, determinism) and its /api/server/faults control endpoint, over loopback sockets.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "raw_http_client.hpp"
#include "transport_test_listener.hpp"

namespace dvidxfer::testing {
namespace {

using server::FaultConfig;
using server::FaultInjector;
using std::chrono::steady_clock;

TEST(TransportFaults, LatencyDelaysEveryResponse) {
  TestListener server;
  server.faults.configure({.latency = std::chrono::milliseconds(150)});
  RawHttpClient client(server.port());
  for (int i = 0; i < 2; ++i) {
    const auto start = steady_clock::now();
    EXPECT_EQ(client.request("GET", "/bytes?n=1").status, 200);
    EXPECT_GE(steady_clock::now() - start, std::chrono::milliseconds(150));
  }
}

TEST(TransportFaults, BandwidthCapPacesResponseBodies) {
  TestListener server;
  server.faults.configure({.bandwidth_bytes_per_second = 4'000'000});
  RawHttpClient client(server.port());
  const auto start = steady_clock::now();
  const auto response = client.request("GET", "/bytes?n=1000000");
  EXPECT_EQ(response.body.size(), 1'000'000u);
  EXPECT_GE(steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(TransportFaults, BandwidthCapPacesRequestBodies) {
  TestListener server;
  server.faults.configure({.bandwidth_bytes_per_second = 4'000'000});
  RawHttpClient client(server.port());
  const auto start = steady_clock::now();
  // The answer is empty, so only the upload can be slow.
  client.send_request("POST", "/empty", std::string(1'000'000, 'u'));
  EXPECT_EQ(client.read_response().status, 200);
  EXPECT_GE(steady_clock::now() - start, std::chrono::milliseconds(200));
  EXPECT_EQ(server.handler.last_request().body.size(), 1'000'000u);
}

TEST(TransportFaults, Rate503AnswersUnavailableWithoutRunningTheHandler) {
  TestListener server;
  server.faults.configure({.rate_503 = 1.0});
  RawHttpClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    const auto response = client.request("POST", "/echo", "x");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.body, "DVID server is unavailable.\n");
    EXPECT_EQ(response.header("content-type"), "text/plain; charset=utf-8");
    EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
  }
  EXPECT_EQ(server.handler.handled(), 0u);
  EXPECT_EQ(server.faults.counters().requests, 3u);
  EXPECT_EQ(server.faults.counters().injected_503, 3u);
}

TEST(TransportFaults, Rate500AnswersADvidPanicWithoutRunningTheHandler) {
  TestListener server;
  server.faults.configure({.rate_500 = 1.0});
  RawHttpClient client(server.port());
  const auto response = client.request("GET", "/echo?x=1");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.rfind("Panic detected on request 1:\ninjected fault\nIP: 127.0.0.1:", 0),
            0u)
      << response.body;
  EXPECT_EQ(response.body.substr(response.body.size() - 14), ", URL: /echo\n\n") << response.body;
  EXPECT_EQ(server.handler.handled(), 0u);
  EXPECT_EQ(server.faults.counters().injected_500, 1u);
}

TEST(TransportFaults, ResetCutsTheBodyWithAnRst) {
  TestListener server;
  server.faults.configure({.rate_reset = 1.0});
  RawHttpClient client(server.port());
  client.send_request("GET", "/bytes?n=100000");
  const auto response = client.read_response();
  EXPECT_EQ(response.end, ReadEnd::reset);
  EXPECT_EQ(response.header("content-length"), "100000");
  EXPECT_LT(response.body.size(), 100000u);
  EXPECT_EQ(server.handler.handled(), 1u) << "the handler runs before the cut";
  EXPECT_EQ(server.faults.counters().resets, 1u);
}

TEST(TransportFaults, TruncateSendsPartOfTheBodyThenCloses) {
  TestListener server;
  server.faults.configure({.rate_truncate = 1.0});
  RawHttpClient client(server.port());
  client.send_request("GET", "/bytes?n=100000");
  const auto response = client.read_response();
  EXPECT_EQ(response.end, ReadEnd::eof);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-length"), "100000");
  EXPECT_GT(response.body.size(), 0u);
  EXPECT_LT(response.body.size(), 100000u);
  EXPECT_EQ(server.faults.counters().truncations, 1u);
}

TEST(TransportFaults, CutsOfEmptyBodiesStillBreakTheResponse) {
  TestListener server;
  server.faults.configure({.rate_truncate = 1.0});
  RawHttpClient client(server.port());
  client.send_request("GET", "/empty");
  EXPECT_NE(client.read_response().end, ReadEnd::complete);
  client.reconnect();
  client.send_request("HEAD", "/bytes?n=10");
  EXPECT_NE(client.read_response(true).end, ReadEnd::complete);
  server.faults.configure({.rate_reset = 1.0});
  client.reconnect();
  client.send_request("GET", "/empty");
  EXPECT_NE(client.read_response().end, ReadEnd::complete);
}

// Which requests of a run of `count`, on one connection, were answered 503.
std::vector<bool> unavailable_pattern(TestListener& server, std::uint64_t seed, int count) {
  server.faults.configure({.seed = seed, .rate_503 = 0.5});
  RawHttpClient client(server.port());
  std::vector<bool> pattern;
  for (int i = 0; i < count; ++i) pattern.push_back(client.request("GET", "/empty").status == 503);
  return pattern;
}

TEST(TransportFaults, DecisionsRepeatUnderTheSameSeed) {
  TestListener server;
  const auto first = unavailable_pattern(server, 42, 100);
  const auto again = unavailable_pattern(server, 42, 100);
  const auto other = unavailable_pattern(server, 43, 100);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
  const auto faulted = std::count(first.begin(), first.end(), true);
  EXPECT_GT(faulted, 25);
  EXPECT_LT(faulted, 75);
}

TEST(TransportFaults, InjectorDecisionsRepeatUnderTheSameSeed) {
  const FaultConfig config{
      .seed = 7, .rate_503 = 0.2, .rate_500 = 0.2, .rate_reset = 0.2, .rate_truncate = 0.2};
  FaultInjector a(config);
  FaultInjector b(config);
  std::vector<int> kinds(5, 0);
  for (int i = 0; i < 1000; ++i) {
    const auto decision = a.decide();
    ASSERT_EQ(decision.kind, b.decide().kind) << i;
    EXPECT_EQ(decision.request_number, static_cast<std::uint64_t>(i + 1));
    ++kinds[static_cast<int>(decision.kind)];
  }
  for (int count : kinds) EXPECT_GT(count, 100) << "every kind appears at its rate";
}

TEST(TransportFaults, ControlEndpointReportsAndReplacesTheConfiguration) {
  TestListener server;
  RawHttpClient client(server.port());
  auto response = client.request(
      "POST", "/api/server/faults",
      R"({"seed": 9, "latency_ms": 5, "bandwidth_bytes_per_second": 1e9, "rate_503": 1,
          "rate_500": 0, "rate_reset": 0, "rate_truncate": 0.0})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  const FaultConfig expected{.seed = 9,
                             .latency = std::chrono::milliseconds(5),
                             .bandwidth_bytes_per_second = 1'000'000'000,
                             .rate_503 = 1.0};
  EXPECT_EQ(server.faults.config(), expected);

  // The control endpoint is never faulted, everything else now is.
  EXPECT_EQ(client.request("GET", "/empty").status, 503);
  response = client.request("GET", "/api/server/faults");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body,
            R"({"config":{"seed":9,"latency_ms":5,"bandwidth_bytes_per_second":1000000000,)"
            R"("rate_503":1,"rate_500":0,"rate_reset":0,"rate_truncate":0},"counters":)"
            R"({"requests":1,"injected_503":1,"injected_500":0,"resets":0,"truncations":0}})");

  // Absent keys take their defaults.
  EXPECT_EQ(client.request("POST", "/api/server/faults", R"({"rate_500": 0.25})").status, 200);
  EXPECT_EQ(server.faults.config(), FaultConfig{.rate_500 = 0.25});
}

TEST(TransportFaults, ControlEndpointRejectsBadConfigurations) {
  TestListener server;
  server.faults.configure({.seed = 3});
  RawHttpClient client(server.port());
  for (const char* body : {"", "[]", "{", R"({"rate_503": 2})", R"({"rate_503": "0.5"})",
                           R"({"latency_ms": -1})", R"({"sede": 1})", R"({"seed": 1} x)"}) {
    const auto response = client.request("POST", "/api/server/faults", body);
    EXPECT_EQ(response.status, 400) << body;
  }
  EXPECT_EQ(server.faults.config(), FaultConfig{.seed = 3});
  EXPECT_EQ(client.request("DELETE", "/api/server/faults").status, 405);
}

}  // namespace
}  // namespace dvidxfer::testing
