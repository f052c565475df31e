// NodeService / ServerService key-value calls against the embedded server over loopback.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;

namespace {

class KeyValueApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerService server_service(server.url());
    uuid = server_service.create_new_repo("kv tests", "NodeService key-value calls");
    node = std::make_unique<NodeService>(server.url(), uuid, "tester", "kv-tests");
    ASSERT_TRUE(node->create_keyvalue("kv"));
  }

  server::EmbeddedServer server;
  std::string uuid;
  std::unique_ptr<NodeService> node;
};

std::string binary_value(std::size_t size, unsigned seed) {
  std::string value(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    value[i] = static_cast<char>((i * 131 + seed * 7919) % 256);
  return value;
}

}  // namespace

TEST_F(KeyValueApi, CreateKeyvalueReportsAnExistingInstance) {
  EXPECT_FALSE(node->create_keyvalue("kv"));
  EXPECT_TRUE(node->create_keyvalue("second"));
}

TEST_F(KeyValueApi, PutGetRoundTripsBinaryValuesByteForByte) {
  const auto small = binary_value(1000, 1);
  const auto large = binary_value(3 << 20, 2);
  node->put("kv", "small", small);
  node->put("kv", "large", large);
  node->put("kv", "empty", "");
  EXPECT_EQ(node->get("kv", "small"), small);
  EXPECT_EQ(node->get("kv", "large"), large);
  EXPECT_EQ(node->get("kv", "empty"), "");
  node->put("kv", "small", "overwritten");
  EXPECT_EQ(node->get("kv", "small"), "overwritten");
}

TEST_F(KeyValueApi, KeysWithSpacesAndUnicodeAreEscapedOnTheWire) {
  const std::vector<std::string> keys = {"with space", "100%", "a?b&c=d", "caf\xc3\xa9",
                                         "hash#tag"};
  for (const auto& key : keys) node->put("kv", key, "value of " + key);
  for (const auto& key : keys) EXPECT_EQ(node->get("kv", key), "value of " + key);
  auto listed = node->get_keys("kv");
  auto expected = keys;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed, expected);
}

TEST_F(KeyValueApi, GetJsonParsesAndRejectsMalformedJson) {
  node->put("kv", "good", R"({"name": "fib19", "labels": [1, 2, 3]})");
  const auto document = node->get_json("kv", "good");
  std::string_view name;
  ASSERT_FALSE(document.root()["name"].get(name));
  EXPECT_EQ(name, "fib19");
  EXPECT_EQ(document.root()["labels"].get_array().size(), 3u);

  node->put("kv", "bad", R"({"name": "fib19", )");
  try {
    node->get_json("kv", "bad");
    FAIL() << "malformed JSON was accepted";
  } catch (const DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("malformed JSON"), std::string::npos) << e.what();
    EXPECT_NE(e.url().find("/kv/key/bad"), std::string::npos) << e.url();
  }
}

TEST_F(KeyValueApi, MissingKeyIsAnHttpErrorWithStatusUrlAndTheServersWords) {
  try {
    node->get("kv", "absent");
    FAIL() << "a missing key returned a value";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 404u);
    EXPECT_EQ(e.method(), "GET");
    EXPECT_NE(e.url().find("/api/node/" + uuid + "/kv/key/absent"), std::string::npos) << e.url();
    EXPECT_NE(e.body_excerpt().find("Key \"absent\" not found"), std::string::npos)
        << e.body_excerpt();
    EXPECT_NE(std::string(e.what()).find("404"), std::string::npos) << e.what();
  }
}

TEST_F(KeyValueApi, MissingInstanceIsAnHttpError) {
  try {
    node->get("nosuchinstance", "k");
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400u);
    EXPECT_NE(e.body_excerpt().find("invalid data instance name"), std::string::npos)
        << e.body_excerpt();
  }
}

TEST_F(KeyValueApi, UnaddressableKeysAreRefusedBeforeSending) {
  const auto requests_before = server.fault_counters().requests;
  EXPECT_THROW(node->put("kv", "a/b", "x"), ArgumentError);
  EXPECT_THROW(node->get("kv", ""), ArgumentError);
  EXPECT_THROW(node->get_keys(""), ArgumentError);
  EXPECT_EQ(server.fault_counters().requests, requests_before)
      << "a refused call reached the server";
}

TEST_F(KeyValueApi, GetTypeinfoDescribesTheInstance) {
  const auto info = node->get_typeinfo("kv");
  std::string_view type_name, name;
  ASSERT_FALSE(info.root()["Base"]["TypeName"].get(type_name));
  ASSERT_FALSE(info.root()["Base"]["Name"].get(name));
  EXPECT_EQ(type_name, "keyvalue");
  EXPECT_EQ(name, "kv");
}

TEST_F(KeyValueApi, CustomRequestSpeaksEveryMethod) {
  node->custom_request("/kv/key/custom", "payload", ConnectionMethod::POST);
  EXPECT_EQ(node->custom_request("kv/key/custom", "", ConnectionMethod::GET), "payload");
  EXPECT_EQ(node->custom_request("/kv/key/custom", "", ConnectionMethod::HEAD), "");
  node->custom_request("/kv/key/custom", "", ConnectionMethod::DELETE);
  EXPECT_THROW(node->custom_request("/kv/key/custom", "", ConnectionMethod::GET), HttpError);
  // A query in the endpoint is kept, ours is appended after it.
  node->put("kv", "ranged", "0123456789");
  EXPECT_EQ(
      node->custom_request("/kv/key/ranged?byte_start=2&byte_end=4", "", ConnectionMethod::GET),
      "234");
}

TEST_F(KeyValueApi, FutureFormsRunConcurrently) {
  std::vector<std::future<void>> puts;
  for (int i = 0; i < 100; ++i)
    puts.push_back(node->put_async("kv", "f" + std::to_string(i), binary_value(4096, i)));
  for (auto& f : puts) f.get();
  std::vector<std::future<std::string>> gets;
  for (int i = 0; i < 100; ++i) gets.push_back(node->get_async("kv", "f" + std::to_string(i)));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(gets[i].get(), binary_value(4096, i));
  EXPECT_EQ(node->get_keys_async("kv").get().size(), 100u);
}

TEST_F(KeyValueApi, SixtyFourThreadsShareOneServiceWithoutLosingAWrite) {
  constexpr int kThreads = 64;
  constexpr int kPairsPerThread = 10000 / kThreads + 1;  // >= 10,000 put/get pairs in all
  std::atomic<int> errors{0}, mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPairsPerThread; ++i) {
        const auto key = "t" + std::to_string(t) + "-" + std::to_string(i);
        const auto value = binary_value(64 + (i % 200), t * 100000 + i);
        try {
          node->put("kv", key, value);
          if (node->get("kv", key) != value) ++mismatches;
        } catch (const std::exception& e) {
          if (++errors < 5) ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  const auto keys = node->get_keys("kv");
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(kThreads * kPairsPerThread));
  // Every acknowledged write reads back at the end too.
  for (int t = 0; t < kThreads; t += 7)
    for (int i = 0; i < kPairsPerThread; i += 13)
      EXPECT_EQ(node->get("kv", "t" + std::to_string(t) + "-" + std::to_string(i)),
                binary_value(64 + (i % 200), t * 100000 + i));
}

TEST_F(KeyValueApi, CustomRequestCompressSendsAndReadsLz4) {
  // keyvalue stores bodies as given, so the lz4 block sent is what comes back; the client must
  // compress on the way out and decompress on the way in.
  std::string value(200000, 'a');
  for (std::size_t i = 0; i < value.size(); i += 7) value[i] = static_cast<char>('a' + i % 23);
  node->custom_request("/kv/key/packed", value, ConnectionMethod::POST, true);
  const auto stored = node->get("kv", "packed");
  EXPECT_LT(stored.size(), value.size() / 2) << "the payload travelled compressed";
  EXPECT_EQ(node->custom_request("/kv/key/packed", "", ConnectionMethod::GET, true), value);
  node->put("kv", "not-lz4", "plain text is not an lz4 block............");
  EXPECT_THROW(node->custom_request("/kv/key/not-lz4", "", ConnectionMethod::GET, true), DecodeError);
}
