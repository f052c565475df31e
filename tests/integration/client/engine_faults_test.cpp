// The engine's retry policy and deadlines against the embedded server's injected faults: every
// call either returns exactly what was stored or raises a clear error, never wrong data.
#include <gtest/gtest.h>

#include <chrono>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

class EngineUnderFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    uuid = ServerService(server.url()).create_new_repo("faults", "engine under faults");
    ClientOptions options;
    options.initial_backoff = 1ms;
    options.max_backoff = 20ms;
    options.max_attempts = 12;
    options.request_timeout = 20s;
    node = std::make_unique<NodeService>(server.url(), uuid, "faults", "tests", "", 0, options);
    node->create_keyvalue("kv");
    for (int i = 0; i < 20; ++i) node->put("kv", key(i), value(i));
  }

  static std::string key(int i) { return "k" + std::to_string(i); }
  static std::string value(int i) {
    return std::string(100000 + i, static_cast<char>('a' + i % 26));
  }

  // Reads every key back and checks each byte.
  void expect_all_values_exact() {
    for (int round = 0; round < 3; ++round)
      for (int i = 0; i < 20; ++i) ASSERT_EQ(node->get("kv", key(i)), value(i)) << key(i);
  }

  server::EmbeddedServer server;
  std::string uuid;
  std::unique_ptr<NodeService> node;
};

}  // namespace

TEST_F(EngineUnderFaults, StormsOf503AreRetriedToSuccess) {
  server.set_faults({.seed = 7, .rate_503 = 0.5});
  const auto before = node->statistics();
  expect_all_values_exact();
  EXPECT_GT(server.fault_counters().injected_503, 10u);
  // Every 503 was retried, and the client's statistics counted each retry.
  const auto after = node->statistics();
  EXPECT_EQ(after.retries - before.retries, server.fault_counters().injected_503);
  EXPECT_EQ(after.requests - before.requests, 60u);
}

TEST_F(EngineUnderFaults, ResetsMidBodyAreRetriedForReads) {
  server.set_faults({.seed = 11, .rate_reset = 0.3});
  expect_all_values_exact();
  EXPECT_GT(server.fault_counters().resets, 5u);
}

TEST_F(EngineUnderFaults, TruncatedBodiesAreNeverTakenAsWhole) {
  server.set_faults({.seed = 13, .rate_truncate = 0.3});
  expect_all_values_exact();
  EXPECT_GT(server.fault_counters().truncations, 5u);
}

TEST_F(EngineUnderFaults, WritesUnderFaultsAllLand) {
  server.set_faults({.seed = 17, .rate_503 = 0.2, .rate_reset = 0.1, .rate_truncate = 0.1});
  for (int i = 0; i < 20; ++i) node->put("kv", "w" + std::to_string(i), value(i));
  server.set_faults({});
  for (int i = 0; i < 20; ++i) EXPECT_EQ(node->get("kv", "w" + std::to_string(i)), value(i));
}

TEST_F(EngineUnderFaults, ServerErrorsAreAnswersNotRetried) {
  server.set_faults({.seed = 3, .rate_500 = 1.0});
  try {
    node->get("kv", key(0));
    FAIL() << "a 500 returned data";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 500u);
    EXPECT_NE(e.body_excerpt().find("Panic"), std::string::npos) << e.body_excerpt();
  }
  EXPECT_EQ(server.fault_counters().injected_500, 1u);
}

TEST_F(EngineUnderFaults, PersistentUnavailabilityGivesUpAfterMaxAttempts) {
  server.set_faults({.seed = 5, .rate_503 = 1.0});
  try {
    node->get("kv", key(0));
    FAIL() << "a 503 storm returned data";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 503u);
    EXPECT_NE(std::string(e.what()).find("after 12 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.fault_counters().injected_503, 12u);
}

TEST_F(EngineUnderFaults, LatencyBeyondTheDeadlineIsATimeout) {
  ClientOptions options;
  options.inactivity_timeout = 100ms;
  options.request_timeout = 1s;
  options.max_attempts = 2;
  NodeService impatient(server.url(), uuid, "faults", "tests", "", 0, options);
  server.set_faults({.latency = 400ms});
  try {
    impatient.get("kv", key(0));
    FAIL() << "the call did not time out";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::timeout) << e.what();
    EXPECT_EQ(e.attempts(), 2);
  }
}

TEST_F(EngineUnderFaults, BandwidthCapSlowsButDelivers) {
  server.set_faults({.bandwidth_bytes_per_second = 2'000'000});
  const auto started = Clock::now();
  EXPECT_EQ(node->get("kv", key(19)), value(19));
  EXPECT_GE(Clock::now() - started, 40ms);  // 100 KB at 2 MB/s
}
