// NodeService with a dvid-resource-manager: the embedded DVID server and a stand-in manager that
// grants, withholds, refuses or stays silent. Every HTTP request is asked for once, weighed in
// bytes, and released exactly once however it ends; every wait for the manager is bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"
#include "test_resource_manager.hpp"

using namespace dvidxfer;
using dvidxfer::testing::TestResourceManager;
using Behavior = TestResourceManager::Behavior;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

class ResourceManagerApi : public ::testing::Test {
 protected:
  void SetUp() override {
    uuid = ServerService(server.url()).create_new_repo("rm tests", "resource manager");
  }

  std::unique_ptr<NodeService> connect(const TestResourceManager& manager,
                                       ClientOptions options = {}) {
    return std::make_unique<NodeService>(server.url(), uuid, "tester", "rm-tests", "127.0.0.1",
                                         manager.port(), options);
  }

  std::uint64_t served() const { return server.fault_counters().requests; }

  // Releases travel after the call returns: wait until every grant is back.
  static void expect_all_released(const TestResourceManager& manager) {
    EXPECT_TRUE(TestResourceManager::wait_until([&] { return manager.outstanding() == 0; }))
        << manager.outstanding() << " grants never released";
    EXPECT_EQ(manager.releases().size(), manager.requests().size());
    EXPECT_EQ(manager.violations(), std::vector<std::string>{});
  }

  server::EmbeddedServer server;
  std::string uuid;
};

ClientOptions quick(milliseconds resource_timeout) {
  ClientOptions options;
  options.resource_timeout = resource_timeout;
  options.max_attempts = 2;
  options.initial_backoff = milliseconds(1);
  options.max_backoff = milliseconds(2);
  return options;
}

}  // namespace

TEST_F(ResourceManagerApi, EveryHttpRequestIsAskedAndReleasedOnce) {
  TestResourceManager manager(Behavior::grant);
  const auto before = served();
  auto node = connect(manager);
  ASSERT_TRUE(node->create_keyvalue("kv"));
  node->put("kv", "key", std::string(1000, 'v'));
  EXPECT_EQ(node->get("kv", "key"), std::string(1000, 'v'));

  EXPECT_EQ(manager.requests().size(), served() - before);
  expect_all_released(manager);
  const auto requests = manager.requests();
  const auto put = std::find_if(requests.begin(), requests.end(),
                                [](const auto& r) { return !r.read && r.datasize == 1000; });
  EXPECT_NE(put, requests.end()) << "the put is a write weighing its 1000 bytes";
  EXPECT_TRUE(requests.back().read) << "the get is a read";
  for (const auto& request : requests) EXPECT_EQ(request.resource, server.url());
}

TEST_F(ResourceManagerApi, TheGrantIsHeldUntilTheAnswerArrives) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager);
  ASSERT_TRUE(node->create_keyvalue("kv"));
  node->put("kv", "a", "value");
  ASSERT_TRUE(TestResourceManager::wait_until([&] { return manager.outstanding() == 0; }));

  server.set_faults({.latency = milliseconds(800)});
  auto call = node->custom_request_async("/kv/key/a", "", ConnectionMethod::GET);
  ASSERT_TRUE(TestResourceManager::wait_until([&] { return manager.outstanding() == 1; }));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(call.wait_for(milliseconds(0)), std::future_status::timeout);
  EXPECT_EQ(manager.outstanding(), 1u) << "released while DVID was still answering";
  EXPECT_EQ(call.get(), "value");
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, FailedRequestsAreReleasedToo) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager, quick(milliseconds(5000)));
  ASSERT_TRUE(node->create_keyvalue("kv"));

  auto asked = manager.requests().size();
  EXPECT_THROW(node->get("kv", "missing"), HttpError);
  EXPECT_EQ(manager.requests().size(), asked + 1);
  expect_all_released(manager);

  server.set_faults({.rate_500 = 1.0});
  asked = manager.requests().size();
  try {
    node->get("kv", "anything");
    FAIL() << "a 500 must fail the call";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 500u);
  }
  EXPECT_EQ(manager.requests().size(), asked + 1);
  expect_all_released(manager);

  server.set_faults({});
  server.stop();
  asked = manager.requests().size();
  EXPECT_THROW(node->get("kv", "gone"), TransportError);
  EXPECT_EQ(manager.requests().size(), asked + 1) << "retries share the one admission";
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, VolumeReadsWeighBytesNotVoxels) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager);
  ASSERT_TRUE(node->create_labelblk("labels"));
  Labels3D written(Shape3{32, 32, 32});
  for (std::size_t i = 0; i < 32 * 32 * 32; ++i) written.data()[i] = i;
  node->put_labels3D("labels", written, {0, 0, 0}, false, false);
  const auto asked = manager.requests().size();
  const auto read = node->get_labels3D("labels", {32, 32, 32}, {0, 0, 0}, false, true);
  EXPECT_EQ(read.data()[1000], 1000u);

  const auto requests = manager.requests();
  ASSERT_EQ(requests.size(), asked + 1);
  EXPECT_TRUE(requests.back().read);
  EXPECT_EQ(requests.back().datasize, 32u * 32 * 32 * 8) << "bytes, not libdvid's voxel count";
  const bool uncompressed_write = std::any_of(requests.begin(), requests.end(), [](const auto& r) {
    return !r.read && r.datasize >= 32u * 32 * 32 * 8;
  });
  EXPECT_TRUE(uncompressed_write) << "the put weighs its payload";
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, CustomRequestsWeighTheCallersDatasize) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager);
  ASSERT_TRUE(node->create_keyvalue("kv"));
  node->put("kv", "a", "value");
  EXPECT_EQ(node->custom_request("/kv/key/a", "", ConnectionMethod::GET, false, 12345), "value");
  EXPECT_EQ(manager.requests().back().datasize, 12345u);
  EXPECT_TRUE(manager.requests().back().read);
  node->custom_request("/kv/key/b", "four", ConnectionMethod::POST);
  EXPECT_EQ(manager.requests().back().datasize, 4u);
  EXPECT_FALSE(manager.requests().back().read);
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, ConcurrentCallsEachTakeAndReturnOneGrant) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager);
  ASSERT_TRUE(node->create_keyvalue("kv"));
  node->put("kv", "a", "value");
  const auto asked = manager.requests().size();
  std::vector<std::future<std::string>> calls;
  for (int i = 0; i < 32; ++i)
    calls.push_back(node->custom_request_async("/kv/key/a", "", ConnectionMethod::GET));
  for (auto& call : calls) EXPECT_EQ(call.get(), "value");
  EXPECT_EQ(manager.requests().size(), asked + 32);
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, WithheldRequestsWaitForTheirOwnGrant) {
  TestResourceManager manager(Behavior::withhold);
  auto connecting = std::async(std::launch::async, [&] { return connect(manager); });
  ASSERT_TRUE(TestResourceManager::wait_until([&] { return manager.subscribed("1"); }))
      << "the constructor's probe waits for grant 1";

  // ZeroMQ delivers "11 1" to a subscriber of "1"; it grants request 11, not 1.
  manager.publish("11 1");
  manager.publish("1x 1");
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(connecting.wait_for(milliseconds(0)), std::future_status::timeout);
  EXPECT_TRUE(manager.holds().empty());

  manager.grant_withheld();
  auto node = connecting.get();
  EXPECT_EQ(manager.holds(), std::vector<std::uint64_t>{1});

  auto creating = std::async(std::launch::async, [&] { return node->create_keyvalue("kv"); });
  for (int granted = 0; creating.wait_for(milliseconds(5)) != std::future_status::ready;) {
    if (!manager.withheld().empty()) ++granted, manager.grant_withheld();
    ASSERT_LT(granted, 100);
  }
  EXPECT_TRUE(creating.get());
  EXPECT_EQ(manager.holds().size(), manager.requests().size());
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, AGrantThatComesTooLateIsTakenAndGivenBack) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager, quick(milliseconds(300)));
  manager.set_behavior(Behavior::withhold);

  const auto start = Clock::now();
  try {
    node->custom_request("/kv/key/a", "", ConnectionMethod::GET);
    FAIL() << "an ungranted request must fail";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::admission);
    const std::string grants = "tcp://127.0.0.1:" + std::to_string(manager.port() + 1);
    EXPECT_NE(std::string(e.what()).find("no grant for request 2 announced on " + grants),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(Clock::now() - start, milliseconds(3000));

  manager.grant_withheld();
  EXPECT_TRUE(TestResourceManager::wait_until(
      [&] { return manager.holds() == std::vector<std::uint64_t>{2}; }));
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, ClosingGivesBackGrantsThatArriveForAbandonedRequests) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager);
  ASSERT_TRUE(node->create_keyvalue("kv"));
  manager.set_behavior(Behavior::withhold);
  std::vector<std::future<std::string>> calls;
  for (int i = 0; i < 3; ++i)
    calls.push_back(node->custom_request_async("/kv/key/a", "", ConnectionMethod::GET));
  ASSERT_TRUE(TestResourceManager::wait_until([&] { return manager.withheld().size() == 3; }));

  // The manager grants them only once the client is going away, as a real one does when the
  // client's own releases free its quota.
  auto granting = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(milliseconds(100));
    manager.grant_withheld();
  });
  node.reset();
  granting.get();
  for (auto& call : calls) EXPECT_THROW(call.get(), std::exception);
  EXPECT_EQ(manager.holds().size(), 3u);
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, ASilentManagerFailsTheCallWithinItsTimeout) {
  TestResourceManager manager(Behavior::silent);
  const auto before = served();
  const auto start = Clock::now();
  try {
    connect(manager, quick(milliseconds(300)));
    FAIL() << "a silent manager must fail the call";
  } catch (const TransportError& e) {
    const auto waited = Clock::now() - start;
    EXPECT_EQ(e.kind(), TransportError::Kind::admission);
    const std::string address = "tcp://127.0.0.1:" + std::to_string(manager.port());
    EXPECT_NE(std::string(e.what()).find("resource manager " + address), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("no answer within 300 ms to a read request"),
              std::string::npos)
        << e.what();
    EXPECT_GE(waited, milliseconds(290));
    EXPECT_LT(waited, milliseconds(3000));
  }
  EXPECT_EQ(served(), before) << "nothing reaches DVID without admission";
}

TEST_F(ResourceManagerApi, AfterASilenceTheNextCallIsAdmittedAgain) {
  TestResourceManager manager(Behavior::grant);
  auto node = connect(manager, quick(milliseconds(300)));
  ASSERT_TRUE(node->create_keyvalue("kv"));
  node->put("kv", "a", "value");
  ASSERT_TRUE(TestResourceManager::wait_until([&] { return manager.outstanding() == 0; }));

  manager.set_behavior(Behavior::silent);
  const auto start = Clock::now();
  try {
    node->get("kv", "a");
    FAIL() << "a silent manager must fail the call";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::admission);
    EXPECT_NE(std::string(e.what()).find("no answer within 300 ms"), std::string::npos) << e.what();
  }
  EXPECT_GE(Clock::now() - start, milliseconds(290));
  // A REQ socket left waiting for a reply refuses to send: the client must have replaced it.
  manager.set_behavior(Behavior::grant);
  EXPECT_EQ(node->get("kv", "a"), "value");
  const auto admitted = manager.requests().back().id;
  EXPECT_TRUE(TestResourceManager::wait_until([&] {
    const auto released = manager.releases();
    return std::find(released.begin(), released.end(), admitted) != released.end();
  }));
}

TEST_F(ResourceManagerApi, ARequestBeyondTheManagersMaximumsFailsAtOnce) {
  TestResourceManager manager(Behavior::refuse);
  try {
    connect(manager);
    FAIL() << "a refused request must fail";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::admission);
    EXPECT_NE(std::string(e.what()).find("exceeds the manager's configured maximums"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(manager.releases().empty()) << "nothing granted, nothing to release";
  EXPECT_EQ(manager.violations(), std::vector<std::string>{});
}

TEST_F(ResourceManagerApi, RepliesOfAnyLengthAreRead) {
  TestResourceManager manager(Behavior::grant, 4096);
  auto node = connect(manager);
  EXPECT_TRUE(node->create_keyvalue("kv"));
  expect_all_released(manager);
}

TEST_F(ResourceManagerApi, UnusableAddressesAreArgumentErrors) {
  EXPECT_THROW(NodeService(server.url(), uuid, "u", "a", "127.0.0.1", 0), ArgumentError);
  EXPECT_THROW(NodeService(server.url(), uuid, "u", "a", "127.0.0.1", 65535), ArgumentError);
  EXPECT_THROW(NodeService(server.url(), uuid, "u", "a", "", 5555), ArgumentError);
  ClientOptions options;
  options.resource_timeout = milliseconds(0);
  EXPECT_THROW(NodeService(server.url(), uuid, "u", "a", "127.0.0.1", 5555, options),
               ArgumentError);
}
