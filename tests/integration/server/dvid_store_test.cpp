// The server's building blocks without sockets: the versioned in-memory store under concurrent
// use, the throttle, and the Go text formats DVID's responses carry.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

// The server's internal headers are not on the test include path; reach them from here.
#include "dvid/throttle.hpp"
#include "gocompat/go_format.hpp"
#include "store/memory_store.hpp"

namespace dvidxfer::testing {
namespace {

using server::MemoryStore;
using server::StoredValue;
using server::VersionId;

StoredValue value(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(DvidMemoryStore, ReadsSeeTheNearestAncestorsWrite) {
  MemoryStore store;
  const std::vector<VersionId> root = {1}, child = {2, 1}, grandchild = {3, 2, 1};
  store.put(7, 1, "k", value("root"));
  store.put(7, 2, "k", value("child"));
  EXPECT_EQ(*store.get(7, root, "k"), "root");
  EXPECT_EQ(*store.get(7, child, "k"), "child");
  EXPECT_EQ(*store.get(7, grandchild, "k"), "child");
  store.erase(7, 3, "k");
  EXPECT_EQ(store.get(7, grandchild, "k"), nullptr);
  EXPECT_EQ(*store.get(7, child, "k"), "child");
  EXPECT_EQ(store.get(8, root, "k"), nullptr);  // instances are separate
}

TEST(DvidMemoryStore, ScanIsInclusiveAndSkipsTombstones) {
  MemoryStore store;
  const std::vector<VersionId> child = {2, 1};
  for (const char* key : {"a", "b", "bb", "c"}) store.put(1, 1, key, value(key));
  store.erase(1, 2, "bb");
  std::vector<std::string> keys;
  for (const auto& entry : store.scan(1, child, "a", std::string_view("bb")))
    keys.push_back(entry.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(store.scan(1, child, "", std::nullopt).size(), 3u);
  EXPECT_TRUE(store.scan(1, child, "z", std::string_view("a")).empty());
}

TEST(DvidMemoryStore, ConcurrentWritersAndReadersAgree) {
  MemoryStore store;
  const std::vector<VersionId> ancestry = {1};
  constexpr int kThreads = 4, kKeys = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeys; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        store.put(1, 1, key, value(key));
        ASSERT_EQ(*store.get(1, ancestry, key), key);
        store.scan(1, ancestry, "", std::nullopt);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store.scan(1, ancestry, "", std::nullopt).size(), std::size_t{kThreads * kKeys});
}

TEST(DvidThrottle, RefusesPastTheLimitWithDvidsText) {
  server::Throttle throttle(1);
  server::HttpResponse refusal;
  auto first = throttle.try_acquire(refusal);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(throttle.try_acquire(refusal).has_value());
  EXPECT_EQ(refusal.status, 503u);
  // DVID's message ends in a newline and Go's http.Error adds another.
  EXPECT_EQ(refusal.body, "Server already running 1 throttled operations (max = 1)\n\n");
  EXPECT_EQ(throttle.set_limit(2), 1);
  auto second = throttle.try_acquire(refusal);
  EXPECT_TRUE(second.has_value());
  first.reset();
  EXPECT_TRUE(throttle.try_acquire(refusal).has_value());  // a released slot is reusable
}

TEST(DvidGoFormat, JsonStringsEscapeAsEncodingJson) {
  EXPECT_EQ(server::go_json_string("a\"b\\c\n"), R"("a\"b\\c\n")");
  EXPECT_EQ(server::go_json_string("<&>"), R"("\u003c\u0026\u003e")");
  EXPECT_EQ(server::go_json_string(std::string("\x01\xff", 2)), R"("\u0001\ufffd")");
  EXPECT_EQ(server::go_json_string("é\u2028"), "\"é\\u2028\"");
}

TEST(DvidGoFormat, FloatsPrintAsPercentV) {
  EXPECT_EQ(server::go_float_string(4), "4");
  EXPECT_EQ(server::go_float_string(-2.5), "-2.5");
  EXPECT_EQ(server::go_float_string(123456), "123456");
  EXPECT_EQ(server::go_float_string(1e6), "1e+06");
  EXPECT_EQ(server::go_float_string(123456789), "1.23456789e+08");
  EXPECT_EQ(server::go_float_string(0.0001), "0.0001");
  EXPECT_EQ(server::go_float_string(0.00001), "1e-05");
}

TEST(DvidGoFormat, TimesAndDurations) {
  using namespace std::chrono;
  const system_clock::time_point t = sys_days{year{2026} / 6 / 22} + hours(10) + milliseconds(500);
  EXPECT_EQ(server::go_rfc3339(t), "2026-06-22T10:00:00Z");
  EXPECT_EQ(server::go_json_time(t), "\"2026-06-22T10:00:00.5Z\"");
  EXPECT_EQ(server::go_time_string(t), "2026-06-22 10:00:00.5 +0000 UTC");
  EXPECT_EQ(server::go_duration_string(nanoseconds(0)), "0s");
  EXPECT_EQ(server::go_duration_string(microseconds(1500)), "1.5ms");
  EXPECT_EQ(server::go_duration_string(hours(1) + minutes(2) + milliseconds(3500)), "1h2m3.5s");
}

}  // namespace
}  // namespace dvidxfer::testing
