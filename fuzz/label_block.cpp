// The compressed label block decoder (codecs/label_block): a hostile block gives an error, never
// a read or write outside the input and the exactly sized output (ASan watches both); an output
// of the wrong size is refused; a block that decodes re-encodes to a block decoding to the same
// voxels.
#include <cstdint>
#include <vector>

#include "dvidxfer/codecs/label_block.hpp"
#include "fuzz_check.hpp"

namespace codecs = dvidxfer::codecs;

namespace {

// 64x64x64 (DVID's labelmap block, as in the fixtures) is the largest output the harness decodes;
// the encode round trip, three times the work, is checked up to 32x32x32 to keep the pace up.
constexpr std::uint64_t kMaxVoxels = 64 * 64 * 64;
constexpr std::uint64_t kMaxRoundTripVoxels = 32 * 32 * 32;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view block(reinterpret_cast<const char*>(data), size);
  const auto shape = codecs::label_block_shape(block);
  if (!shape) {
    FUZZ_CHECK(shape.error().offset <= size);
    return 0;
  }
  FUZZ_CHECK(shape->nx % 8 == 0 && shape->ny % 8 == 0 && shape->nz % 8 == 0);
  std::uint64_t count = 0;
  if (__builtin_mul_overflow(std::uint64_t{shape->nx} * shape->ny, shape->nz, &count)) {
    // A header whose voxel count overflows 64 bits is refused whatever output is offered.
    std::vector<std::uint64_t> small(512);
    FUZZ_CHECK(!codecs::decode_label_block(block, *shape, small));
    return 0;
  }
  if (count > kMaxVoxels) return 0;

  // An output one voxel short is refused (and, being exactly sized, never overrun).
  std::vector<std::uint64_t> short_output(count - 1);
  FUZZ_CHECK(!codecs::decode_label_block(block, *shape, short_output));
  // So is a block of another shape than expected.
  const codecs::LabelBlockShape other{shape->nx + 8, shape->ny, shape->nz};
  FUZZ_CHECK(!codecs::decode_label_block(block, other, short_output));

  std::vector<std::uint64_t> voxels(count);
  const auto decoded = codecs::decode_label_block(block, *shape, voxels);
  if (!decoded) {
    FUZZ_CHECK(decoded.error().offset <= size);
    FUZZ_CHECK(!decoded.error().message.empty());
    return 0;
  }
  if (count > kMaxRoundTripVoxels) return 0;
  for (const std::uint32_t side : {shape->nx, shape->ny, shape->nz})
    if (side < 16) return 0;  // the encoder writes DVID's sizes only (16 to 1024)
  const auto encoded = codecs::encode_label_block(voxels, *shape);
  FUZZ_CHECK(encoded.ok());
  const auto reshape = codecs::label_block_shape(*encoded);
  FUZZ_CHECK(reshape && *reshape == *shape);
  std::vector<std::uint64_t> again(count);
  FUZZ_CHECK(codecs::decode_label_block(*encoded, *shape, again).ok());
  FUZZ_CHECK(again == voxels);
  return 0;
}
