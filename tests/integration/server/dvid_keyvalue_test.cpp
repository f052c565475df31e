// keyvalue single keys and listings: versions and tombstones, unversioned instances, committed
// nodes, Range and byte_start/byte_end reads, keys and keyrange, over loopback.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "dvid_test_server.hpp"

namespace dvidxfer::testing {
namespace {

class DvidKeyValue : public DvidServerTest {
 protected:
  void SetUp() override {
    root_ = new_repo();
    new_instance(root_, "kv");
  }
  std::string key_path(const std::string& uuid, std::string_view key) const {
    return "/api/node/" + uuid + "/kv/key/" + std::string(key);
  }
  std::string root_;
};

TEST_F(DvidKeyValue, PostThenGetReturnsTheBytes) {
  const std::string value("bin\0ary\xff", 8);
  put_key(root_, "kv", "k1", value);
  const auto response = get(key_path(root_, "k1"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, value);
  EXPECT_EQ(response.header("content-type"), "application/octet-stream");
  EXPECT_EQ(response.header("accept-ranges"), "bytes");
  EXPECT_EQ(response.header("content-length"), "8");
}

TEST_F(DvidKeyValue, MissingKeysAre404WithDvidsText) {
  const auto response = get(key_path(root_, "nothing"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "Key \"nothing\" not found\n");
  EXPECT_EQ(request("HEAD", key_path(root_, "nothing")).status, 404);
  put_key(root_, "kv", "present", "x");
  const auto head = request("HEAD", key_path(root_, "present"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("accept-ranges"), "bytes");
}

TEST_F(DvidKeyValue, ChildrenInheritAndOverrideWithoutTouchingParents) {
  put_key(root_, "kv", "a", "parent-a");
  put_key(root_, "kv", "b", "parent-b");
  commit(root_);
  const std::string child = new_version(root_);
  EXPECT_EQ(get(key_path(child, "a")).body, "parent-a");
  put_key(child, "kv", "a", "child-a");
  EXPECT_EQ(get(key_path(child, "a")).body, "child-a");
  EXPECT_EQ(get(key_path(root_, "a")).body, "parent-a");
  EXPECT_EQ(get(key_path(child, "b")).body, "parent-b");
}

TEST_F(DvidKeyValue, DeleteWritesATombstoneVisibleOnlyDownstream) {
  put_key(root_, "kv", "gone", "v");
  commit(root_);
  const std::string child = new_version(root_);
  const auto deleted = request("DELETE", key_path(child, "gone"));
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(get(key_path(child, "gone")).status, 404);
  EXPECT_EQ(get(key_path(root_, "gone")).body, "v");
  EXPECT_EQ(get("/api/node/" + child + "/kv/keys").body, "[]");
  EXPECT_EQ(get("/api/node/" + root_ + "/kv/keys").body, R"(["gone"])");
  EXPECT_EQ(request("DELETE", key_path(child, "never-there")).status, 200);
  commit(child);
  const std::string grandchild = new_version(child);
  EXPECT_EQ(get(key_path(grandchild, "gone")).status, 404);
  put_key(grandchild, "kv", "gone", "back");
  EXPECT_EQ(get(key_path(grandchild, "gone")).body, "back");
}

TEST_F(DvidKeyValue, WritesToCommittedNodesAreRefused) {
  commit(root_);
  for (const char* method : {"POST", "DELETE", "PUT"}) {
    const std::string path = key_path(root_, "k");
    const auto response = request(method, path, "v");
    EXPECT_EQ(response.status, 400) << method;
    EXPECT_EQ(response.body, dvid_error(std::string("Cannot do ") + method +
                                            " on endpoint \"key\" of locked node " + root_,
                                        path))
        << method;
  }
  const std::string batch = "/api/node/" + root_ + "/kv/keyvalues";
  EXPECT_EQ(post(batch, "").body,
            dvid_error("Cannot do POST on endpoint \"keyvalues\" of locked node " + root_, batch));
  EXPECT_EQ(get(key_path(root_, "k")).status, 404);  // reads still work
}

TEST_F(DvidKeyValue, UnversionedInstancesUseTheRootEverywhere) {
  new_instance(root_, "meshes", "keyvalue", R"(,"versioned":false)");
  commit(root_);
  const std::string child = new_version(root_);
  // Writes on a committed node are allowed and land at the root, seen from every node.
  EXPECT_EQ(post("/api/node/" + root_ + "/meshes/key/m", "one").status, 200);
  EXPECT_EQ(get("/api/node/" + child + "/meshes/key/m").body, "one");
  EXPECT_EQ(post("/api/node/" + child + "/meshes/key/m", "two").status, 200);
  EXPECT_EQ(get("/api/node/" + root_ + "/meshes/key/m").body, "two");
  new_instance(child, "strings", "keyvalue", R"(,"versioned":"0")");
  EXPECT_EQ(post("/api/node/" + root_ + "/strings/key/s", "x").status, 200);
}

TEST_F(DvidKeyValue, RangeHeaderReturnsPartialContent) {
  put_key(root_, "kv", "r", "0123456789");
  const std::string path = key_path(root_, "r");
  struct Case {
    const char* range;
    const char* body;
    const char* content_range;
  };
  for (const Case& c :
       {Case{"bytes=2-4", "234", "bytes 2-4/10"}, Case{"bytes=7-", "789", "bytes 7-9/10"},
        Case{"bytes=-3", "789", "bytes 7-9/10"}, Case{"bytes=8-100", "89", "bytes 8-9/10"},
        Case{"bytes=-20", "0123456789", "bytes 0-9/10"}}) {
    const auto response = get(path, {{"Range", c.range}});
    EXPECT_EQ(response.status, 206) << c.range;
    EXPECT_EQ(response.body, c.body) << c.range;
    EXPECT_EQ(response.header("content-range"), c.content_range) << c.range;
  }
}

TEST_F(DvidKeyValue, UnsatisfiableRangesAre416) {
  put_key(root_, "kv", "r", "0123456789");
  const auto past = get(key_path(root_, "r"), {{"Range", "bytes=10-"}});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.header("content-range"), "bytes */10");
  EXPECT_EQ(past.body, "Range start 10 is outside value with 10 bytes\n");
  const auto zero = get(key_path(root_, "r"), {{"Range", "bytes=-0"}});
  EXPECT_EQ(zero.status, 416);
  EXPECT_EQ(zero.body, "Range \"bytes=-0\" is not satisfiable\n");
  put_key(root_, "kv", "empty", "");
  const auto empty = get(key_path(root_, "empty"), {{"Range", "bytes=0-"}});
  EXPECT_EQ(empty.status, 416);
  EXPECT_EQ(empty.header("content-range"), "bytes */0");
}

TEST_F(DvidKeyValue, MalformedOrMultipleRangesAreIgnored) {
  put_key(root_, "kv", "r", "0123456789");
  for (const char* range : {"bytes=0-1,3-4", "items=0-1", "bytes=5-2", "bytes=x-3", "bytes=-"}) {
    const auto response = get(key_path(root_, "r"), {{"Range", range}});
    EXPECT_EQ(response.status, 200) << range;
    EXPECT_EQ(response.body, "0123456789") << range;
    EXPECT_FALSE(response.has_header("content-range")) << range;
  }
}

TEST_F(DvidKeyValue, ByteStartAndEndSelectAnInclusiveRange) {
  put_key(root_, "kv", "r", "0123456789");
  const std::string path = key_path(root_, "r");
  const auto response = get(path + "?byte_start=3&byte_end=5");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "345");
  struct Case {
    const char* query;
    const char* message;
  };
  for (const Case& c :
       {Case{"?byte_start=3", "range read for key \"r\" requires both byte_start and byte_end"},
        Case{"?byte_start=5&byte_end=3", "byte_start 5 must be <= byte_end 3 for key \"r\""},
        Case{"?byte_start=-1&byte_end=3", "byte_start must be an unsigned integer, got \"-1\""},
        Case{"?byte_start=2&byte_end=10",
             "byte_end 10 is outside value for key \"r\" with 10 bytes"},
        Case{"?byte_start=10&byte_end=12",
             "byte_start 10 is outside value for key \"r\" with 10 bytes"}}) {
    const auto refused = get(path + c.query);
    EXPECT_EQ(refused.status, 400) << c.query;
    EXPECT_EQ(refused.body, dvid_error(c.message, path)) << c.query;
  }
  const auto both = get(path + "?byte_start=0&byte_end=1", {{"Range", "bytes=0-1"}});
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(
      both.body,
      dvid_error("cannot combine Range header with byte_start/byte_end query parameters", path));
}

TEST_F(DvidKeyValue, KeysAndKeyRangeListInByteOrder) {
  for (const char* key : {"b", "a", "b2", "c", "B", "bz"}) put_key(root_, "kv", key, "v");
  const std::string base = "/api/node/" + root_ + "/kv";
  EXPECT_EQ(get(base + "/keys").body, R"(["B","a","b","b2","bz","c"])");
  // Inclusive at both ends; keys that only start with the end key are past it.
  EXPECT_EQ(get(base + "/keyrange/a/b").body, R"(["a","b"])");
  EXPECT_EQ(get(base + "/keyrange/b/bz").body, R"(["b","b2","bz"])");
  EXPECT_EQ(get(base + "/keyrange/x/y").body, "[]");
  const auto short_range = get(base + "/keyrange/a");
  EXPECT_EQ(short_range.status, 400);
  EXPECT_EQ(short_range.body,
            dvid_error("expect beginning and end keys to follow 'keyrange' endpoint",
                       base + "/keyrange/a"));
}

TEST_F(DvidKeyValue, KeysMayHoldEscapedCharacters) {
  put_key(root_, "kv", "a%20b%3Cc", "spaced");
  EXPECT_EQ(get(key_path(root_, "a%20b%3Cc")).body, "spaced");
  // Go's json.Marshal escapes < > & in key listings.
  EXPECT_EQ(get("/api/node/" + root_ + "/kv/keys").body, R"(["a b\u003cc"])");
}

TEST_F(DvidKeyValue, KeyEndpointNeedsAKeyAndASupportedVerb) {
  const std::string path = "/api/node/" + root_ + "/kv/key";
  EXPECT_EQ(get(path).body, dvid_error("expect key string to follow 'key' endpoint", path));
  const auto patch = request("PATCH", key_path(root_, "k"));
  EXPECT_EQ(patch.status, 400);
  EXPECT_EQ(patch.body,
            dvid_error("key endpoint does not support \"patch\" HTTP verb", key_path(root_, "k")));
}

TEST_F(DvidKeyValue, SyncIsNotAKeyValueEndpoint) {
  // DVID's keyvalue has no sync endpoint (only the block and label types do).
  new_instance(root_, "other");
  const auto response = post("/api/node/" + root_ + "/kv/sync", R"({"sync":"other"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(response.body.starts_with("Bad API call (/api/node/" + root_ + "/kv/sync)"))
      << response.body;
}

TEST_F(DvidKeyValue, TagsAreSetMergedAndReplaced) {
  const std::string path = "/api/node/" + root_ + "/kv/tags";
  EXPECT_EQ(get(path).body, R"({"Tags":null})");
  EXPECT_EQ(post(path, R"({"a":"1"})").status, 200);
  EXPECT_EQ(post(path, R"({"b":"2"})").status, 200);
  EXPECT_EQ(get(path).body, R"({"Tags":{"a":"1","b":"2"}})");
  EXPECT_EQ(post(path + "?replace=true", R"({"c":"3"})").status, 200);
  EXPECT_EQ(get(path).body, R"({"Tags":{"c":"3"}})");
}

TEST_F(DvidKeyValue, ConcurrentClientsWriteAndReadTheirOwnKeys) {
  constexpr int kClients = 4, kKeys = 50;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RawHttpClient client(server_->port());
      for (int i = 0; i < kKeys; ++i) {
        const std::string key = "c" + std::to_string(c) + "k" + std::to_string(i);
        EXPECT_EQ(client.request("POST", key_path(root_, key), key).status, 200);
        EXPECT_EQ(client.request("GET", key_path(root_, key)).body, key);
      }
    });
  }
  for (auto& client : clients) client.join();
  const auto keys = get("/api/node/" + root_ + "/kv/keys");
  EXPECT_EQ(std::count(keys.body.begin(), keys.body.end(), ','), kClients * kKeys - 1);
}

}  // namespace
}  // namespace dvidxfer::testing
