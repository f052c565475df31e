// keyvalue batches: keyrangevalues and keyvalues in protobuf, JSON and tar, and protobuf
// ingestion, decoded and checked field by field, over loopback.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "dvid_test_server.hpp"
#include "dvidxfer/codecs/keyvalue_protobuf.hpp"

namespace dvidxfer::testing {
namespace {

using codecs::KeyValuePair;

struct TarFile {
  std::string name;
  std::uint64_t mode = 0;
  std::string content;
};

// The regular files of a ustar archive, checking the framing on the way.
std::vector<TarFile> read_tar(const std::string& archive) {
  std::vector<TarFile> files;
  std::size_t offset = 0;
  while (offset + 512 <= archive.size()) {
    const std::string_view header(archive.data() + offset, 512);
    if (header.find_first_not_of('\0') == std::string_view::npos) break;
    TarFile file;
    file.name = std::string(header.substr(0, header.substr(0, 100).find('\0')));
    file.mode = std::strtoull(std::string(header.substr(100, 8)).c_str(), nullptr, 8);
    const std::uint64_t size =
        std::strtoull(std::string(header.substr(124, 12)).c_str(), nullptr, 8);
    EXPECT_EQ(header[156], '0') << file.name;
    EXPECT_EQ(header.substr(257, 5), "ustar") << file.name;
    file.content = archive.substr(offset + 512, size);
    offset += 512 + (size + 511) / 512 * 512;
    files.push_back(std::move(file));
  }
  EXPECT_EQ(archive.size(), offset + 1024) << "archive must end with two zero blocks";
  return files;
}

class DvidKeyValueBatch : public DvidServerTest {
 protected:
  void SetUp() override {
    root_ = new_repo();
    new_instance(root_, "kv");
    put_key(root_, "kv", "a", R"({"x":1})");
    put_key(root_, "kv", "b", "[1,2,3]");
    put_key(root_, "kv", "c", "");
    put_key(root_, "kv", "d", "not json");
    base_ = "/api/node/" + root_ + "/kv";
  }
  std::string root_;
  std::string base_;
};

TEST_F(DvidKeyValueBatch, KeyRangeValuesDefaultToProtobuf) {
  const auto response = get(base_ + "/keyrangevalues/a/c");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/octet-stream");
  auto pairs = codecs::decode_key_values(response.body);
  ASSERT_TRUE(pairs.ok()) << pairs.error().message;
  const std::vector<KeyValuePair> expected = {{"a", R"({"x":1})"}, {"b", "[1,2,3]"}, {"c", ""}};
  EXPECT_EQ(*pairs, expected);
  EXPECT_EQ(get(base_ + "/keyrangevalues/a/c?protobuf=true").body, response.body);
}

TEST_F(DvidKeyValueBatch, KeyRangeValuesAsJsonWriteValuesVerbatim) {
  const auto response = get(base_ + "/keyrangevalues/a/c?json=true");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"a":{"x":1},"b":[1,2,3],"c":{}})");
}

TEST_F(DvidKeyValueBatch, KeyRangeValuesCheckStopsAtInvalidJsonAsDvidDoes) {
  // DVID ends the object at the first invalid value and reports nothing.
  EXPECT_EQ(get(base_ + "/keyrangevalues/a/d?json=true").body,
            R"({"a":{"x":1},"b":[1,2,3],"c":{},"d":not json})");
  EXPECT_EQ(get(base_ + "/keyrangevalues/a/d?json=true&check=true").body,
            R"({"a":{"x":1},"b":[1,2,3],"c":{},})");
}

TEST_F(DvidKeyValueBatch, KeyRangeValuesAsTar) {
  for (const char* option : {"tar=true", "jsontar=true"}) {
    const auto response = get(base_ + "/keyrangevalues/b/d?" + option);
    ASSERT_EQ(response.status, 200) << option;
    EXPECT_EQ(response.header("content-type"), "application/tar");
    const auto files = read_tar(response.body);
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].name, "b");
    EXPECT_EQ(files[0].content, "[1,2,3]");
    EXPECT_EQ(files[0].mode, 0755u);
    EXPECT_EQ(files[1].name, "c");
    EXPECT_EQ(files[1].content, "");
    EXPECT_EQ(files[2].content, "not json");
  }
}

TEST_F(DvidKeyValueBatch, JsonAndTarTogetherAreRefused) {
  const std::string path = base_ + "/keyrangevalues/a/b";
  const auto response = get(path + "?json=true&tar=true");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("can only specify tar or json output, not both", path));
  const std::string batch = base_ + "/keyvalues";
  const auto batch_response = request("GET", batch + "?json=true&jsontar=true", "[]");
  EXPECT_EQ(batch_response.body,
            dvid_error("GET /keyvalues on 0 keys, data \"kv\": can only specify tar or json "
                       "output, not both",
                       batch));
}

TEST_F(DvidKeyValueBatch, KeyValuesReadProtobufKeysInRequestOrder) {
  codecs::KeysRequest keys;
  keys.keys = {"b", "missing", "a"};
  keys.key_ranges = {{"d", 4, 7}, {"a", 0, 0}};
  const auto response = request("GET", base_ + "/keyvalues", codecs::encode_keys(keys));
  ASSERT_EQ(response.status, 200) << response.body;
  auto pairs = codecs::decode_key_values(response.body);
  ASSERT_TRUE(pairs.ok());
  const std::vector<KeyValuePair> expected = {
      {"b", "[1,2,3]"}, {"missing", ""}, {"a", R"({"x":1})"}, {"d", "json"}, {"a", "{"}};
  EXPECT_EQ(*pairs, expected);
}

TEST_F(DvidKeyValueBatch, KeyValuesProtobufRangeErrorsName400) {
  codecs::KeysRequest keys;
  keys.key_ranges = {{"d", 4, 70}};
  const std::string path = base_ + "/keyvalues";
  const auto response = request("GET", path, codecs::encode_keys(keys));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("GET /keyvalues on 1 keys, data \"kv\": byte_end 70 is outside value for "
                       "key \"d\" with 8 bytes",
                       path));
}

TEST_F(DvidKeyValueBatch, KeyValuesReadJsonKeyLists) {
  const auto response = request("GET", base_ + "/keyvalues?json=true", R"(["b","missing","c"])");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"b":[1,2,3],"missing":{},"c":{}})");
}

TEST_F(DvidKeyValueBatch, KeyValuesReadJsonObjectsWithByteRanges) {
  put_key(root_, "kv", "nested", R"({"inner":[10,20]})");
  const auto response = request("GET", base_ + "/keyvalues?json=true",
                                R"([{"key":"nested","byte_start":9,"byte_end":15},{"key":"a"}])");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({"nested":[10,20],"a":{"x":1}})");
  const std::string path = base_ + "/keyvalues";
  const auto bad =
      request("GET", path + "?json=true", R"([{"key":"nested","byte_start":0,"byte_end":3}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, dvid_error("GET /keyvalues on 0 keys, data \"kv\": bad JSON for key "
                                 "\"nested\" after byte range",
                                 path));
  const auto half = request("GET", path + "?json=true", R"([{"key":"a","byte_start":1}])");
  EXPECT_EQ(half.body, dvid_error("GET /keyvalues on 0 keys, data \"kv\": range read for key "
                                  "\"a\" requires both byte_start and byte_end",
                                  path));
}

TEST_F(DvidKeyValueBatch, KeyValuesJsonCheckFailsMidStream) {
  // DVID has already sent the 200 and the first members; the error is appended.
  const std::string path = base_ + "/keyvalues";
  const auto response = request("GET", path + "?json=true&check=true", R"(["a","d"])");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body,
            R"({"a":{"x":1},)" +
                dvid_error("GET /keyvalues on 2 keys, data \"kv\": bad JSON for key \"d\"", path));
}

TEST_F(DvidKeyValueBatch, KeyValuesAsTarIncludeMissingKeysAsEmptyFiles) {
  const auto response =
      request("GET", base_ + "/keyvalues?tar=true",
              R"([{"key":"d","byte_start":0,"byte_end":2},{"key":"missing"},{"key":"b"}])");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto files = read_tar(response.body);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name, "d");
  EXPECT_EQ(files[0].content, "not");
  EXPECT_EQ(files[1].name, "missing");
  EXPECT_EQ(files[1].content, "");
  EXPECT_EQ(files[2].content, "[1,2,3]");
}

TEST_F(DvidKeyValueBatch, KeyValuesRefuseMalformedBodies) {
  const std::string path = base_ + "/keyvalues";
  const auto empty = request("GET", path + "?json=true", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.body, dvid_error("GET /keyvalues on 0 keys, data \"kv\": unexpected end of JSON "
                                   "input",
                                   path));
  const auto object = request("GET", path + "?json=true", R"({"a":1})");
  EXPECT_EQ(object.status, 400);
  EXPECT_EQ(request("GET", path, "\x0a\x05zz").status, 400);  // truncated protobuf
}

TEST_F(DvidKeyValueBatch, KeyValuesPostStoresProtobufPairs) {
  const std::vector<KeyValuePair> pairs = {
      {"p1", "one"}, {"p2", std::string("t\0o", 3)}, {"p3", ""}};
  const auto response = post(base_ + "/keyvalues", codecs::encode_key_values(pairs));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(get(base_ + "/key/p1").body, "one");
  EXPECT_EQ(get(base_ + "/key/p2").body, std::string("t\0o", 3));
  const auto empty = get(base_ + "/key/p3");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "");
  EXPECT_EQ(post(base_ + "/keyvalues", "\x0a\x7f").status, 400);
}

TEST_F(DvidKeyValueBatch, BatchesReadThroughVersions) {
  commit(root_);
  const std::string child = new_version(root_);
  const std::string child_base = "/api/node/" + child + "/kv";
  EXPECT_EQ(request("DELETE", child_base + "/key/a").status, 200);
  put_key(child, "kv", "b", "\"child\"");
  EXPECT_EQ(get(child_base + "/keyrangevalues/a/b?json=true").body, R"({"b":"child"})");
  EXPECT_EQ(get(base_ + "/keyrangevalues/a/b?json=true").body, R"({"a":{"x":1},"b":[1,2,3]})");
}

}  // namespace
}  // namespace dvidxfer::testing
