// The client against a DVID whose HTTP framing lies or stalls: a Content-Length shorter or longer
// than the body, endless and oversized bodies, a server that drips one byte per second and one
// that never answers. Every call must fail within its deadline with a dvidxfer::Error naming the
// endpoint and the fault, hand out no data, and hold no more memory than the request implies.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "hostile_case.hpp"
#include "hostile_server.hpp"

using namespace dvidxfer;
using namespace dvidxfer::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kMiB = 1 << 20;
// Allocator arenas, thread stacks touched, test bookkeeping: what a failing call may cost
// beyond the bytes its request implies.
constexpr std::int64_t kMemorySlack = 48 * kMiB;
// A hang must end near the request deadline; the bound allows for a loaded 2-core machine.
constexpr auto kRequestTimeout = 3s;
constexpr double kEndedWithin = 15.0;  // seconds: kRequestTimeout + generous slack

ClientOptions quick_options() {
  ClientOptions options;
  options.max_connections = 2;
  options.connect_timeout = 2s;
  options.inactivity_timeout = 1s;
  options.request_timeout = kRequestTimeout;
  options.max_attempts = 3;
  options.initial_backoff = 10ms;
  options.max_backoff = 100ms;
  return options;
}

// The bytes a volume request asks for: "<nx>_<ny>_<nz>" after "/raw/0_1_2/" (uint8 voxels).
std::uint64_t requested_bytes(const ReceivedRequest& request, std::uint64_t voxel_bytes) {
  const auto path = request.path();
  const auto at = path.find("0_1_2/") + 6;
  std::uint64_t product = 1;
  std::size_t position = at;
  for (int axis = 0; axis < 3; ++axis) {
    std::size_t used = 0;
    product *= std::stoull(std::string(path.substr(position)), &used);
    position += used + 1;
  }
  return product * voxel_bytes;
}

void expect_words(const CaseOutcome& outcome, const std::vector<std::string>& words) {
  for (const auto& word : words)
    EXPECT_NE(outcome.message.find(word), std::string::npos)
        << "the message lacks '" << word << "': " << outcome.message;
}

// The checks every case shares: a dvidxfer::Error of `type` (a prefix), in time, in memory.
void expect_clean_failure(const CaseOutcome& outcome, const std::string& type,
                          const std::vector<std::string>& words, std::int64_t memory_bound) {
  ASSERT_TRUE(outcome.threw) << "the call returned as if it had succeeded";
  EXPECT_TRUE(outcome.dvidxfer_error) << outcome.type << ": " << outcome.message;
  EXPECT_EQ(outcome.type.rfind(type, 0), 0u) << outcome.type << ": " << outcome.message;
  expect_words(outcome, words);
  EXPECT_LT(outcome.seconds, kEndedWithin);
  EXPECT_LT(outcome.memory_rise_bytes, memory_bound)
      << "peak resident memory rose by " << outcome.memory_rise_bytes / kMiB << " MiB";
}

// A keyvalue GET's answer: 1 MiB the client cannot size in advance.
const std::string kValue(1 << 20, 'v');

HostileScript on_key(HostileReply reply) {
  return [reply](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find("/key/") == std::string_view::npos) return std::nullopt;
    return reply;
  };
}

HostileScript on_volume(std::function<HostileReply(const ReceivedRequest&)> make) {
  return [make](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find("/raw/0_1_2/") == std::string_view::npos) return std::nullopt;
    return make(request);
  };
}

}  // namespace

// ---- lying Content-Length ------------------------------------------------------------------

TEST(HostileFraming, ContentLengthShorterThanTheBodyIsNotTakenAsTheValue) {
  HostileReply reply;
  reply.body = std::string(1000, 'v');  // one segment: the excess arrives with the body
  reply.announced_length = 500;
  HostileServer server(on_key(reply));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, Content-Length half the body",
                      "announced 500 bytes, sent 1000 in one write, kept the connection open",
                      outcome);
  expect_clean_failure(outcome, "TransportError(protocol)", {"/kv/key/k", "beyond"},
                       kMemorySlack + 4 * kMiB);
}

TEST(HostileFraming, ContentLengthLongerThanTheBodyThenCloseFails) {
  HostileReply reply;
  reply.body = kValue;
  reply.announced_length = kValue.size() * 2;
  reply.ending = Ending::close;
  HostileServer server(on_key(reply));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, Content-Length twice the body, then close",
                      "announced 2097152 bytes, sent 1048576, closed", outcome);
  expect_clean_failure(outcome, "TransportError(connection)", {"/kv/key/k", "closed"},
                       kMemorySlack + 8 * kMiB);
}

TEST(HostileFraming, ContentLengthLongerThanTheBodyThenHangTimesOut) {
  HostileReply reply;
  reply.body = kValue;
  reply.announced_length = kValue.size() * 2;
  reply.ending = Ending::hang;
  HostileServer server(on_key(reply));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, Content-Length twice the body, then hang",
                      "announced 2097152 bytes, sent 1048576, went silent", outcome);
  expect_clean_failure(outcome, "TransportError(timeout)", {"/kv/key/k", "deadline"},
                       kMemorySlack + 8 * kMiB);
}

TEST(HostileFraming, ContentLengthOfGigabytesCommitsNoMemory) {
  HostileReply reply;
  reply.body = kValue;
  reply.announced_length = std::uint64_t(6) << 30;  // within the default 8 GiB limit
  reply.ending = Ending::hang;
  HostileServer server(on_key(reply));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, Content-Length 6 GiB, then hang",
                      "announced 6442450944 bytes, sent 1048576, went silent", outcome);
  expect_clean_failure(outcome, "TransportError(timeout)", {"/kv/key/k", "deadline"},
                       kMemorySlack + 8 * kMiB);
  // Untouched, a 6 GiB reservation costs no resident memory, but it is refused (bad_alloc) where
  // address space is scarce: the address space must not grow by the announced size either.
  EXPECT_LT(outcome.virtual_rise_bytes, std::int64_t(2) << 30)
      << "peak virtual size rose by " << outcome.virtual_rise_bytes / kMiB << " MiB";
}

TEST(HostileFraming, VolumeChunkWhoseBodyEndsShortIsNeverFilled) {
  HostileServer server(on_volume([](const ReceivedRequest& request) {
    HostileReply reply;
    reply.body = std::string(requested_bytes(request, 1) / 2, '\x07');
    reply.announced_length = requested_bytes(request, 1);
    reply.ending = Ending::close;
    return reply;
  }));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  std::vector<std::uint8_t> out(128 * 128 * 128, 0);
  const auto outcome = run_hostile_case([&] {
    node.get_gray3D("grayscale", {128, 128, 128}, {0, 0, 0}, out, false, false, "", {});
  });
  report_hostile_case("gray GET (2 MiB), each chunk's body half its Content-Length, then close",
                      "announced the chunk's size, sent half of it, closed", outcome);
  expect_clean_failure(outcome, "VolumeTransferError", {"get_gray3D", "'grayscale'", "/raw/0_1_2/"},
                       kMemorySlack + 4 * kMiB);
}

TEST(HostileFraming, VolumeChunkWithBytesBeyondItsLengthFails) {
  HostileServer server(on_volume([](const ReceivedRequest& request) {
    HostileReply reply;
    reply.body = std::string(requested_bytes(request, 1) + 100, '\x07');
    reply.announced_length = requested_bytes(request, 1);
    return reply;
  }));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] {
    node.get_gray3D("grayscale", {32, 32, 32}, {0, 0, 0}, false, false, "", {});
  });
  report_hostile_case("gray GET (32 KiB), 100 bytes beyond the Content-Length",
                      "announced the chunk's size, sent 100 bytes more in the same write", outcome);
  expect_clean_failure(outcome, "VolumeTransferError", {"get_gray3D", "/raw/0_1_2/", "beyond"},
                       kMemorySlack);
}

// ---- bodies with no end, or far larger than asked ------------------------------------------

TEST(HostileFraming, EndlessChunkedBodyStopsAtTheResponseLimit) {
  HostileReply reply;
  reply.body = std::string(64 * 1024, 'x');
  reply.repetitions = 0;
  reply.framing = Framing::chunked;
  HostileServer server(on_key(reply));
  auto options = quick_options();
  options.max_response_bytes = 16 * kMiB;
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, options);
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, endless chunked body (max_response_bytes 16 MiB)",
                      "64 KiB chunks without end", outcome);
  expect_clean_failure(outcome, "TransportError(protocol)", {"/kv/key/k", "exceeds"},
                       kMemorySlack + 2 * options.max_response_bytes);
  EXPECT_GT(server.hostile_bytes_sent(), std::uint64_t(options.max_response_bytes));
}

struct OversizedCase {
  const char* name;
  Framing framing;
  bool labels_lz4;  // get_labels3D with compress (the body goes to a string, not the volume)
};

class HostileOversizedVolume : public ::testing::TestWithParam<OversizedCase> {};

// Each chunk of a 2 MiB volume GET is answered with 1000 times its size: the client must stop
// at the size it asked for, not buffer the gigabyte.
TEST_P(HostileOversizedVolume, ThousandfoldBodyIsRefusedWithoutBufferingIt) {
  const auto& param = GetParam();
  const std::uint64_t voxel_bytes = param.labels_lz4 ? 8 : 1;
  HostileServer server([&](const ReceivedRequest& request) -> std::optional<HostileReply> {
    if (request.path().find("/raw/0_1_2/") == std::string_view::npos) return std::nullopt;
    HostileReply reply;
    reply.body = std::string(requested_bytes(request, voxel_bytes), '\x01');
    reply.repetitions = 1000;
    reply.framing = param.framing;
    return reply;
  });
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] {
    if (param.labels_lz4)
      node.get_labels3D("labels", {64, 64, 64}, {0, 0, 0}, false, true, "", {});
    else
      node.get_gray3D("grayscale", {128, 128, 128}, {0, 0, 0}, false, false, "", {});
  });
  report_hostile_case(std::string(param.labels_lz4 ? "labels lz4" : "gray raw") +
                          " GET (2 MiB), 1000x body, " + param.name,
                      "each chunk answered with 1000 times its size", outcome);
  expect_clean_failure(outcome, "VolumeTransferError",
                       {param.labels_lz4 ? "get_labels3D" : "get_gray3D", "/raw/0_1_2/"},
                       kMemorySlack + 8 * kMiB);
}

INSTANTIATE_TEST_SUITE_P(
    Framings, HostileOversizedVolume,
    ::testing::Values(OversizedCase{"honest Content-Length", Framing::content_length, false},
                      OversizedCase{"chunked", Framing::chunked, false},
                      OversizedCase{"close-delimited", Framing::close_delimited, false},
                      OversizedCase{"honest Content-Length", Framing::content_length, true},
                      OversizedCase{"chunked", Framing::chunked, true},
                      OversizedCase{"close-delimited", Framing::close_delimited, true}),
    [](const auto& info) {
      std::string name =
          std::string(info.param.labels_lz4 ? "LabelsLz4_" : "GrayRaw_") + info.param.name;
      for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(HostileFraming, EndlessErrorBodyOnAVolumeChunkIsCutShort) {
  HostileServer server(on_volume([](const ReceivedRequest&) {
    HostileReply reply;
    reply.status = 500;
    reply.content_type = "text/plain";
    reply.body = std::string(64 * 1024, 'e');
    reply.repetitions = 0;
    reply.framing = Framing::chunked;
    return reply;
  }));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] {
    node.get_gray3D("grayscale", {64, 64, 64}, {0, 0, 0}, false, false, "", {});
  });
  report_hostile_case("gray GET (256 KiB), HTTP 500 with an endless chunked body",
                      "status 500, 64 KiB chunks without end", outcome);
  expect_clean_failure(outcome, "VolumeTransferError", {"get_gray3D", "/raw/0_1_2/", "exceeds"},
                       kMemorySlack + 4 * kMiB);
}

// ---- servers that stall --------------------------------------------------------------------

TEST(HostileFraming, ServerDrippingOneBytePerSecondHitsTheRequestDeadline) {
  HostileReply reply;
  reply.body = kValue;
  reply.byte_interval = 1000ms;
  HostileServer server(on_key(reply));
  auto options = quick_options();
  options.inactivity_timeout = 5s;  // each byte is progress: only the call's deadline can end it
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, options);
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, one byte per second (request_timeout 3 s)",
                      "status line and headers dripped 1 byte/s", outcome);
  expect_clean_failure(outcome, "TransportError(timeout)", {"/kv/key/k", "deadline"}, kMemorySlack);
}

TEST(HostileFraming, ServerThatNeverAnswersTimesOut) {
  HostileReply reply;
  reply.silent = true;
  HostileServer server(on_key(reply));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] { node.get("kv", "k"); });
  report_hostile_case("kv GET, accepted and never answered (inactivity 1 s, request 3 s)",
                      "read the request, never wrote a byte", outcome);
  expect_clean_failure(outcome, "TransportError(timeout)",
                       {"/kv/key/k", "waiting for the response"}, kMemorySlack);
}

TEST(HostileFraming, VolumeChunkAnsweredWithAnEmpty200Fails) {
  HostileServer server(on_volume([](const ReceivedRequest&) { return HostileReply{}; }));
  NodeService node(server.address(), "abcdef", "hostile", "tests", "", 0, quick_options());
  const auto outcome = run_hostile_case([&] {
    node.get_gray3D("grayscale", {32, 32, 32}, {0, 0, 0}, false, false, "", {});
  });
  report_hostile_case("gray GET (32 KiB), HTTP 200 with an empty body",
                      "status 200, Content-Length: 0", outcome);
  expect_clean_failure(outcome, "VolumeTransferError",
                       {"get_gray3D", "/raw/0_1_2/", "200 with 0 body bytes where 32768"},
                       kMemorySlack);
}
