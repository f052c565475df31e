#include "dvidxfer/codecs/keyvalue_protobuf.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace dvidxfer::codecs {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// Expected bytes worked out by hand from the proto3 wire format (dvid-api.md 2.5).
TEST(KeyValueProtobuf, EncodesKeyValuesByteExact) {
  const std::vector<KeyValuePair> pairs = {{"a", "xyz"}, {"", ""}, {"k2", ""}};
  const std::string expected = bytes({0x0A, 0x08, 0x0A, 0x01, 'a', 0x12, 0x03, 'x', 'y', 'z',  //
                                      0x0A, 0x00,                                              //
                                      0x0A, 0x04, 0x0A, 0x02, 'k', '2'});
  EXPECT_EQ(encode_key_values(pairs), expected);
  EXPECT_EQ(encode_key_values({}), "");
}

TEST(KeyValueProtobuf, EncodesMultiByteLengths) {
  const std::vector<KeyValuePair> pairs = {{"big", std::string(200, 'v')}};
  // body = 5 (key) + 3 (tag, varint 200 = C8 01) + 200 = 208 = D0 01.
  const std::string expected =
      bytes({0x0A, 0xD0, 0x01, 0x0A, 0x03, 'b', 'i', 'g', 0x12, 0xC8, 0x01}) +
      std::string(200, 'v');
  EXPECT_EQ(encode_key_values(pairs), expected);
  EXPECT_EQ(decode_key_values(expected).value(), pairs);
}

TEST(KeyValueProtobuf, EncodesKeysByteExact) {
  const KeysRequest request = {{"k1", ""}, {{"r", 300, 0}, {"", 0, 1}}};
  const std::string expected = bytes({0x0A, 0x02, 'k', '1',                           //
                                      0x0A, 0x00,                                     //
                                      0x12, 0x06, 0x0A, 0x01, 'r', 0x10, 0xAC, 0x02,  //
                                      0x12, 0x02, 0x18, 0x01});
  EXPECT_EQ(encode_keys(request), expected);
  EXPECT_EQ(decode_keys(expected).value(), request);
}

TEST(KeyValueProtobuf, DecodesKeyValuesAndMissingValueIsEmpty) {
  const std::string message = bytes({0x0A, 0x08, 0x0A, 0x01, 'a', 0x12, 0x03, 'x', 'y', 'z',  //
                                     0x0A, 0x00,                                              //
                                     0x0A, 0x04, 0x0A, 0x02, 'k', '2'});
  const auto decoded = decode_key_values(message);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value(), (std::vector<KeyValuePair>{{"a", "xyz"}, {"", ""}, {"k2", ""}}));
  EXPECT_TRUE(decode_key_values("").value().empty());
}

TEST(KeyValueProtobuf, SkipsUnknownFieldsOfEveryWireTypeAndWrongTypedKnownFields) {
  const std::string unknown = bytes({0x78, 0x96, 0x01,                            // 15: varint 150
                                     0x09, 1,    2,    3,    4,    5,   6, 7, 8,  // 1 as fixed64
                                     0x1D, 1,    2,    3,    4,                   // 3: fixed32
                                     0x2A, 0x02, 'z',  'z',                       // 5: bytes
                                     0x33, 0x08, 0x01, 0x3B, 0x3C, 0x34});  // 6: nested groups
  const std::string entry = bytes({0x0A, 0x01, 'k'}) + unknown + bytes({0x12, 0x01, 'v'});
  const std::string message =
      unknown + bytes({0x0A, static_cast<int>(entry.size())}) + entry + unknown;
  const auto decoded = decode_key_values(message);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message << " at " << decoded.error().offset;
  EXPECT_EQ(decoded.value(), (std::vector<KeyValuePair>{{"k", "v"}}));

  // KeyRange: byte_start sent as bytes (wrong wire type) is ignored, not misread.
  const std::string keys = bytes({0x12, 0x08, 0x0A, 0x01, 'r', 0x12, 0x01, 0x05, 0x18, 0x09});
  const auto request = decode_keys(unknown + keys);
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request.value(), (KeysRequest{{}, {{"r", 0, 9}}}));
}

TEST(KeyValueProtobuf, RepeatedScalarFieldKeepsTheLastValue) {
  const std::string entry =
      bytes({0x0A, 0x0B, 0x0A, 0x01, 'a', 0x0A, 0x01, 'b', 0x12, 0x01, 'x', 0x12, 0x00});
  EXPECT_EQ(decode_key_values(entry).value(), (std::vector<KeyValuePair>{{"b", ""}}));
}

struct Malformed {
  const char* what;
  std::string message;
  std::size_t offset;
};

TEST(KeyValueProtobuf, MalformedInputGivesErrorsWithOffsets) {
  const std::vector<Malformed> cases = {
      {"length past end", bytes({0x0A, 0x05, 0x0A, 0x01}), 1},
      {"unterminated length", bytes({0x0A, 0x80, 0x80}), 3},
      {"unterminated key", bytes({0x80}), 1},
      {"field number 0", bytes({0x00, 0x00}), 0},
      {"wire type 6", bytes({0x0E}), 0},
      {"wire type 7", bytes({0x0F}), 0},
      {"end group alone", bytes({0x0C}), 0},
      {"unclosed group", bytes({0x13, 0x08, 0x01}), 3},
      {"mismatched group", bytes({0x13, 0x24}), 1},
      {"truncated fixed64", bytes({0x09, 1, 2, 3}), 1},
      {"truncated fixed32", bytes({0x0D, 1, 2, 3}), 1},
      {"varint of 11 bytes",
       bytes({0x78, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 10},
      {"varint overflowing 64 bits",
       bytes({0x78, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}), 10},
      {"nested length past end", bytes({0x0A, 0x03, 0x0A, 0x05, 'a'}), 3},
      {"nested bad key", bytes({0x0A, 0x01, 0x0F}), 2},
  };
  for (const auto& c : cases) {
    const auto decoded = decode_key_values(c.message);
    ASSERT_FALSE(decoded.ok()) << c.what;
    EXPECT_EQ(decoded.error().offset, c.offset) << c.what << ": " << decoded.error().message;
    EXPECT_FALSE(decoded.error().message.empty());
  }
  EXPECT_FALSE(decode_keys(bytes({0x12, 0x03, 0x10, 0x80, 0x80})).ok());
  EXPECT_EQ(decode_keys(bytes({0x12, 0x03, 0x10, 0x80, 0x80})).error().offset, 5u);
}

TEST(KeyValueProtobuf, MaximumVarintDecodes) {
  const std::string range =
      bytes({0x12, 0x0B, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01});
  const auto decoded = decode_keys(range);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value().key_ranges.at(0).byte_start, ~std::uint64_t{0});
  EXPECT_EQ(encode_keys(decoded.value()), range);
}

TEST(KeyValueProtobuf, RandomMessagesRoundTrip) {
  std::mt19937_64 random(7);
  auto random_bytes = [&](std::size_t max) {
    std::string s(random() % max, '\0');
    for (auto& c : s) c = static_cast<char>(random());
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<KeyValuePair> pairs(random() % 8);
    for (auto& p : pairs) p = {random_bytes(20), random_bytes(round % 2 ? 300 : 3)};
    EXPECT_EQ(decode_key_values(encode_key_values(pairs)).value(), pairs);

    KeysRequest request;
    request.keys.resize(random() % 5);
    for (auto& k : request.keys) k = random_bytes(200);
    request.key_ranges.resize(random() % 5);
    for (auto& r : request.key_ranges)
      r = {random_bytes(20), random() >> (random() % 64), random() % 3};
    EXPECT_EQ(decode_keys(encode_keys(request)).value(), request);
  }
}

TEST(KeyValueProtobuf, RandomAndTruncatedInputNeverCrashes) {
  std::mt19937 random(99);
  const std::string valid =
      encode_key_values(std::vector<KeyValuePair>{{"key", "value"}, {"k", ""}});
  for (std::size_t cut = 0; cut < valid.size(); ++cut) {
    const auto decoded = decode_key_values(valid.substr(0, cut));
    if (!decoded.ok()) {
      EXPECT_LE(decoded.error().offset, cut);
    }
  }
  for (int round = 0; round < 20000; ++round) {
    std::string junk(random() % 24, '\0');
    for (auto& c : junk) c = static_cast<char>(random());
    const auto a = decode_key_values(junk);
    const auto b = decode_keys(junk);
    if (!a.ok()) {
      EXPECT_LE(a.error().offset, junk.size());
    }
    if (!b.ok()) {
      EXPECT_LE(b.error().offset, junk.size());
    }
  }
}

}  // namespace
}  // namespace dvidxfer::codecs
