// The labelmap block stream path (codecs/gzip_label_block): records as POST /blocks and
// GET /blocks?compression=blocks carry them, each payload gunzipped and decoded into a cropped
// window of an exactly sized buffer (ASan watches it). A payload either fails with a message or
// fills the window with what the plain gunzip + dense decode give; decoded blocks re-encode to a
// gzip member that decodes to the same voxels.
//
// Input: byte 0 = block shape (2 bits per side, x low: 8 << bits voxels), bytes 1..6 = window
// begin and end per axis (z, y, x) as fractions of the side, then the record stream.
#include <array>
#include <cstdint>
#include <vector>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "dvidxfer/codecs/label_block.hpp"
#include "fuzz_check.hpp"

namespace codecs = dvidxfer::codecs;

namespace {

// Blocks up to 64^3 (DVID's labelmap block); re-encoding is checked up to 32^3 to keep the pace.
constexpr std::size_t kMaxPayload = 1 << 20;
constexpr std::uint64_t kMaxRoundTripVoxels = 32 * 32 * 32;

// The most a Block with one list entry per voxel can take; the gzip'd path refuses more.
std::size_t largest_block(std::size_t voxels) {
  return 16 + 8 * voxels + 2 * (voxels / 512) + 4 * voxels + voxels * 9 / 8;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dvidxfer::fuzz::ByteReader reader(data, size);
  const std::uint8_t sides_byte = reader.byte();
  const codecs::LabelBlockShape shape{8u << (sides_byte & 3), 8u << ((sides_byte >> 2) & 3),
                                      8u << ((sides_byte >> 4) & 3)};
  const std::array<std::uint32_t, 3> sides{shape.nz, shape.ny, shape.nx};
  std::array<std::uint32_t, 3> begin{}, end{};
  for (int d = 0; d < 3; ++d) {
    begin[d] = reader.byte() % sides[d];
    end[d] = begin[d] + 1 + reader.byte() % (sides[d] - begin[d]);
  }
  const std::size_t width = end[2] - begin[2], height = end[1] - begin[1];
  std::vector<std::uint64_t> window_voxels(width * height * (end[0] - begin[0]));
  const codecs::LabelBlockWindow window{window_voxels.data(), width, width * height, begin, end};
  const std::size_t voxel_count = std::size_t{shape.nx} * shape.ny * shape.nz;

  codecs::BlockRecordParser parser(kMaxPayload);
  const auto parsed = parser.feed(
      reader.rest(), [&](const codecs::BlockRecord& record) -> codecs::CodecResult<dvidxfer::Unit> {
        const auto decoded = codecs::decode_gzip_label_block_into(record.payload, shape, window);
        const auto inflated = codecs::gzip_decompress(record.payload, 16 << 20);
        std::vector<std::uint64_t> dense(voxel_count);
        const bool dense_ok =
            inflated.ok() && codecs::decode_label_block(*inflated, shape, dense).ok();
        if (!decoded) {
          FUZZ_CHECK(!decoded.error().message.empty());
          // Only a stream the two-step path also rejects, or one inflating past any valid Block.
          FUZZ_CHECK(!dense_ok || inflated->size() > largest_block(voxel_count));
          return dvidxfer::Unit{};
        }
        FUZZ_CHECK(dense_ok);
        for (std::uint32_t z = begin[0]; z < end[0]; ++z) {
          for (std::uint32_t y = begin[1]; y < end[1]; ++y) {
            for (std::uint32_t x = begin[2]; x < end[2]; ++x) {
              FUZZ_CHECK(
                  window_voxels[((z - begin[0]) * height + y - begin[1]) * width + x - begin[2]] ==
                  dense[(std::size_t{z} * shape.ny + y) * shape.nx + x]);
            }
          }
        }
        if (voxel_count > kMaxRoundTripVoxels || shape.nx < 16 || shape.ny < 16 || shape.nz < 16) {
          return dvidxfer::Unit{};
        }
        const codecs::LabelBlockWindowConst all{dense.data(),
                                                shape.nx,
                                                std::size_t{shape.nx} * shape.ny,
                                                {0, 0, 0},
                                                {shape.nz, shape.ny, shape.nx}};
        const auto member = codecs::encode_gzip_label_block(all, shape);
        FUZZ_CHECK(member.ok());
        std::vector<std::uint64_t> again(voxel_count);
        const codecs::LabelBlockWindow again_window{again.data(),
                                                    shape.nx,
                                                    std::size_t{shape.nx} * shape.ny,
                                                    {0, 0, 0},
                                                    {shape.nz, shape.ny, shape.nx}};
        FUZZ_CHECK(codecs::decode_gzip_label_block_into(*member, shape, again_window).ok());
        FUZZ_CHECK(again == dense);
        return dvidxfer::Unit{};
      });
  if (!parsed) FUZZ_CHECK(!parsed.error().message.empty());
  return 0;
}
