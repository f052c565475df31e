// The record payloads of labelmap/labelarray GET /blocks and /specificblocks (dvid-api.md 5.5):
// a stored block as its compression= asks for it.
#pragma once

#include <string>

#include "store/versioned_store.hpp"
#include "types/labelmap/label_block_store.hpp"

namespace dvidxfer::server {

enum class BlockCompression {
  lz4,           // raw LZ4 block of the expanded uint64 block
  gzip,          // gzip of the expanded block
  uncompressed,  // the expanded block
  blocks,        // the gzip'd DVID Block, as stored
};

// compression= of a block stream read, `fallback` when empty; throws DvidError with DVID's text.
BlockCompression parse_block_compression(const std::string& text, BlockCompression fallback);

// The payload of one stored block. For `blocks` that is the stored value itself: no work.
StoredValue block_payload(const LabelBlockStore& blocks, const StoredValue& stored,
                          BlockCompression compression, bool supervoxels);

}  // namespace dvidxfer::server
