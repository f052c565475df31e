#include "dvidxfer/codecs/gzip_label_block.hpp"

#include <vector>

#include "dvidxfer/codecs/gzip.hpp"

namespace dvidxfer::codecs {

CodecResult<Unit> decode_gzip_label_block_into(std::string_view gzip_member,
                                               LabelBlockShape expected,
                                               const LabelBlockWindow& window) {
  thread_local std::vector<char> scratch;
  // A block's encoding never exceeds its expanded size plus the lists' overhead.
  const std::size_t voxels = std::size_t{expected.nx} * expected.ny * expected.nz;
  const std::size_t limit = 16 + 8 * voxels + 2 * (voxels / 512) + 4 * voxels + 2 * voxels;
  if (scratch.size() < limit) scratch.resize(limit);
  auto size = gzip_decompress_into(gzip_member, std::span<char>(scratch.data(), limit));
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
