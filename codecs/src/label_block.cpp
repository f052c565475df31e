#include "dvidxfer/codecs/label_block.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <vector>

namespace dvidxfer::codecs {
namespace {

// Fields are read and written with memcpy in host order: the format is little-endian.
static_assert(std::endian::native == std::endian::little,
              "label blocks assume a little-endian host");

constexpr std::size_t kHeaderSize = 16;
constexpr std::uint32_t kSide = 8;
constexpr std::size_t kSubBlockVoxels = 512;
constexpr std::size_t kRows = 64;  // rows of 8 voxels in a sub-block; each packs to b bytes

template <class T>
T load(const char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

template <class T>
char* store(char* out, T value) {
  std::memcpy(out, &value, sizeof value);
  return out + sizeof value;
}

// Bits per packed voxel index of a sub-block listing `count` labels: enough for count - 1.
constexpr std::array<std::uint8_t, kSubBlockVoxels + 1> kIndexBits = [] {
  std::array<std::uint8_t, kSubBlockVoxels + 1> bits{};
  for (std::size_t count = 2; count <= kSubBlockVoxels; ++count) {
    bits[count] = static_cast<std::uint8_t>(std::bit_width(count - 1));
  }
  return bits;
}();

Failure<CodecError> error_at(std::size_t offset, std::string message) {
  return fail(CodecError{std::move(message), offset});
}

using Zyx = std::array<std::uint32_t, 3>;

bool window_fits(const Zyx& begin, const Zyx& end, LabelBlockShape shape) {
  const Zyx sides{shape.nz, shape.ny, shape.nx};
  for (int d = 0; d < 3; ++d) {
    if (begin[d] >= end[d] || end[d] > sides[d]) return false;
  }
  return true;
}

Failure<CodecError> window_error(const Zyx& begin, const Zyx& end, LabelBlockShape shape) {
  return error_at(0, fmt::format("window [{},{},{})-[{},{},{}) (z,y,x) is empty or outside the "
                                 "{}x{}x{} block",
                                 begin[0], begin[1], begin[2], end[0], end[1], end[2], shape.nx,
                                 shape.ny, shape.nz));
}

// The part of one sub-block inside the window, in sub-block voxel coordinates, and the buffer
// element of its first voxel.
struct SubBlockRows {
  std::uint64_t* first;
  std::size_t row_stride;
  std::size_t plane_stride;
  std::uint32_t z0, z1, y0, y1, x0, x1;
};

template <bool kFullRows>
void fill_rows(const SubBlockRows& r, std::uint64_t label) {
  const std::uint32_t width = kFullRows ? kSide : r.x1 - r.x0;
  for (std::uint32_t z = r.z0; z < r.z1; ++z) {
    std::uint64_t* row = r.first + (z - r.z0) * r.plane_stride;
    for (std::uint32_t y = r.y0; y < r.y1; ++y, row += r.row_stride) {
      std::fill_n(row, width, label);
    }
  }
}

// The 8 b-bit values of one packed row (b bytes, MSB first). Reads 8 bytes from `p` for b < 8, so
// the caller guarantees 8 readable bytes there.
template <unsigned B>
void unpack_row(const unsigned char* p, std::uint32_t (&v)[kSide]) {
  const std::uint64_t w = __builtin_bswap64(load<std::uint64_t>(reinterpret_cast<const char*>(p)));
  constexpr std::uint32_t mask = (1u << B) - 1;
  if constexpr (B <= 8) {
    for (unsigned i = 0; i < kSide; ++i)
      v[i] = static_cast<std::uint32_t>(w >> (64 - B * (i + 1))) & mask;
  } else {
    for (unsigned i = 0; i < kSide - 1; ++i)
      v[i] = static_cast<std::uint32_t>(w >> (55 - 9 * i)) & mask;
    v[kSide - 1] = static_cast<std::uint32_t>((w & 1) << 8) | p[8];
  }
}

// Writes the window's part of a b-bit sub-block. With kCheck (the sub-block lists fewer than 2^b
// labels) it returns the largest packed value read, which the caller checks against the count.
template <unsigned B, bool kFullRows, bool kCheck>
std::uint32_t decode_rows(const unsigned char* packed, const std::uint64_t* local,
                          const SubBlockRows& r) {
  std::uint32_t largest = 0;
  const unsigned x0 = kFullRows ? 0 : r.x0;
  const unsigned x1 = kFullRows ? kSide : r.x1;
  for (std::uint32_t z = r.z0; z < r.z1; ++z) {
    std::uint64_t* row = r.first + (z - r.z0) * r.plane_stride;
    for (std::uint32_t y = r.y0; y < r.y1; ++y, row += r.row_stride) {
      std::uint32_t v[kSide];
      unpack_row<B>(packed + (z * kSide + y) * B, v);
      for (unsigned x = x0; x < x1; ++x) {
        if constexpr (kCheck) largest = std::max(largest, v[x]);
        row[x - x0] = local[v[x]];
      }
    }
  }
  return largest;
}

template <bool kFullRows, bool kCheck>
std::uint32_t decode_sub_block(unsigned bits, const unsigned char* packed,
                               const std::uint64_t* local, const SubBlockRows& r) {
  switch (bits) {
    case 1:
      return decode_rows<1, kFullRows, kCheck>(packed, local, r);
    case 2:
      return decode_rows<2, kFullRows, kCheck>(packed, local, r);
    case 3:
      return decode_rows<3, kFullRows, kCheck>(packed, local, r);
    case 4:
      return decode_rows<4, kFullRows, kCheck>(packed, local, r);
    case 5:
      return decode_rows<5, kFullRows, kCheck>(packed, local, r);
    case 6:
      return decode_rows<6, kFullRows, kCheck>(packed, local, r);
    case 7:
      return decode_rows<7, kFullRows, kCheck>(packed, local, r);
    case 8:
      return decode_rows<8, kFullRows, kCheck>(packed, local, r);
    default:
      return decode_rows<9, kFullRows, kCheck>(packed, local, r);
  }
}

// [lo, hi) of sub-block s along one axis that the window [begin, end) covers; empty when lo >= hi.
std::pair<std::uint32_t, std::uint32_t> axis_overlap(std::uint32_t s, std::uint32_t begin,
                                                     std::uint32_t end) {
  const std::uint32_t start = s * kSide;
  if (end <= start) return {0, 0};
  return {std::max(begin, start) - start, std::min(end - start, kSide)};
}

constexpr std::uint64_t kHashMultiplier = 0x9E3779B97F4A7C15;  // Fibonacci hashing

// Block-level label -> index in the block's label list, kept per thread across calls. Slots of
// earlier calls are told apart by a generation stamp, so starting a block costs nothing.
class BlockLabelIndex {
 public:
  void start() {
    labels_.clear();
    if (++generation_ == 0) {
      for (Slot& slot : slots_) slot.generation = 0;
      generation_ = 1;
    }
    last_label_ = 0;
    last_index_ = kNone;
  }

  std::uint32_t index_of(std::uint64_t label) {
    if (label == last_label_ && last_index_ != kNone) return last_index_;
    if (2 * (labels_.size() + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = (label * kHashMultiplier) >> shift_;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.generation != generation_) {
        slot = {label, static_cast<std::uint32_t>(labels_.size()), generation_};
        labels_.push_back(label);
        break;
      }
      if (slot.label == label) {
        last_index_ = slot.index;
        last_label_ = label;
        return slot.index;
      }
    }
    last_label_ = label;
    last_index_ = static_cast<std::uint32_t>(labels_.size() - 1);
    return last_index_;
  }

  const std::vector<std::uint64_t>& labels() const { return labels_; }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  struct Slot {
    std::uint64_t label;
    std::uint32_t index;
    std::uint32_t generation;
  };

  // Doubles the table and re-inserts this call's labels, which labels_ lists in index order.
  void grow() {
    const std::size_t size = std::max<std::size_t>(1024, 2 * slots_.size());
    slots_.assign(size, Slot{0, 0, 0});
    generation_ = 1;
    shift_ = 64 - std::countr_zero(size);
    for (std::size_t n = 0; n < labels_.size(); ++n) {
      for (std::size_t i = (labels_[n] * kHashMultiplier) >> shift_;; i = (i + 1) & (size - 1)) {
        if (slots_[i].generation != generation_) {
          slots_[i] = {labels_[n], static_cast<std::uint32_t>(n), generation_};
          break;
        }
      }
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::uint64_t> labels_;
  std::uint32_t generation_ = 0;
  int shift_ = 64;
  std::uint64_t last_label_ = 0;
  std::uint32_t last_index_ = kNone;
};

// The distinct labels of one sub-block, in order of first appearance, through a 1024-slot table
// (at least twice the 512 possible labels) reset by bumping a generation stamp.
class SubBlockLabels {
 public:
  // Sets values[k] to the local index of voxels[k]; returns the number of distinct labels.
  std::uint32_t index(const std::uint64_t* voxels, std::uint16_t* values) {
    if (++generation_ == 0) {
      generations_.fill(0);
      generation_ = 1;
    }
    count_ = 0;
    std::uint64_t previous = voxels[0];
    std::uint16_t previous_index = find_or_add(previous);
    for (std::size_t k = 0; k < kSubBlockVoxels; ++k) {
      // Labels come in runs along x: most voxels repeat their neighbour's label.
      if (voxels[k] != previous) {
        previous = voxels[k];
        previous_index = find_or_add(previous);
      }
      values[k] = previous_index;
    }
    return count_;
  }

  std::uint64_t label(std::uint32_t local) const { return distinct_[local]; }

 private:
  static constexpr std::size_t kSlots = 1024;

  std::uint16_t find_or_add(std::uint64_t label) {
    for (std::size_t i = (label * kHashMultiplier) >> 54;; i = (i + 1) & (kSlots - 1)) {
      if (generations_[i] != generation_) {
        generations_[i] = generation_;
        keys_[i] = label;
        locals_[i] = static_cast<std::uint16_t>(count_);
        distinct_[count_] = label;
        return static_cast<std::uint16_t>(count_++);
      }
      if (keys_[i] == label) return locals_[i];
    }
  }

  std::array<std::uint64_t, kSlots> keys_{};
  std::array<std::uint16_t, kSlots> locals_{};
  std::array<std::uint16_t, kSlots> generations_{};
  std::array<std::uint64_t, kSubBlockVoxels> distinct_{};
  std::uint16_t generation_ = 0;
  std::uint32_t count_ = 0;
};

// Packs one row of 8 b-bit values MSB first into b bytes at `out`; writes 8 (b < 8) or 9 bytes,
// so the buffer has slack past the last row.
template <unsigned B>
void pack_row(const std::uint16_t* v, char* out) {
  std::uint64_t w = 0;
  if constexpr (B <= 8) {
    for (unsigned i = 0; i < kSide; ++i) w |= std::uint64_t{v[i]} << (64 - B * (i + 1));
    store(out, __builtin_bswap64(w));
  } else {
    for (unsigned i = 0; i < kSide - 1; ++i) w |= std::uint64_t{v[i]} << (55 - 9 * i);
    w |= v[kSide - 1] >> 8;
    store(out, __builtin_bswap64(w));
    out[8] = static_cast<char>(v[kSide - 1] & 0xFF);
  }
}

template <unsigned B>
char* pack_sub_block(const std::uint16_t* values, char* out) {
  for (std::size_t row = 0; row < kRows; ++row) pack_row<B>(values + row * kSide, out + row * B);
  return out + kRows * B;
}

using SubBlockPacker = char* (*)(const std::uint16_t*, char*);
constexpr std::array<SubBlockPacker, 10> kPackers = {
    nullptr,           pack_sub_block<1>, pack_sub_block<2>, pack_sub_block<3>, pack_sub_block<4>,
    pack_sub_block<5>, pack_sub_block<6>, pack_sub_block<7>, pack_sub_block<8>, pack_sub_block<9>};

// What one thread reuses from block to block, so steady-state encoding allocates only its result.
struct EncoderScratch {
  BlockLabelIndex block_labels;
  SubBlockLabels sub_block_labels;
  std::vector<std::uint16_t> counts;
  std::vector<std::uint32_t> indices;
  std::vector<char> packed;
};

bool is_uniform(const std::uint64_t* voxels, std::size_t n) {
  std::uint64_t differ = 0;
  for (std::size_t i = 0; i < n; ++i) differ |= voxels[i] ^ voxels[0];
  return differ == 0;
}

}  // namespace

CodecResult<LabelBlockShape> label_block_shape(std::string_view block) {
  if (block.size() < kHeaderSize) {
    return error_at(block.size(), fmt::format("label block of {} bytes is shorter than its "
                                              "16-byte header",
                                              block.size()));
  }
  const auto gx = load<std::uint32_t>(block.data());
  const auto gy = load<std::uint32_t>(block.data() + 4);
  const auto gz = load<std::uint32_t>(block.data() + 8);
  constexpr std::uint32_t kMaxSubBlocks = UINT32_MAX / kSide;
  if (gx == 0 || gy == 0 || gz == 0 || gx > kMaxSubBlocks || gy > kMaxSubBlocks ||
      gz > kMaxSubBlocks) {
    return error_at(0, fmt::format("label block header states {}x{}x{} sub-blocks", gx, gy, gz));
  }
  return LabelBlockShape{gx * kSide, gy * kSide, gz * kSide};
}

CodecResult<std::vector<std::uint64_t>> label_block_labels(std::string_view block) {
  auto shape = label_block_shape(block);
  if (!shape) return fail(std::move(shape).error());
  const std::uint64_t label_count = load<std::uint32_t>(block.data() + 12);
  if (label_count == 0) return error_at(12, "label block lists no labels");
  if (kHeaderSize + 8 * label_count > block.size()) {
    return error_at(block.size(), fmt::format("label block of {} bytes cannot hold its {} labels",
                                              block.size(), label_count));
  }
  std::vector<std::uint64_t> labels(label_count);
  std::memcpy(labels.data(), block.data() + kHeaderSize, 8 * label_count);
  return labels;
}

CodecResult<Unit> decode_label_block_into(std::string_view block, LabelBlockShape expected,
                                          const LabelBlockWindow& window) {
  auto shape = label_block_shape(block);
  if (!shape) return fail(std::move(shape).error());
  if (*shape != expected) {
    return error_at(0, fmt::format("label block is {}x{}x{} voxels, expected {}x{}x{}", shape->nx,
                                   shape->ny, shape->nz, expected.nx, expected.ny, expected.nz));
  }
  if (!window_fits(window.begin, window.end, expected)) {
    return window_error(window.begin, window.end, expected);
  }
  const std::uint32_t gx = shape->nx / kSide;
  const std::uint32_t gy = shape->ny / kSide;
  const std::uint32_t gz = shape->nz / kSide;

  const std::uint64_t label_count = load<std::uint32_t>(block.data() + 12);
  if (label_count == 0) return error_at(12, "label block lists no labels");
  const std::uint64_t labels_end = kHeaderSize + 8 * label_count;
  if (labels_end > block.size()) {
    return error_at(block.size(), fmt::format("label block of {} bytes cannot hold its {} labels",
                                              block.size(), label_count));
  }
  const char* labels = block.data() + kHeaderSize;
  if (label_count == 1) {
    const SubBlockRows all{window.origin,   window.row_stride, window.plane_stride,
                           window.begin[0], window.end[0],     window.begin[1],
                           window.end[1],   window.begin[2],   window.end[2]};
    const std::uint64_t label = load<std::uint64_t>(labels);
    const std::uint32_t width = window.end[2] - window.begin[2];
    const std::uint32_t height = window.end[1] - window.begin[1];
    if (window.row_stride == width && window.plane_stride == std::size_t{width} * height) {
      std::fill_n(window.origin, window.plane_stride * (window.end[0] - window.begin[0]), label);
    } else {
      fill_rows<false>(all, label);
    }
    return Unit{};
  }

  // Validate the counts and the lengths they imply once, so the voxel loop only checks indices.
  // A header may state up to 2^87 sub-blocks: bound the count by the input before any sum.
  std::uint64_t sub_block_count = 0;
  if (__builtin_mul_overflow(std::uint64_t{gx} * gy, gz, &sub_block_count) ||
      sub_block_count > block.size() / 2 || labels_end + 2 * sub_block_count > block.size()) {
    return error_at(block.size(), fmt::format("label block ends inside the label counts of its "
                                              "{}x{}x{} sub-blocks",
                                              gx, gy, gz));
  }
  const std::uint64_t counts_end = labels_end + 2 * sub_block_count;
  const char* counts = block.data() + labels_end;
  std::uint64_t index_count = 0;
  std::uint64_t packed_size = 0;
  std::uint32_t largest_count = 0;
  for (std::uint64_t i = 0; i < sub_block_count; ++i) {
    const std::uint32_t count = load<std::uint16_t>(counts + 2 * i);
    largest_count = std::max(largest_count, count);
    index_count += count;
    packed_size += kRows * kIndexBits[std::min<std::uint32_t>(count, kSubBlockVoxels)];
  }
  if (largest_count > kSubBlockVoxels) {
    for (std::uint64_t i = 0;; ++i) {
      const auto count = load<std::uint16_t>(counts + 2 * i);
      if (count > kSubBlockVoxels) {
        return error_at(
            labels_end + 2 * i,
            fmt::format("sub-block {} lists {} labels, more than its 512 voxels", i, count));
      }
    }
  }
  const std::uint64_t indices_end = counts_end + 4 * index_count;
  if (indices_end > block.size()) {
    return error_at(block.size(), fmt::format("label block ends inside its {} sub-block label "
                                              "indices",
                                              index_count));
  }
  if (block.size() - indices_end < packed_size) {
    std::uint64_t end = indices_end;
    std::uint64_t i = 0;
    while (end + kRows * kIndexBits[load<std::uint16_t>(counts + 2 * i)] <= block.size()) {
      end += kRows * kIndexBits[load<std::uint16_t>(counts + 2 * i)];
      ++i;
    }
    return error_at(block.size(), fmt::format("label block ends inside the packed voxels of "
                                              "sub-block {}",
                                              i));
  }

  // Packed values past which an 8-byte row load would leave the block; rows there are read from
  // a padded copy.
  const auto* data = reinterpret_cast<const unsigned char*>(block.data());
  const std::size_t load_limit = block.size() >= 8 ? block.size() - 8 : 0;
  std::array<unsigned char, kRows * 9 + 8> padded{};
  // Values above a sub-block's count are caught after the sub-block is written, so they index
  // zeros or stale labels here, never outside.
  std::array<std::uint64_t, kSubBlockVoxels> local{};

  const auto& [b0, b1, b2] = window.begin;
  const auto& [e0, e1, e2] = window.end;
  std::size_t index_offset = counts_end;
  std::size_t values_offset = indices_end;
  std::uint64_t sub_block = 0;
  for (std::uint32_t sz = 0; sz < gz; ++sz) {
    const auto [z0, z1] = axis_overlap(sz, b0, e0);
    for (std::uint32_t sy = 0; sy < gy; ++sy) {
      const auto [y0, y1] = axis_overlap(sy, b1, e1);
      for (std::uint32_t sx = 0; sx < gx; ++sx, ++sub_block) {
        const auto [x0, x1] = axis_overlap(sx, b2, e2);
        const std::uint32_t count = load<std::uint16_t>(counts + 2 * sub_block);
        for (std::uint32_t j = 0; j < count; ++j, index_offset += 4) {
          const auto index = load<std::uint32_t>(block.data() + index_offset);
          if (index >= label_count) {
            return error_at(index_offset,
                            fmt::format("sub-block {} refers to label {} of a {}-entry list",
                                        sub_block, index, label_count));
          }
          local[j] = load<std::uint64_t>(labels + 8 * std::size_t{index});
        }
        const unsigned bits = kIndexBits[count];
        const std::size_t packed_bytes = kRows * bits;
        const std::size_t offset = values_offset;
        values_offset += packed_bytes;
        if (z0 >= z1 || y0 >= y1 || x0 >= x1) continue;
        const SubBlockRows rows{window.origin + (sz * kSide + z0 - b0) * window.plane_stride +
                                    (sy * kSide + y0 - b1) * window.row_stride +
                                    (sx * kSide + x0 - b2),
                                window.row_stride,
                                window.plane_stride,
                                z0,
                                z1,
                                y0,
                                y1,
                                x0,
                                x1};
        if (bits == 0) {
          const std::uint64_t label = count == 0 ? 0 : local[0];
          x0 == 0 && x1 == kSide ? fill_rows<true>(rows, label) : fill_rows<false>(rows, label);
          continue;
        }
        const unsigned char* packed = data + offset;
        if (offset + packed_bytes > load_limit) {
          std::memcpy(padded.data(), packed, packed_bytes);
          packed = padded.data();
        }
        const bool full_rows = x0 == 0 && x1 == kSide;
        if (count == 1u << bits) {
          (full_rows ? decode_sub_block<true, false>
                     : decode_sub_block<false, false>)(bits, packed, local.data(), rows);
          continue;
        }
        const std::uint32_t largest =
            (full_rows ? decode_sub_block<true, true>
                       : decode_sub_block<false, true>)(bits, packed, local.data(), rows);
        if (largest >= count) {
          for (std::size_t k = 0;; ++k) {
            const std::size_t bit = k * bits;
            const std::uint32_t pair = (std::uint32_t{packed[bit / 8]} << 8) | packed[bit / 8 + 1];
            const std::uint32_t value = (pair >> (16 - bit % 8 - bits)) & ((1u << bits) - 1);
            if (value >= count) {
              return error_at(offset + bit / 8,
                              fmt::format("voxel {} of sub-block {} uses index {} of {} labels", k,
                                          sub_block, value, count));
            }
          }
        }
      }
    }
  }
  return Unit{};
}

CodecResult<Unit> decode_label_block(std::string_view block, LabelBlockShape expected,
                                     std::span<std::uint64_t> voxels) {
  std::uint64_t voxel_count = 0;
  if (__builtin_mul_overflow(std::uint64_t{expected.nx} * expected.ny, expected.nz, &voxel_count) ||
      voxel_count != voxels.size()) {
    return error_at(
        0, fmt::format("output holds {} voxels, the {}x{}x{} block needs {}", voxels.size(),
                       expected.nx, expected.ny, expected.nz, voxel_count));
  }
  // An empty `expected` fails decode_label_block_into's shape check: no header states one.
  const LabelBlockWindow all{voxels.data(), expected.nx, std::size_t{expected.nx} * expected.ny,
                             Zyx{0, 0, 0}, Zyx{expected.nz, expected.ny, expected.nx}};
  return decode_label_block_into(block, expected, all);
}

CodecResult<std::string> encode_label_block_from(const LabelBlockWindowConst& source,
                                                 LabelBlockShape shape) {
  for (const std::uint32_t side : {shape.nx, shape.ny, shape.nz}) {
    if (side % kSide != 0 || side < 16 || side > 1024) {
      return error_at(0, fmt::format("cannot encode a {}x{}x{} label block: each side must be a "
                                     "multiple of 8 from 16 to 1024",
                                     shape.nx, shape.ny, shape.nz));
    }
  }
  if (source.begin != Zyx{0, 0, 0} || source.end != Zyx{shape.nz, shape.ny, shape.nx}) {
    return window_error(source.begin, source.end, shape);
  }
  const std::uint32_t gx = shape.nx / kSide;
  const std::uint32_t gy = shape.ny / kSide;
  const std::uint32_t gz = shape.nz / kSide;
  const auto row_at = [&](std::uint32_t z, std::uint32_t y) {
    return source.origin + z * source.plane_stride + y * source.row_stride;
  };

  const std::uint64_t first = source.origin[0];
  bool solid = true;
  for (std::uint32_t z = 0; z < shape.nz && solid; ++z) {
    for (std::uint32_t y = 0; y < shape.ny && solid; ++y) {
      const std::uint64_t* row = row_at(z, y);
      std::uint64_t differ = 0;
      for (std::uint32_t x = 0; x < shape.nx; ++x) differ |= row[x] ^ first;
      solid = differ == 0;
    }
  }
  if (solid) {
    std::string out(24, '\0');
    char* p = store(out.data(), gx);
    p = store(p, gy);
    p = store(p, gz);
    p = store(p, std::uint32_t{1});
    store(p, first);
    return out;
  }

  thread_local EncoderScratch scratch;
  BlockLabelIndex& block_labels = scratch.block_labels;
  block_labels.start();
  const std::size_t sub_block_count = std::size_t{gx} * gy * gz;
  if (scratch.counts.size() < sub_block_count) scratch.counts.resize(sub_block_count);
  if (scratch.packed.size() < sub_block_count * kRows * 9 + 8) {
    scratch.packed.resize(sub_block_count * kRows * 9 + 8);
  }
  std::size_t index_count = 0;
  char* packed = scratch.packed.data();

  std::array<std::uint64_t, kSubBlockVoxels> voxels;
  std::array<std::uint16_t, kSubBlockVoxels> values;
  std::size_t sub_block = 0;
  for (std::uint32_t sz = 0; sz < gz; ++sz) {
    for (std::uint32_t sy = 0; sy < gy; ++sy) {
      for (std::uint32_t sx = 0; sx < gx; ++sx, ++sub_block) {
        for (std::uint32_t z = 0; z < kSide; ++z) {
          for (std::uint32_t y = 0; y < kSide; ++y) {
            std::memcpy(&voxels[(z * kSide + y) * kSide],
                        row_at(sz * kSide + z, sy * kSide + y) + sx * kSide, kSide * 8);
          }
        }
        if (scratch.indices.size() < index_count + kSubBlockVoxels) {
          scratch.indices.resize(
              std::max(2 * scratch.indices.size(), index_count + kSubBlockVoxels));
        }
        std::uint32_t* indices = scratch.indices.data() + index_count;
        // Uniform sub-blocks (most of a segmentation) need no table and no packed bits.
        if (is_uniform(voxels.data(), kSubBlockVoxels)) {
          scratch.counts[sub_block] = 1;
          indices[0] = block_labels.index_of(voxels[0]);
          ++index_count;
          continue;
        }
        const std::uint32_t count = scratch.sub_block_labels.index(voxels.data(), values.data());
        scratch.counts[sub_block] = static_cast<std::uint16_t>(count);
        for (std::uint32_t j = 0; j < count; ++j) {
          indices[j] = block_labels.index_of(scratch.sub_block_labels.label(j));
        }
        index_count += count;
        packed = kPackers[kIndexBits[count]](values.data(), packed);
      }
    }
  }

  const std::vector<std::uint64_t>& labels = block_labels.labels();
  const std::size_t packed_size = packed - scratch.packed.data();
  std::string out(
      kHeaderSize + 8 * labels.size() + 2 * sub_block_count + 4 * index_count + packed_size, '\0');
  char* p = store(out.data(), gx);
  p = store(p, gy);
  p = store(p, gz);
  p = store(p, static_cast<std::uint32_t>(labels.size()));
  p = static_cast<char*>(std::memcpy(p, labels.data(), 8 * labels.size())) + 8 * labels.size();
  p = static_cast<char*>(std::memcpy(p, scratch.counts.data(), 2 * sub_block_count)) +
      2 * sub_block_count;
  p = static_cast<char*>(std::memcpy(p, scratch.indices.data(), 4 * index_count)) + 4 * index_count;
  std::memcpy(p, scratch.packed.data(), packed_size);
  return out;
}

CodecResult<std::string> encode_label_block(std::span<const std::uint64_t> voxels,
                                            LabelBlockShape shape) {
  const std::size_t voxel_count = std::size_t{shape.nx} * shape.ny * shape.nz;
  if (voxels.size() != voxel_count) {
    return error_at(0, fmt::format("{} voxels given for a {}x{}x{} block", voxels.size(), shape.nx,
                                   shape.ny, shape.nz));
  }
  const LabelBlockWindowConst all{voxels.data(), shape.nx, std::size_t{shape.nx} * shape.ny,
                                  Zyx{0, 0, 0}, Zyx{shape.nz, shape.ny, shape.nx}};
  return encode_label_block_from(all, shape);
}

}  // namespace dvidxfer::codecs
