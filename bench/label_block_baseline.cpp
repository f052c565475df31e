// The label Block codec as it was before the fast rewrite (codecs/src/label_block.cpp at
// b3937d5), kept only as label_block_codec_bench's baseline so both run in one binary.
#include "label_block_baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <unordered_map>
#include <vector>

namespace dvidxfer::bench::baseline {
namespace {

using codecs::CodecError;

constexpr std::size_t kHeaderSize = 16;
constexpr std::uint32_t kSubBlockSide = 8;
constexpr std::size_t kSubBlockVoxels = 512;

template <class T>
T read_le(std::string_view bytes, std::size_t offset) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

template <class T>
void append_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

// Bits per packed voxel index for a sub-block listing `count` labels: enough for count - 1.
unsigned index_bits(std::size_t count) {
  return count <= 1 ? 0 : static_cast<unsigned>(std::bit_width(count - 1));
}

Failure<CodecError> error_at(std::size_t offset, std::string message) {
  return fail(CodecError{std::move(message), offset});
}

// Where sub-block (sx, sy, sz) of a block with shape `shape` puts its voxels in the ZYX array.
struct SubBlockLayout {
  std::size_t row_stride;    // nx
  std::size_t plane_stride;  // nx * ny
  std::size_t origin(std::uint32_t sx, std::uint32_t sy, std::uint32_t sz) const {
    return sz * kSubBlockSide * plane_stride + sy * kSubBlockSide * row_stride + sx * kSubBlockSide;
  }
  std::size_t voxel(std::size_t origin, std::size_t k) const {  // k = z*64 + y*8 + x
    return origin + (k >> 6) * plane_stride + ((k >> 3) & 7) * row_stride + (k & 7);
  }
};

void fill_sub_block(std::span<std::uint64_t> voxels, const SubBlockLayout& layout,
                    std::size_t origin, std::uint64_t label) {
  for (std::size_t z = 0; z < kSubBlockSide; ++z) {
    for (std::size_t y = 0; y < kSubBlockSide; ++y) {
      std::fill_n(voxels.begin() + origin + z * layout.plane_stride + y * layout.row_stride,
                  kSubBlockSide, label);
    }
  }
}

// Packs b-bit values most-significant-bit first.
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void put(std::uint32_t value, unsigned bits) {
    pending_ = (pending_ << bits) | value;
    pending_bits_ += bits;
    while (pending_bits_ >= 8) {
      pending_bits_ -= 8;
      out_.push_back(static_cast<char>((pending_ >> pending_bits_) & 0xFF));
    }
    pending_ &= (std::uint32_t{1} << pending_bits_) - 1;
  }

 private:
  std::string& out_;
  std::uint32_t pending_ = 0;
  unsigned pending_bits_ = 0;
};

}  // namespace

CodecResult<LabelBlockShape> label_block_shape(std::string_view block) {
  if (block.size() < kHeaderSize) {
    return error_at(block.size(), fmt::format("label block of {} bytes is shorter than its "
                                              "16-byte header",
                                              block.size()));
  }
  const auto gx = read_le<std::uint32_t>(block, 0);
  const auto gy = read_le<std::uint32_t>(block, 4);
  const auto gz = read_le<std::uint32_t>(block, 8);
  constexpr std::uint32_t kMaxSubBlocks = UINT32_MAX / kSubBlockSide;
  if (gx == 0 || gy == 0 || gz == 0 || gx > kMaxSubBlocks || gy > kMaxSubBlocks ||
      gz > kMaxSubBlocks) {
    return error_at(0, fmt::format("label block header states {}x{}x{} sub-blocks", gx, gy, gz));
  }
  return LabelBlockShape{gx * kSubBlockSide, gy * kSubBlockSide, gz * kSubBlockSide};
}

CodecResult<Unit> decode_label_block(std::string_view block, LabelBlockShape expected,
                                     std::span<std::uint64_t> voxels) {
  auto shape = label_block_shape(block);
  if (!shape) return fail(std::move(shape).error());
  if (*shape != expected) {
    return error_at(0, fmt::format("label block is {}x{}x{} voxels, expected {}x{}x{}", shape->nx,
                                   shape->ny, shape->nz, expected.nx, expected.ny, expected.nz));
  }
  const std::uint64_t gx = shape->nx / kSubBlockSide;
  const std::uint64_t gy = shape->ny / kSubBlockSide;
  const std::uint64_t gz = shape->nz / kSubBlockSide;
  std::uint64_t voxel_count = 0;
  if (__builtin_mul_overflow(std::uint64_t{shape->nx} * shape->ny, shape->nz, &voxel_count) ||
      voxel_count != voxels.size()) {
    return error_at(0, fmt::format("output holds {} voxels, the {}x{}x{} block needs {}",
                                   voxels.size(), shape->nx, shape->ny, shape->nz,
                                   std::uint64_t{shape->nx} * shape->ny * shape->nz));
  }

  const std::uint64_t label_count = read_le<std::uint32_t>(block, 12);
  if (label_count == 0) return error_at(12, "label block lists no labels");
  const std::uint64_t labels_end = kHeaderSize + 8 * label_count;
  if (labels_end > block.size()) {
    return error_at(block.size(), fmt::format("label block of {} bytes cannot hold its {} labels",
                                              block.size(), label_count));
  }
  std::vector<std::uint64_t> labels(label_count);
  for (std::size_t i = 0; i < label_count; ++i) {
    labels[i] = read_le<std::uint64_t>(block, kHeaderSize + 8 * i);
  }
  if (label_count == 1) {
    std::fill(voxels.begin(), voxels.end(), labels[0]);
    return Unit{};
  }

  // Sub-block label counts, then their index lists, then the packed values.
  const std::uint64_t sub_block_count = gx * gy * gz;
  const std::uint64_t counts_end = labels_end + 2 * sub_block_count;
  if (counts_end > block.size()) {
    return error_at(block.size(), fmt::format("label block ends inside its {} sub-block label "
                                              "counts",
                                              sub_block_count));
  }
  std::uint64_t index_count = 0;
  for (std::uint64_t i = 0; i < sub_block_count; ++i) {
    const std::size_t offset = labels_end + 2 * i;
    const auto count = read_le<std::uint16_t>(block, offset);
    if (count > kSubBlockVoxels) {
      return error_at(
          offset, fmt::format("sub-block {} lists {} labels, more than its 512 voxels", i, count));
    }
    index_count += count;
  }
  const std::uint64_t indices_end = counts_end + 4 * index_count;
  if (indices_end > block.size()) {
    return error_at(block.size(), fmt::format("label block ends inside its {} sub-block label "
                                              "indices",
                                              index_count));
  }

  const SubBlockLayout layout{shape->nx, std::size_t{shape->nx} * shape->ny};
  std::array<std::uint64_t, kSubBlockVoxels> local_labels;
  std::size_t index_offset = counts_end;
  std::size_t values_offset = indices_end;
  std::uint64_t sub_block = 0;
  for (std::uint32_t sz = 0; sz < gz; ++sz) {
    for (std::uint32_t sy = 0; sy < gy; ++sy) {
      for (std::uint32_t sx = 0; sx < gx; ++sx, ++sub_block) {
        const std::size_t origin = layout.origin(sx, sy, sz);
        const auto count = read_le<std::uint16_t>(block, labels_end + 2 * sub_block);
        for (std::size_t j = 0; j < count; ++j, index_offset += 4) {
          const auto index = read_le<std::uint32_t>(block, index_offset);
          if (index >= label_count) {
            return error_at(index_offset,
                            fmt::format("sub-block {} refers to label {} of a {}-entry list",
                                        sub_block, index, label_count));
          }
          local_labels[j] = labels[index];
        }
        if (count <= 1) {
          fill_sub_block(voxels, layout, origin, count == 0 ? 0 : local_labels[0]);
          continue;
        }
        const unsigned bits = index_bits(count);
        const std::size_t packed_size = kSubBlockVoxels * bits / 8;
        if (block.size() - values_offset < packed_size) {
          return error_at(block.size(), fmt::format("label block ends inside the packed voxels "
                                                    "of sub-block {}",
                                                    sub_block));
        }
        const auto* packed = reinterpret_cast<const unsigned char*>(block.data() + values_offset);
        const std::uint32_t mask = (std::uint32_t{1} << bits) - 1;
        for (std::size_t k = 0; k < kSubBlockVoxels; ++k) {
          const std::size_t bit = k * bits;
          const std::size_t byte = bit >> 3;
          const unsigned shift = bit & 7;
          // A value spills into the next byte only when it does not fit in this one; that byte
          // is then still inside this sub-block's packed_size bytes.
          const std::uint32_t window = shift + bits <= 8
                                           ? std::uint32_t{packed[byte]} << 8
                                           : (std::uint32_t{packed[byte]} << 8) | packed[byte + 1];
          const std::uint32_t value = (window >> (16 - shift - bits)) & mask;
          if (value >= count) {
            return error_at(values_offset + byte,
                            fmt::format("voxel {} of sub-block {} uses index {} of {} labels", k,
                                        sub_block, value, count));
          }
          voxels[layout.voxel(origin, k)] = local_labels[value];
        }
        values_offset += packed_size;
      }
    }
  }
  return Unit{};
}

CodecResult<std::string> encode_label_block(std::span<const std::uint64_t> voxels,
                                            LabelBlockShape shape) {
  for (const std::uint32_t side : {shape.nx, shape.ny, shape.nz}) {
    if (side % kSubBlockSide != 0 || side < 16 || side > 1024) {
      return error_at(0, fmt::format("cannot encode a {}x{}x{} label block: each side must be a "
                                     "multiple of 8 from 16 to 1024",
                                     shape.nx, shape.ny, shape.nz));
    }
  }
  const std::size_t voxel_count = std::size_t{shape.nx} * shape.ny * shape.nz;
  if (voxels.size() != voxel_count) {
    return error_at(0, fmt::format("{} voxels given for a {}x{}x{} block", voxels.size(), shape.nx,
                                   shape.ny, shape.nz));
  }
  const std::uint32_t gx = shape.nx / kSubBlockSide;
  const std::uint32_t gy = shape.ny / kSubBlockSide;
  const std::uint32_t gz = shape.nz / kSubBlockSide;

  std::string out;
  append_le(out, gx);
  append_le(out, gy);
  append_le(out, gz);
  const bool solid = std::all_of(voxels.begin(), voxels.end(),
                                 [first = voxels[0]](std::uint64_t v) { return v == first; });
  if (solid) {
    append_le(out, std::uint32_t{1});
    append_le(out, voxels[0]);
    return out;
  }

  std::vector<std::uint64_t> labels;
  std::unordered_map<std::uint64_t, std::uint32_t> label_index;
  auto index_of = [&](std::uint64_t label) {
    auto [it, inserted] = label_index.try_emplace(label, static_cast<std::uint32_t>(labels.size()));
    if (inserted) labels.push_back(label);
    return it->second;
  };
  std::vector<std::uint16_t> counts;
  counts.reserve(std::size_t{gx} * gy * gz);
  std::vector<std::uint32_t> indices;
  std::string packed;
  BitWriter writer(packed);

  const SubBlockLayout layout{shape.nx, std::size_t{shape.nx} * shape.ny};
  std::array<std::uint64_t, kSubBlockVoxels> sub_voxels;
  std::array<std::uint64_t, kSubBlockVoxels> local_labels;
  for (std::uint32_t sz = 0; sz < gz; ++sz) {
    for (std::uint32_t sy = 0; sy < gy; ++sy) {
      for (std::uint32_t sx = 0; sx < gx; ++sx) {
        const std::size_t origin = layout.origin(sx, sy, sz);
        for (std::size_t k = 0; k < kSubBlockVoxels; ++k) {
          sub_voxels[k] = voxels[layout.voxel(origin, k)];
        }
        // Uniform sub-blocks (most of a segmentation) need no sort and no packed bits.
        if (std::all_of(sub_voxels.begin(), sub_voxels.end(),
                        [first = sub_voxels[0]](std::uint64_t v) { return v == first; })) {
          counts.push_back(1);
          indices.push_back(index_of(sub_voxels[0]));
          continue;
        }
        // Sorted distinct labels: each voxel's packed value is its rank in this list.
        local_labels = sub_voxels;
        std::sort(local_labels.begin(), local_labels.end());
        const auto local_end = std::unique(local_labels.begin(), local_labels.end());
        const std::size_t local_count = local_end - local_labels.begin();
        counts.push_back(static_cast<std::uint16_t>(local_count));
        for (auto it = local_labels.begin(); it != local_end; ++it) {
          indices.push_back(index_of(*it));
        }
        const unsigned bits = index_bits(local_count);
        std::uint64_t previous_label = sub_voxels[0];
        std::uint32_t previous_rank = static_cast<std::uint32_t>(
            std::lower_bound(local_labels.begin(), local_end, previous_label) -
            local_labels.begin());
        for (const std::uint64_t label : sub_voxels) {
          if (label != previous_label) {
            previous_label = label;
            previous_rank = static_cast<std::uint32_t>(
                std::lower_bound(local_labels.begin(), local_end, label) - local_labels.begin());
          }
          writer.put(previous_rank, bits);
        }
      }
    }
  }

  append_le(out, static_cast<std::uint32_t>(labels.size()));
  out.reserve(out.size() + 8 * labels.size() + 2 * counts.size() + 4 * indices.size() +
              packed.size());
  for (const std::uint64_t label : labels) append_le(out, label);
  for (const std::uint16_t count : counts) append_le(out, count);
  for (const std::uint32_t index : indices) append_le(out, index);
  out.append(packed);
  return out;
}

}  // namespace dvidxfer::bench::baseline
