// The labelmap block paths against a scripted server (tests/support/hostile_server.hpp) that
// answers with exactly the record streams a test builds: honest streams in any order and with
// gaps decode cropped into the caller's buffer; every corrupt one (a block twice, a block outside
// the request, a payload that is not a gzip'd Block or has the wrong size, a truncated stream,
// an error appended mid-stream) fails the call naming the block (DVID's x,y,z) and byte offset.
// The write side: the POSTed records and query, unaligned writes never sent, and failed chunks
// named.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "hostile_server.hpp"

using namespace dvidxfer;
using namespace dvidxfer::testing;

namespace {

constexpr std::int64_t kBlock = 16;

std::uint64_t label_at(std::int64_t z, std::int64_t y, std::int64_t x) {
  return 1000 +
         static_cast<std::uint64_t>(((z + 64) / 3) * 10007 + ((y + 64) / 5) * 101 + (x + 64) / 7);
}

// The gzip'd Block of block (z, y, x) of label_at, or of a block of `side` voxels.
std::string gzip_block(std::array<std::int64_t, 3> zyx, std::int64_t side = kBlock) {
  std::vector<std::uint64_t> voxels(static_cast<std::size_t>(side * side * side));
  std::size_t i = 0;
  for (std::int64_t z = 0; z < side; ++z)
    for (std::int64_t y = 0; y < side; ++y)
      for (std::int64_t x = 0; x < side; ++x)
        voxels[i++] = label_at(zyx[0] * side + z, zyx[1] * side + y, zyx[2] * side + x);
  const auto n = static_cast<std::uint32_t>(side);
  const codecs::LabelBlockWindowConst whole{voxels.data(),
                                            static_cast<std::size_t>(side),
                                            static_cast<std::size_t>(side * side),
                                            {0, 0, 0},
                                            {n, n, n}};
  return codecs::encode_gzip_label_block(whole, {n, n, n}).value();
}

Labels3D zeros(Shape3 shape) {
  Labels3D volume(shape);
  std::fill(volume.data(), volume.data() + volume.size(), 0);
  return volume;
}

// A record of block (z, y, x) (written x, y, z as DVID does).
void add_record(std::string& stream, std::array<std::int64_t, 3> zyx, std::string_view payload) {
  codecs::append_block_record(stream,
                              {static_cast<std::int32_t>(zyx[2]), static_cast<std::int32_t>(zyx[1]),
                               static_cast<std::int32_t>(zyx[0])},
                              payload);
}

std::string labelmap_info() {
  return R"({"Base":{"TypeName":"labelmap","Name":"seg"},"Extended":{"BlockSize":[16,16,16]}})";
}

// A server answering the instance's info as a labelmap and GET /blocks with `stream`, recording
// every other request.
class ScriptedLabelmap {
 public:
  explicit ScriptedLabelmap(std::string stream, unsigned post_status = 200)
      : stream_(std::move(stream)),
        post_status_(post_status),
        server_([this](const ReceivedRequest& request) { return answer(request); }) {}

  NodeService node() {
    ClientOptions options;
    options.max_attempts = 2;
    options.initial_backoff = std::chrono::milliseconds(1);
    return NodeService(server_.address(), "abcdef", "tester", "labelmap-corrupt", "", 0, options);
  }
  std::vector<ReceivedRequest> posts() const {
    const std::lock_guard lock(mutex_);
    return posts_;
  }

 private:
  std::optional<HostileReply> answer(const ReceivedRequest& request) {
    HostileReply reply;
    if (request.path_ends_with("/info")) {
      reply.content_type = "application/json";
      reply.body = labelmap_info();
      return reply;
    }
    if (request.method == "POST") {
      const std::lock_guard lock(mutex_);
      posts_.push_back(request);
      reply.status = post_status_;
      if (post_status_ != 200) reply.body = "cannot store blocks";
      return reply;
    }
    if (request.path().find("/blocks/") != std::string_view::npos) {
      reply.body = stream_;
      return reply;
    }
    return std::nullopt;
  }

  std::string stream_;
  unsigned post_status_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> posts_;
  HostileServer server_;  // last: its threads call answer() until it is destroyed
};

// One chunk covering blocks (0..1, 0..1, 0..1): the 32^3 box at the origin.
TransferOptions one_chunk() {
  TransferOptions options;
  options.chunk_bytes = 64ull << 20;
  return options;
}

// The message of the VolumeTransferError a 32^3 read of `stream` throws.
std::string read_failure(const std::string& stream) {
  ScriptedLabelmap server(stream);
  auto node = server.node();
  try {
    node.get_labels3D("seg", {32, 32, 32}, {0, 0, 0}, false, true, "", one_chunk());
  } catch (const VolumeTransferError& e) {
    return e.what();
  }
  ADD_FAILURE() << "a corrupt stream was read as if whole";
  return "";
}

void expect_words(const std::string& message, const std::vector<std::string>& words) {
  for (const auto& word : words)
    EXPECT_NE(message.find(word), std::string::npos) << "no '" << word << "' in: " << message;
}

}  // namespace

TEST(LabelmapStream, BlocksInAnyOrderWithGapsAreCroppedIntoTheBuffer) {
  std::string stream;
  // Five of the eight blocks, in no particular order; the others are absent (zeros).
  for (const auto& zyx : std::vector<std::array<std::int64_t, 3>>{
           {1, 1, 1}, {0, 0, 0}, {1, 0, 1}, {0, 1, 0}, {0, 0, 1}})
    add_record(stream, zyx, gzip_block(zyx));
  ScriptedLabelmap server(stream);
  auto node = server.node();
  const Shape3 shape{27, 25, 30};
  const Point3 offset{3, 2, 1};
  std::vector<std::uint64_t> out(static_cast<std::size_t>(shape[0] * shape[1] * shape[2]), 77);
  node.get_labels3D("seg", shape, offset, out, false, true, "", one_chunk());
  std::size_t wrong = 0;
  for (std::int64_t z = 0; z < shape[0]; ++z)
    for (std::int64_t y = 0; y < shape[1]; ++y)
      for (std::int64_t x = 0; x < shape[2]; ++x) {
        const auto gz = z + offset[0], gy = y + offset[1], gx = x + offset[2];
        const std::array<std::int64_t, 3> block{gz / kBlock, gy / kBlock, gx / kBlock};
        const bool present = block == std::array<std::int64_t, 3>{1, 1, 1} ||
                             block == std::array<std::int64_t, 3>{0, 0, 0} ||
                             block == std::array<std::int64_t, 3>{1, 0, 1} ||
                             block == std::array<std::int64_t, 3>{0, 1, 0} ||
                             block == std::array<std::int64_t, 3>{0, 0, 1};
        wrong += out[static_cast<std::size_t>((z * shape[1] + y) * shape[2] + x)] !=
                 (present ? label_at(gz, gy, gx) : 0);
      }
  EXPECT_EQ(wrong, 0u);
}

TEST(LabelmapStream, ABlockSentTwiceFailsTheCall) {
  std::string stream;
  add_record(stream, {0, 0, 0}, gzip_block({0, 0, 0}));
  add_record(stream, {0, 0, 1}, gzip_block({0, 0, 1}));
  const auto second_at = stream.size();
  add_record(stream, {0, 0, 1}, gzip_block({0, 0, 1}));
  expect_words(read_failure(stream),
               {"get_labels3D", "'seg'", "block (x,y,z) (1,0,0)", "more than once",
                "record at byte " + std::to_string(second_at)});
}

TEST(LabelmapStream, ABlockOutsideTheRequestFailsTheCall) {
  std::string stream;
  add_record(stream, {0, 0, 0}, gzip_block({0, 0, 0}));
  add_record(stream, {0, 5, 0}, gzip_block({0, 5, 0}));
  expect_words(read_failure(stream), {"block (x,y,z) (0,5,0)", "outside", "record at byte"});
}

TEST(LabelmapStream, APayloadThatIsNotAGzippedBlockFailsTheCall) {
  std::string stream;
  add_record(stream, {0, 0, 0}, gzip_block({0, 0, 0}));
  const auto bad_at = stream.size();
  add_record(stream, {1, 1, 0}, "this is not gzip at all");
  expect_words(read_failure(stream),
               {"block (x,y,z) (0,1,1)", "record at byte " + std::to_string(bad_at)});
}

TEST(LabelmapStream, ABlockOfTheWrongSizeFailsTheCall) {
  std::string stream;
  add_record(stream, {0, 1, 0}, gzip_block({0, 1, 0}, 32));
  expect_words(read_failure(stream), {"block (x,y,z) (0,1,0)", "record at byte 0"});
}

TEST(LabelmapStream, ATruncatedStreamFailsTheCall) {
  std::string stream;
  add_record(stream, {0, 0, 0}, gzip_block({0, 0, 0}));
  add_record(stream, {1, 0, 0}, gzip_block({1, 0, 0}));
  const auto whole = stream.size();
  expect_words(read_failure(stream.substr(0, whole - 9)), {"corrupt", "byte"});
  expect_words(read_failure(stream.substr(0, whole - (whole - 9) / 2)), {"corrupt", "byte"});
  // A header cut short.
  expect_words(read_failure(stream.substr(0, 7)), {"corrupt", "byte"});
}

TEST(LabelmapStream, AnErrorAppendedMidStreamFailsTheCall) {
  // DVID writes its error text into a body whose 200 was already sent.
  std::string stream;
  add_record(stream, {0, 0, 0}, gzip_block({0, 0, 0}));
  stream += "unable to read block: storage is on fire";
  expect_words(read_failure(stream), {"get_labels3D", "corrupt", "byte"});
}

TEST(LabelmapWrite, PostsEveryBlockOnceWithTheOptionsAsked) {
  ScriptedLabelmap server("");
  auto node = server.node();
  const Shape3 shape{32, 16, 48};
  const Point3 offset{-16, 16, 32};
  Labels3D volume(shape);
  for (std::int64_t z = 0; z < shape[0]; ++z)
    for (std::int64_t y = 0; y < shape[1]; ++y)
      for (std::int64_t x = 0; x < shape[2]; ++x)
        volume.at(z, y, x) = label_at(offset[0] + z, offset[1] + y, offset[2] + x);
  LabelWriteOptions options;
  options.downres = true;
  options.noindexing = true;
  TransferOptions two_blocks_a_chunk;
  two_blocks_a_chunk.chunk_bytes = 2 * kBlock * kBlock * kBlock * 8;
  node.put_labels3D("seg", volume, offset, true, true, "", false, two_blocks_a_chunk, options);

  std::map<std::array<std::int32_t, 3>, int> seen;  // DVID's x, y, z
  for (const auto& post : server.posts()) {
    EXPECT_EQ(post.path(), "/api/node/abcdef/seg/blocks");
    expect_words(post.target, {"throttle=on", "downres=true", "noindexing=true"});
    codecs::BlockRecordParser parser(1 << 20);
    ASSERT_TRUE(parser
                    .feed(post.body,
                          [&](const codecs::BlockRecord& record) -> codecs::CodecResult<Unit> {
                            ++seen[{record.coord.x, record.coord.y, record.coord.z}];
                            std::vector<std::uint64_t> voxels(kBlock * kBlock * kBlock);
                            const codecs::LabelBlockWindow into{
                                voxels.data(), kBlock, kBlock * kBlock, {0, 0, 0}, {16, 16, 16}};
                            EXPECT_TRUE(codecs::decode_gzip_label_block_into(record.payload,
                                                                             {16, 16, 16}, into)
                                            .ok());
                            const auto z0 = record.coord.z * kBlock, y0 = record.coord.y * kBlock,
                                       x0 = record.coord.x * kBlock;
                            EXPECT_EQ(voxels[0], label_at(z0, y0, x0));
                            EXPECT_EQ(voxels.back(), label_at(z0 + 15, y0 + 15, x0 + 15));
                            return Unit{};
                          })
                    .ok());
    EXPECT_TRUE(parser.finish().ok());
  }
  EXPECT_GE(server.posts().size(), 3u);  // six blocks, at most two a chunk
  std::map<std::array<std::int32_t, 3>, int> expected;
  for (std::int32_t bz = -1; bz <= 0; ++bz)
    for (std::int32_t bx = 2; bx <= 4; ++bx) expected[{bx, 1, bz}] = 1;
  EXPECT_EQ(seen, expected);
}

TEST(LabelmapWrite, IngestionPostsToIngestSupervoxels) {
  ScriptedLabelmap server("");
  auto node = server.node();
  LabelWriteOptions ingest;
  ingest.ingest_supervoxels = true;
  ingest.scale = 2;
  node.put_labels3D("seg", zeros({16, 16, 16}), {0, 0, 0}, false, true, "", false, {}, ingest);
  ASSERT_EQ(server.posts().size(), 1u);
  EXPECT_EQ(server.posts()[0].path(), "/api/node/abcdef/seg/ingest-supervoxels");
  expect_words(server.posts()[0].target, {"scale=2"});
}

TEST(LabelmapWrite, AnUnalignedWriteSendsNothing) {
  ScriptedLabelmap server("");
  auto node = server.node();
  try {
    node.put_labels3D("seg", zeros({16, 16, 24}), {0, 0, 0});
    FAIL() << "an unaligned write was accepted";
  } catch (const ArgumentError& e) {
    expect_words(e.what(), {"put_labels3D", "'seg'", "along x", "size 24", "block size 16"});
  }
  EXPECT_TRUE(server.posts().empty());
}

TEST(LabelmapWrite, AFailedWriteNamesTheChunksThatDidNotLand) {
  ScriptedLabelmap server("", 500);
  auto node = server.node();
  TransferOptions block_chunks;
  block_chunks.chunk_bytes = kBlock * kBlock * kBlock * 8;
  block_chunks.max_in_flight = 1;
  try {
    node.put_labels3D("seg", zeros({32, 16, 16}), {0, 0, 0}, false, true, "", false, block_chunks);
    FAIL() << "a refused write returned";
  } catch (const VolumeTransferError& e) {
    EXPECT_EQ(e.status(), 500u);
    ASSERT_EQ(e.failed_chunks().size(), 1u);
    EXPECT_EQ(e.failed_chunks()[0].offset_zyx, (std::array<std::int64_t, 3>{0, 0, 0}));
    ASSERT_EQ(e.unsent_chunks().size(), 1u);
    EXPECT_EQ(e.unsent_chunks()[0].offset_zyx, (std::array<std::int64_t, 3>{16, 0, 0}));
  }
}

TEST(LabelmapSpecificBlocks, ABlockNotAskedForIsADecodeError) {
  std::string stream;
  add_record(stream, {0, 0, 0}, gzip_block({0, 0, 0}));
  add_record(stream, {3, 3, 3}, gzip_block({3, 3, 3}));
  HostileServer server([&](const ReceivedRequest& request) -> std::optional<HostileReply> {
    HostileReply reply;
    if (request.path_ends_with("/info")) {
      reply.body = labelmap_info();
      return reply;
    }
    if (request.path_ends_with("/specificblocks")) {
      EXPECT_NE(request.target.find("blocks=0%2C0%2C0"), std::string::npos) << request.target;
      reply.body = stream;
      return reply;
    }
    return std::nullopt;
  });
  NodeService node(server.address(), "abcdef");
  try {
    node.get_specificblocks3D("seg", false, {{0, 0, 0}});
    FAIL() << "a block nobody asked for was accepted";
  } catch (const DecodeError& e) {
    expect_words(e.what(), {"block (x,y,z) (3,3,3)", "not asked for"});
  }
}
