// DVID's compressed label Block (labelarray/labelmap; dvid-api.md 5.3): a block-level label list,
// then per 8x8x8 sub-block a list of indices into it and MSB-first packed voxel indices.
// Voxel arrays are ZYX with x fastest, one uint64 label per voxel.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// A z-y-x strided window of uint64 voxels in a caller's buffer that receives the part
// [begin, end) of one block, in block-local voxel coordinates (z, y, x). Lets a reader decode
// each block straight into the caller's volume, cropping edge blocks.
struct LabelBlockWindow {
  std::uint64_t* origin = nullptr;  // buffer element of block voxel (begin[0], begin[1], begin[2])
  std::size_t row_stride = 0;       // elements between consecutive y rows in the buffer
  std::size_t plane_stride = 0;     // elements between consecutive z planes in the buffer
  std::array<std::uint32_t, 3> begin{};  // z, y, x within the block, inclusive
  std::array<std::uint32_t, 3> end{};    // z, y, x within the block, exclusive
};

// The read-only counterpart, for encoding a block that lives inside a larger buffer. For
// encoding it must cover the whole block: begin {0, 0, 0}, end {nz, ny, nx}.
struct LabelBlockWindowConst {
  const std::uint64_t* origin = nullptr;
  std::size_t row_stride = 0;
  std::size_t plane_stride = 0;
  std::array<std::uint32_t, 3> begin{};
  std::array<std::uint32_t, 3> end{};
};

// Decodes `block` (shape `expected`) writing only the window's voxels; the checks and errors are
// those of decode_label_block, plus an empty or out-of-block window, except that packed values
// of voxels outside the window are not read. Voxels of the window may be partly written on error.
CodecResult<Unit> decode_label_block_into(std::string_view block, LabelBlockShape expected,
                                          const LabelBlockWindow& window);

// Encodes the whole block `source` covers, as encode_label_block does (same shape limits).
CodecResult<std::string> encode_label_block_from(const LabelBlockWindowConst& source,
                                                 LabelBlockShape shape);

// The block's label list as stored (duplicates and unreferenced entries included), without
// decoding voxels: for rewriting the list (label mapping) and for indexing.
CodecResult<std::vector<std::uint64_t>> label_block_labels(std::string_view block);

}  // namespace dvidxfer::codecs
