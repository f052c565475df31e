// Where labelmap's supervoxel -> body mapping applies to what reads return.
#pragma once

#include "store/versioned_store.hpp"

namespace dvidxfer::server {

// A stored block (gzip'd DVID Block) as a read of supervoxels or of bodies sees it. The seam of
// the future supervoxel->body mapping: it will rewrite the block's label list
// (codecs::label_block_labels) and re-gzip it, never decode voxels, as DVID's transcoder does.
// There is no mapping yet, so body reads return the stored supervoxels.
inline StoredValue block_as_read(StoredValue stored, bool /*supervoxels*/) {
  return stored;
}

}  // namespace dvidxfer::server
