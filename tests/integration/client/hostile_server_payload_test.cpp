// The client against a DVID whose framing is honest but whose payloads are hostile: LZ4 bombs,
// /blocks-style record streams with impossible lengths or coordinates, and JSON nested 100,000
// deep. Every call must fail promptly with a dvidxfer::Error naming the instance or endpoint and
// what was wrong, never hand out data, and stay within the memory its request implies.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <functional>
#include <string>
#include <vector>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "hostile_case.hpp"
#include "hostile_payloads.hpp"
#include "hostile_server.hpp"

using namespace dvidxfer;
using namespace dvidxfer::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kMiB = 1 << 20;
constexpr std::int64_t kMemorySlack = 48 * kMiB;  // see hostile_server_framing_test.cpp
constexpr double kEndedWithin = 15.0;             // seconds: the 3 s request deadline + slack

ClientOptions quick_options() {
  ClientOptions options;
  options.max_connections = 2;
  options.connect_timeout = 2s;
  options.inactivity_timeout = 1s;
  options.request_timeout = 3s;
  options.max_attempts = 3;
  options.initial_backoff = 10ms;
  options.max_backoff = 100ms;
  return options;
}

void expect_clean_failure(const CaseOutcome& outcome, const std::string& type,
                          const std::vector<std::string>& words, std::int64_t memory_bound) {
  ASSERT_TRUE(outcome.threw) << "the call returned as if it had succeeded";
  EXPECT_TRUE(outcome.dvidxfer_error) << outcome.type << ": " << outcome.message;
  EXPECT_EQ(outcome.type.rfind(type, 0), 0u) << outcome.type << ": " << outcome.message;
  for (const auto& word : words)
    EXPECT_NE(outcome.message.find(word), std::string::npos)
        << "the message lacks '" << word << "': " << outcome.message;
  EXPECT_LT(outcome.seconds, kEndedWithin);
  EXPECT_LT(outcome.memory_rise_bytes, memory_bound)
      << "peak resident memory rose by " << outcome.memory_rise_bytes / kMiB << " MiB";
}

HostileReply honest_body(std::string body) {
  HostileReply reply;
  reply.body = std::move(body);
  return reply;
}

}  // namespace

// ---- LZ4 bombs ---------------------------------------------------------------------------------

TEST(HostilePayload, Lz4BombGeneratorExpandsAsClaimed) {
  const std::size_t expanded = 3 * kMiB + 77;
  const auto bomb = lz4_bomb(expanded);
  EXPECT_LT(bomb.size(), expanded / 250);
  std::string out(expanded, 'x');
  ASSERT_TRUE(codecs::decompress_lz4_block(bomb, out).ok());
  EXPECT_EQ(out, std::string(expanded, '\0'));
}

TEST(HostilePayload, Lz4BombOnACompressedLabelsChunkIsRefused) {
  HostileServer server([](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find("/raw/0_1_2/") == std::string_view::npos) return std::nullopt;
    // Small enough to pass as a chunk's compressed size, expanding to far more than it holds.
    return honest_body(lz4_bomb(64 * kMiB));
  });
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] {
    node.get_labels3D("labels", {64, 64, 64}, {0, 0, 0}, false, true, "", {});
  });
  report_hostile_case("labels lz4 GET (2 MiB), lz4 bomb per chunk",
                      "263 KiB lz4 block expanding to 64 MiB for each chunk", outcome);
  expect_clean_failure(outcome, "VolumeTransferError",
                       {"get_labels3D", "'labels'", "/raw/0_1_2/", "does not decode"},
                       kMemorySlack + 8 * kMiB);
}

TEST(HostilePayload, Lz4BombOnACompressedCustomRequestStopsAtTheResponseLimit) {
  HostileServer server([](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find("/stuff") == std::string_view::npos) return std::nullopt;
    return honest_body(lz4_bomb(1000ull * kMiB));
  });
  auto options = quick_options();
  options.max_response_bytes = 16 * kMiB;
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, options);
  const auto outcome =
      run_hostile_case([&] { node.custom_request("/kv/stuff", "", ConnectionMethod::GET, true); });
  report_hostile_case("custom_request compress (max_response_bytes 16 MiB), lz4 bomb",
                      "4 MiB lz4 block expanding to 1000 MiB", outcome);
  expect_clean_failure(outcome, "DecodeError", {"/kv/stuff", "lz4", "16777216"},
                       kMemorySlack + 3 * options.max_response_bytes);
}

// ---- record streams of stored blocks (get_gray3D with compress: subvolblocks) -----------------

namespace {

constexpr int kBlock = 32;
constexpr std::size_t kBlockBytes = kBlock * kBlock * kBlock;

// One block's record with a valid DVID lz4 value.
std::string valid_record(codecs::BlockCoord coord) {
  std::string out;
  codecs::append_block_record(
      out, coord, codecs::encode_dvid_lz4_value(std::string(kBlockBytes, '\x05')).value());
  return out;
}

// A record header with any length, then `payload`.
std::string raw_record(codecs::BlockCoord coord, std::uint32_t length, std::string_view payload) {
  std::string out;
  for (std::uint32_t word :
       {static_cast<std::uint32_t>(coord.x), static_cast<std::uint32_t>(coord.y),
        static_cast<std::uint32_t>(coord.z), length})
    for (int i = 0; i < 4; ++i) out += static_cast<char>((word >> (8 * i)) & 0xff);
  out += payload;
  return out;
}

std::string stated_size(std::uint32_t size) {
  std::string out;
  for (int i = 0; i < 4; ++i) out += static_cast<char>((size >> (8 * i)) & 0xff);
  return out;
}

struct RecordCase {
  const char* name;
  const char* what;  // what the server sends, for the report
  std::function<HostileReply(codecs::BlockCoord first)> reply;  // first: the chunk's first block
  const char* expected_words;  // a fragment of the client's message
};

// The first block of a subvolblocks request ".../subvolblocks/<sx>_<sy>_<sz>/<x>_<y>_<z>".
codecs::BlockCoord first_block(const ReceivedRequest& request) {
  const auto path = request.path();
  std::string offset(path.substr(path.rfind('/') + 1));
  std::array<std::int32_t, 3> xyz{};
  for (auto& value : xyz) {
    std::size_t used = 0;
    value = std::stoi(offset, &used) / kBlock;
    offset.erase(0, std::min(offset.size(), used + 1));
  }
  return {xyz[0], xyz[1], xyz[2]};
}

class HostileBlockRecords : public ::testing::TestWithParam<RecordCase> {};

}  // namespace

TEST_P(HostileBlockRecords, CorruptStreamFailsTheVolumeCall) {
  const auto& param = GetParam();
  HostileServer server([&](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find("/subvolblocks/") == std::string_view::npos) return std::nullopt;
    return param.reply(first_block(request));
  });
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] {
    node.get_gray3D("grayscale", {64, 64, 64}, {0, 0, 0}, false, true, "", {});
  });
  report_hostile_case(std::string("gray compressed GET (256 KiB), ") + param.name, param.what,
                      outcome);
  expect_clean_failure(outcome, "VolumeTransferError",
                       {"get_gray3D", "'grayscale'", "/subvolblocks/", param.expected_words},
                       kMemorySlack + 8 * kMiB);
}

INSTANTIATE_TEST_SUITE_P(
    Corruptions, HostileBlockRecords,
    ::testing::Values(
        RecordCase{"impossible length", "a record claiming 4294967280 payload bytes",
                   [](codecs::BlockCoord) {
                     return honest_body(raw_record({0, 0, 0}, 0xfffffff0u, "abc"));
                   },
                   "exceeds the maximum"},
        RecordCase{"length beyond the body", "a record claiming 30000 bytes, 100 sent",
                   [](codecs::BlockCoord) {
                     return honest_body(raw_record({0, 0, 0}, 30000, std::string(100, 'x')));
                   },
                   "stream ends inside the payload"},
        RecordCase{"block outside the box", "block (5, 0, 0) of a box of blocks 0..1",
                   [](codecs::BlockCoord) {
                     return honest_body(valid_record({5, 0, 0}));
                   },
                   "outside"},
        RecordCase{"negative block", "block (0, -1, 0)",
                   [](codecs::BlockCoord) {
                     return honest_body(valid_record({0, -1, 0}));
                   },
                   "outside"},
        RecordCase{"overflowing block", "block (INT32_MAX, INT32_MIN, INT32_MAX)",
                   [](codecs::BlockCoord) {
                     return honest_body(valid_record({INT32_MAX, INT32_MIN, INT32_MAX}));
                   },
                   "outside"},
        RecordCase{"duplicate block", "the chunk's first block twice",
                   [](codecs::BlockCoord first) {
                     return honest_body(valid_record(first) + valid_record(first));
                   },
                   "more than once"},
        RecordCase{"value claiming 4 GiB", "a block whose DVID lz4 value states 4294967280 bytes",
                   [](codecs::BlockCoord) {
                     const auto value = stated_size(0xfffffff0u) + lz4_bomb(16 * 1024);
                     return honest_body(
                         raw_record({0, 0, 0}, static_cast<std::uint32_t>(value.size()), value));
                   },
                   "above the"},
        RecordCase{"lz4 bomb inside a block",
                   "a block value stating 32768 bytes, expanding to 8 MiB",
                   [](codecs::BlockCoord) {
                     const auto value = stated_size(kBlockBytes) + lz4_bomb(8 * kMiB);
                     return honest_body(
                         raw_record({0, 0, 0}, static_cast<std::uint32_t>(value.size()), value));
                   },
                   "expands to more than"},
        RecordCase{"1000x records", "the box's 8 valid records, 1000 times over (chunked)",
                   [](codecs::BlockCoord) {
                     HostileReply reply;
                     for (int z = 0; z < 2; ++z)
                       for (int y = 0; y < 2; ++y)
                         for (int x = 0; x < 2; ++x) reply.body += valid_record({x, y, z});
                     reply.repetitions = 1000;
                     reply.framing = Framing::chunked;
                     return reply;
                   },
                   "exceeds"}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

// ---- JSON nested 100,000 deep, for every call that parses JSON --------------------------------

namespace {

struct JsonCall {
  const char* name;
  const char* path_fragment;  // which request gets the deep JSON
  std::function<void(NodeService&)> call;
};

class HostileDeepJson : public ::testing::TestWithParam<JsonCall> {};

}  // namespace

TEST_P(HostileDeepJson, DeepNestingIsADecodeError) {
  const auto& param = GetParam();
  HostileServer server([&](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find(param.path_fragment) == std::string_view::npos) return std::nullopt;
    auto reply = honest_body(nested_json_arrays(100000));
    reply.content_type = "application/json";
    return reply;
  });
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] { param.call(node); });
  report_hostile_case(std::string(param.name) + ", JSON nested 100000 deep",
                      "100000 '[' then 100000 ']'", outcome);
  expect_clean_failure(outcome, "DecodeError", {param.path_fragment, "too deep"},
                       kMemorySlack + 8 * kMiB);
}

INSTANTIATE_TEST_SUITE_P(
    Calls, HostileDeepJson,
    ::testing::Values(
        JsonCall{"get_json", "/key/", [](NodeService& n) { n.get_json("kv", "k"); }},
        JsonCall{"get_keys", "/keys", [](NodeService& n) { n.get_keys("kv"); }},
        JsonCall{"get_typeinfo", "/info", [](NodeService& n) { n.get_typeinfo("grayscale"); }},
        JsonCall{"get_blocksize", "/info", [](NodeService& n) { n.get_blocksize("grayscale"); }},
        JsonCall{"get_roi", "/roi", [](NodeService& n) { n.get_roi("medulla"); }},
        JsonCall{"get_roi_partition", "/partition",
                 [](NodeService& n) { n.get_roi_partition("medulla", 4); }},
        JsonCall{"roi_ptquery", "/ptquery",
                 [](NodeService& n) {
                   n.roi_ptquery("medulla", {{1, 2, 3}});
                 }},
        JsonCall{"get_subgraph", "/subgraph", [](NodeService& n) { n.get_subgraph("agglo"); }},
        JsonCall{"get_vertex_neighbors", "/neighbors/",
                 [](NodeService& n) { n.get_vertex_neighbors("agglo", 7); }}),
    [](const auto& info) { return std::string(info.param.name); });
