#include "types/labelmap/block_payloads.hpp"

#include <stdexcept>
#include <vector>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "types/labelmap/label_mapping.hpp"

namespace dvidxfer::server {

BlockCompression parse_block_compression(const std::string& text, BlockCompression fallback) {
  if (text.empty()) return fallback;
  if (text == "lz4") return BlockCompression::lz4;
  if (text == "gzip") return BlockCompression::gzip;
  if (text == "uncompressed") return BlockCompression::uncompressed;
  if (text == "blocks") return BlockCompression::blocks;
  throw DvidError(R"(compression must be "lz4" (default), "gzip", "blocks" or "uncompressed")");
}

StoredValue block_payload(const LabelBlockStore& blocks, const StoredValue& stored,
                          BlockCompression compression, bool supervoxels) {
  const StoredValue block = block_as_read(stored, supervoxels);
  if (compression == BlockCompression::blocks) return block;
  thread_local std::vector<std::uint64_t> voxels;
  voxels.resize(blocks.block_voxels());
  blocks.decode(block, voxels);
  const std::string_view bytes(reinterpret_cast<const char*>(voxels.data()),
                               voxels.size() * sizeof(std::uint64_t));  // little-endian host
  if (compression == BlockCompression::uncompressed)
    return std::make_shared<const std::string>(bytes);
  if (compression == BlockCompression::gzip) {
    auto gzipped = codecs::gzip_compress(bytes);
    if (!gzipped) throw std::runtime_error(gzipped.error().message);
    return std::make_shared<const std::string>(std::move(*gzipped));
  }
  std::string out(codecs::lz4_block_bound(bytes.size()), '\0');
  auto written = codecs::compress_lz4_block(bytes, out);
  if (!written) throw std::runtime_error(written.error().message);
  out.resize(*written);
  return std::make_shared<const std::string>(std::move(out));
}

}  // namespace dvidxfer::server
