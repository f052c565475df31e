// DVID's compressed label Block (labelarray/labelmap; dvid-api.md 5.3): a block-level label list,
// then per 8x8x8 sub-block a list of indices into it and MSB-first packed voxel indices.
// Voxel arrays are ZYX with x fastest, one uint64 label per voxel.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dvidxfer/codecs/codec_error.hpp"

namespace dvidxfer::codecs {

struct LabelBlockShape {
  std::uint32_t nx = 0;
  std::uint32_t ny = 0;
  std::uint32_t nz = 0;
  friend bool operator==(const LabelBlockShape&, const LabelBlockShape&) = default;
};

// The shape a compressed block's header states (8 x its sub-block counts); fails when the block
// is shorter than its 16-byte header or a count is 0.
CodecResult<LabelBlockShape> label_block_shape(std::string_view block);

// Decodes `block`, which must have shape `expected`, into `voxels` (nx*ny*nz entries). Every
// length, count and index is checked against the input, so a corrupt or hostile block gives a
// CodecError (with the byte offset) and never reads or writes out of bounds. On error `voxels`
// may be partly written.
CodecResult<Unit> decode_label_block(std::string_view block, LabelBlockShape expected,
                                     std::span<std::uint64_t> voxels);

// Encodes `voxels` of `shape` (each side a multiple of 8, from 16 to 1024, as DVID's encoder
// requires). Uniform blocks become the 24-byte solid form. The label list is in order of first
// appearance, so the output is deterministic (DVID's is not: compare decoded voxels, not bytes).
CodecResult<std::string> encode_label_block(std::span<const std::uint64_t> voxels,
                                            LabelBlockShape shape);

}  // namespace dvidxfer::codecs
