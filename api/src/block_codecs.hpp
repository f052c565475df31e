// The engine's BlockCodecs for DVID's stored block payloads: gzip'd compressed label Blocks
// (labelmap and labelarray /blocks, dvid-api.md 5.3) and uint8blk subvolblocks as stored (a
// DVID-internal lz4 value, or the JPEG of a jpeg-compressed instance). The engine frames and
// places blocks; these know what a payload holds.
#pragma once

#include "dvidxfer/engine/volume_transfer.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::api {

// Decodes and encodes uint64 label blocks of `block` (z, y, x) as one gzip member each.
engine::BlockCodec gzip_label_block_codec(Shape3 block);

// Decodes (GET only) uint8 blocks of `block` (z, y, x) as a uint8blk stores them: DVID lz4 values,
// or grayscale JPEGs bx wide and by*bz high (Compression jpeg), told apart per payload.
engine::BlockCodec stored_gray_block_codec(Shape3 block);

}  // namespace dvidxfer::api
