// The engine's BlockCodecs for DVID's stored block payloads: gzip'd compressed label Blocks
// (labelmap and labelarray /blocks, dvid-api.md 5.3) and DVID-internal lz4 values (uint8blk
// subvolblocks). The engine frames and places blocks; these know what a payload holds.
#pragma once

#include "dvidxfer/engine/volume_transfer.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::api {

// Decodes and encodes uint64 label blocks of `block` (z, y, x) as one gzip member each.
engine::BlockCodec gzip_label_block_codec(Shape3 block);

// Decodes (GET only) blocks of `block` voxels of `voxel_bytes` stored as DVID lz4 values.
engine::BlockCodec dvid_lz4_block_codec(Shape3 block, std::size_t voxel_bytes);

}  // namespace dvidxfer::api
