// DVID's LZ4 framings (dvid-api.md 10.1): the raw LZ4 block used on the wire (no frame, no magic,
// no length prefix: the reader knows the uncompressed size) and DVID's internal value form
// (uint32 LE uncompressed length + raw block).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "dvidxfer/codecs/codec_error.hpp"

namespace dvidxfer::codecs {

// The output buffer size compress_lz4_block needs for `input_size` bytes; 0 when the input is
// too large for one LZ4 block (about 2 GiB).
std::size_t lz4_block_bound(std::size_t input_size);

// Compresses `input` into `output` as one raw LZ4 block; returns the bytes written. Fails when
// the input is too large for LZ4 or `output` is smaller than needed.
CodecResult<std::size_t> compress_lz4_block(std::string_view input, std::span<char> output);

// Decompresses a raw LZ4 block that must expand to exactly output.size() bytes (the caller knows
// the size: voxels x bytes per voxel). Malformed, short or long input gives a CodecError.
CodecResult<Unit> decompress_lz4_block(std::string_view block, std::span<char> output);

// Decompresses a raw LZ4 block whose expanded size the caller does not know (a custom request),
// growing the output up to `max_size` bytes. LZ4 cannot expand more than 255:1, so the search
// is bounded; a block that is malformed, or larger than max_size, gives a CodecError.
CodecResult<std::string> decompress_lz4_block_unknown_size(std::string_view block, std::size_t max_size);

// DVID's internal LZ4 value: uint32 LE uncompressed length, then the raw block.
CodecResult<std::string> encode_dvid_lz4_value(std::string_view data);

// Decodes a DVID internal LZ4 value, refusing a stated length above max_size so a hostile
// header cannot make it allocate. A stated length of 0 means the rest is stored uncompressed.
CodecResult<std::string> decode_dvid_lz4_value(std::string_view value, std::size_t max_size);

}  // namespace dvidxfer::codecs
