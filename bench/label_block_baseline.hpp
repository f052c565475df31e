// The pre-optimisation label Block codec, for label_block_codec_bench's side-by-side figures.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::bench::baseline {

using codecs::CodecResult;
using codecs::LabelBlockShape;

CodecResult<LabelBlockShape> label_block_shape(std::string_view block);
CodecResult<Unit> decode_label_block(std::string_view block, LabelBlockShape expected,
                                     std::span<std::uint64_t> voxels);
CodecResult<std::string> encode_label_block(std::span<const std::uint64_t> voxels,
                                            LabelBlockShape shape);

}  // namespace dvidxfer::bench::baseline
