// Grayscale stored as JPEG (uint8blk with Compression jpeg, as FlyEM keeps EM data): get_gray3D
// with compress reads the stored JPEG blocks through subvolblocks and decodes them itself. It must
// return exactly what the server's raw read returns (both decode the same stored JPEGs), at any
// alignment; a stored block that is not a valid JPEG fails the call naming the block.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"
#include "hostile_server.hpp"

using namespace dvidxfer;
using namespace dvidxfer::testing;

namespace {

// Smooth grayscale (a triangle wave), as EM images are at block scale.
Grayscale3D smooth_gray(Shape3 shape, Point3 offset) {
  Grayscale3D volume(shape);
  for (std::int64_t z = 0; z < shape[0]; ++z)
    for (std::int64_t y = 0; y < shape[1]; ++y)
      for (std::int64_t x = 0; x < shape[2]; ++x) {
        const auto phase =
            (((offset[2] + x) * 2 + (offset[1] + y) + (offset[0] + z) * 3) % 192 + 192) % 192;
        volume.at(z, y, x) = static_cast<std::uint8_t>(80 + std::abs(phase - 96));
      }
  return volume;
}

bool same(const Grayscale3D& a, const Grayscale3D& b) {
  return a.shape() == b.shape() && std::equal(a.data(), a.data() + a.size(), b.data());
}

class GrayJpeg : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string uuid = ServerService(server.url()).create_new_repo("em", "jpeg grayscale");
    node = std::make_unique<NodeService>(server.url(), uuid);
    ASSERT_TRUE(node->create_instance("uint8blk", "em", {{"Compression", "jpeg"}}));
    node->put_gray3D("em", smooth_gray({64, 96, 128}, {-32, 0, 32}), {-32, 0, 32});
  }

  server::EmbeddedServer server;
  std::unique_ptr<NodeService> node;
};

}  // namespace

TEST_F(GrayJpeg, StoredJpegBlocksDecodeToWhatTheServersRawReadReturns) {
  for (const auto& [shape, offset] : std::vector<std::pair<Shape3, Point3>>{
           {{64, 96, 128}, {-32, 0, 32}},       // the written box, block-aligned
           {{45, 70, 99}, {-29, 3, 40}},        // unaligned, inside
           {{96, 128, 160}, {-64, -16, 0}}}) {  // beyond the written blocks: zeros there
    const Grayscale3D raw = node->get_gray3D("em", shape, offset, false, false);
    const Grayscale3D stored = node->get_gray3D("em", shape, offset, false, true);
    EXPECT_TRUE(same(raw, stored))
        << "box at " << offset[0] << "," << offset[1] << "," << offset[2];
  }
  // And JPEG is lossy but close at DVID's quality 80.
  const Grayscale3D written = smooth_gray({64, 96, 128}, {-32, 0, 32});
  const Grayscale3D read = node->get_gray3D("em", {64, 96, 128}, {-32, 0, 32}, false, true);
  int worst = 0;
  for (std::size_t i = 0; i < read.size(); ++i)
    worst = std::max(worst, std::abs(int(read.data()[i]) - int(written.data()[i])));
  EXPECT_LE(worst, 12);
  EXPECT_GT(worst, 0) << "stored as JPEG, so not lossless";
}

TEST_F(GrayJpeg, SpecificBlocksDecodeStoredJpeg) {
  const SpecificBlocks blocks = node->get_specificblocks3D("em", true, {{-1, 0, 1}, {0, 2, 3}});
  ASSERT_EQ(blocks.coords_zyx.size(), 2u);
  for (std::size_t i = 0; i < blocks.coords_zyx.size(); ++i) {
    const auto& c = blocks.coords_zyx[i];
    const Grayscale3D raw =
        node->get_gray3D("em", {32, 32, 32}, {c[0] * 32, c[1] * 32, c[2] * 32}, false, false);
    EXPECT_TRUE(same(blocks.gray[i], raw)) << "block " << c[0] << "," << c[1] << "," << c[2];
  }
}

// A scripted uint8blk whose subvolblocks answer is one record holding `payload` for block
// (x 1, y 0, z 0): the message of the VolumeTransferError a read of it throws, or nullopt when
// the read succeeds.
std::optional<std::string> read_failure(std::string_view payload) {
  std::string stream;
  codecs::append_block_record(stream, {1, 0, 0}, payload);
  HostileServer server([&](const ReceivedRequest& request) -> std::optional<HostileReply> {
    HostileReply reply;
    if (request.path_ends_with("/info")) {
      reply.content_type = "application/json";
      reply.body =
          R"({"Base":{"TypeName":"uint8blk","Name":"em"},"Extended":{"BlockSize":[32,32,32]}})";
      return reply;
    }
    if (request.path().find("/subvolblocks/") != std::string_view::npos) {
      reply.body = stream;
      return reply;
    }
    return std::nullopt;
  });
  ClientOptions options;
  options.max_attempts = 1;
  NodeService node(server.address(), "abcdef", "tester", "gray-jpeg", "", 0, options);
  try {
    node.get_gray3D("em", {32, 32, 64}, {0, 0, 0}, false, true);
  } catch (const VolumeTransferError& e) {
    return e.what();
  }
  return std::nullopt;
}

TEST_F(GrayJpeg, AStoredBlockThatIsNotAWholeJpegFailsNamingTheBlock) {
  // A real stored block, as the server sends it, then cut: libjpeg would pad the missing rows
  // with gray and only warn, so a warning must fail the block.
  const std::string stream =
      node->custom_request("em/subvolblocks/32_32_32/32_0_-32", "", ConnectionMethod::GET);
  ASSERT_GT(stream.size(), 16u + 200);
  const std::string jpeg = stream.substr(16);
  for (const std::string& payload : {jpeg.substr(0, jpeg.size() / 2), jpeg.substr(0, 10)}) {
    const auto message = read_failure(payload);
    ASSERT_TRUE(message) << "a JPEG of " << payload.size() << " bytes was read as if whole";
    EXPECT_NE(message->find("(1,0,0)"), std::string::npos) << *message;
    EXPECT_NE(message->find("corrupt JPEG"), std::string::npos) << *message;
  }
  EXPECT_FALSE(read_failure(jpeg)) << "the whole payload decodes: the failures above are the cuts";
}
