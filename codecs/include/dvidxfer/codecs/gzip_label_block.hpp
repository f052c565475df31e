// gzip'd DVID label Blocks, the payload of labelmap POST /blocks and GET /blocks?compression=blocks
// (dvid-api.md 5.3, 5.5): one call per block for the readers' and writers' hot path.
#pragma once

#include <string>
#include <string_view>

#include "dvidxfer/codecs/codec_error.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::codecs {

// Gunzips `gzip_member` (one or more concatenated members, as Go's reader accepts) into a
// thread-local scratch buffer, then decode_label_block_into. No allocation per block once the
// scratch has grown to the largest block seen. A member inflating past the largest Block the shape
// can need (one list entry per voxel) is refused, which bounds gzip bombs. Offsets in errors are
// into the gzip input for gzip errors (the failing member's start) and into the inflated Block
// otherwise; the caller adds the block coordinate.
CodecResult<Unit> decode_gzip_label_block_into(std::string_view gzip_member,
                                               LabelBlockShape expected,
                                               const LabelBlockWindow& window);

// encode_label_block_from, then one gzip member (header, CRC32, ISIZE) as Go's gzip.NewReader
// demands.
CodecResult<std::string> encode_gzip_label_block(const LabelBlockWindowConst& source,
                                                 LabelBlockShape shape);

}  // namespace dvidxfer::codecs
