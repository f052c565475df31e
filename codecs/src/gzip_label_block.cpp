#include "dvidxfer/codecs/gzip_label_block.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "dvidxfer/codecs/gzip.hpp"

namespace dvidxfer::codecs {
namespace {

// The largest Block a shape can need with at most one list entry per voxel: labels, counts,
// indices and 9-bit values. Larger inflated data is refused, which bounds a gzip bomb.
std::size_t largest_block(LabelBlockShape shape) {
  const std::size_t voxels = std::size_t{shape.nx} * shape.ny * shape.nz;
  return 16 + 8 * voxels + 2 * (voxels / 512) + 4 * voxels + voxels * 9 / 8;
}

}  // namespace

CodecResult<Unit> decode_gzip_label_block_into(std::string_view gzip_member,
                                               LabelBlockShape expected,
                                               const LabelBlockWindow& window) {
  thread_local std::vector<char> scratch;
  const std::size_t limit = largest_block(expected);
  // The trailer's ISIZE is the size of a single member: grow the scratch to it once, not to the
  // limit (megabytes per thread for 64^3 blocks that inflate to kilobytes).
  std::uint32_t trailer = 0;
  if (gzip_member.size() >= 4)
    std::memcpy(&trailer, gzip_member.data() + gzip_member.size() - 4, 4);
  if (scratch.size() < std::min<std::size_t>(trailer, limit))
    scratch.resize(std::min<std::size_t>(trailer, limit));
  auto size = gzip_decompress_into(
      gzip_member, std::span<char>(scratch.data(), std::min(scratch.size(), limit)));
  if (!size && scratch.size() < limit) {
    // Several members, or a wrong trailer: retry once with all a valid Block may take.
    scratch.resize(limit);
    size = gzip_decompress_into(gzip_member, std::span<char>(scratch.data(), limit));
  }
  if (!size) return fail(std::move(size).error());
  return decode_label_block_into(std::string_view(scratch.data(), *size), expected, window);
}

CodecResult<std::string> encode_gzip_label_block(const LabelBlockWindowConst& source,
                                                 LabelBlockShape shape) {
  auto block = encode_label_block_from(source, shape);
  if (!block) return block;
  return gzip_compress(*block);
}

}  // namespace dvidxfer::codecs
