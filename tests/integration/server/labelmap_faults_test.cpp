// labelmap reads under each of the server's fault-injection switches: a read either returns the
// exact stored data or fails in a way the client can see (a 5xx, or a cut connection); once the
// faults are cleared the same reads are exact again.
#include <gtest/gtest.h>

#include <chrono>

#include "labelmap_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class LabelmapFaults : public LabelmapTest {
 protected:
  void SetUp() override {
    create();
    ASSERT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
  }
  std::vector<std::string> targets() const {
    return {data("raw/0_1_2/64_64_64/0_0_0"), data("blocks/64_64_64/0_0_0?compression=blocks"),
            data("specificblocks?blocks=0,0,0&compression=uncompressed")};
  }
  // Whether a complete 200 answer carries exactly the stored data.
  void expect_exact(const std::string& target, const RawHttpResponse& response) {
    ASSERT_EQ(response.status, 200) << target;
    if (target.find("/raw/") != std::string::npos) {
      EXPECT_EQ(response.body, fib19_volume());
      return;
    }
    const auto records = parse_records(response.body);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].payload, target.find("uncompressed") != std::string::npos
                                      ? fib19_volume()
                                      : fib19_gzip_block());
  }
};

TEST_F(LabelmapFaults, LatencyAndBandwidthKeepDataExact) {
  server_->set_faults(
      {.latency = std::chrono::milliseconds(30), .bandwidth_bytes_per_second = 50'000'000});
  for (const std::string& target : targets()) expect_exact(target, get(target));
}

TEST_F(LabelmapFaults, InjectedErrorsAreStatuses) {
  server_->set_faults({.rate_503 = 1.0});
  for (const std::string& target : targets()) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.body, "DVID server is unavailable.\n");
  }
  server_->set_faults({.rate_500 = 1.0});
  for (const std::string& target : targets()) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.rfind("Panic detected on request", 0), 0u) << response.body;
  }
  server_->set_faults({});
  for (const std::string& target : targets()) expect_exact(target, get(target));
}

TEST_F(LabelmapFaults, CutConnectionsNeverLookComplete) {
  for (const server::FaultConfig& faults :
       {server::FaultConfig{.rate_reset = 1.0}, server::FaultConfig{.rate_truncate = 1.0}}) {
    server_->set_faults(faults);
    for (const std::string& target : targets()) {
      client_.reconnect();
      client_.send_request("GET", target);
      const auto response = client_.read_response();
      EXPECT_NE(response.end, ReadEnd::complete) << target;
      EXPECT_LT(response.body.size(), std::stoul(response.header("content-length")));
    }
  }
  server_->set_faults({});
  client_.reconnect();
  for (const std::string& target : targets()) expect_exact(target, get(target));
}

TEST_F(LabelmapFaults, SeededMixOnlyEverYieldsExactDataOrAVisibleFailure) {
  server_->set_faults(
      {.seed = 11, .rate_503 = 0.2, .rate_500 = 0.2, .rate_reset = 0.1, .rate_truncate = 0.1});
  int exact = 0;
  for (int round = 0; round < 12; ++round)
    for (const std::string& target : targets()) {
      client_.reconnect();
      client_.send_request("GET", target);
      const auto response = client_.read_response();
      if (response.end != ReadEnd::complete || response.status != 200) continue;
      expect_exact(target, response);
      ++exact;
    }
  EXPECT_GT(exact, 0);
}

}  // namespace
}  // namespace dvidxfer::testing
