#include "synthetic_volume.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

namespace dvidxfer::cli {

namespace {

std::uint64_t mix(std::uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdull;
  value ^= value >> 33;
  value *= 0xc4ceb9fe1a85ec53ull;
  return value ^ (value >> 33);
}

// Cells of about 40 x 40 x 24 voxels, labelled with large ids, whose walls wander by a few voxels
// from row to row as real segmentations' do; that keeps lz4 from matching whole rows, so the
// labels compress about as much as real ones (tens of times), not thousands.
void fill_label_row(std::uint64_t* row, std::int64_t z, std::int64_t y, std::int64_t x0,
                    std::int64_t width) {
  constexpr std::int64_t kCellWidth = 40;
  const std::int64_t cell_z = z / 24;
  const std::int64_t cell_y = (y + 5 * (z / 8 % 4)) / 40;
  const auto row_seed = static_cast<std::uint64_t>(z) << 32 ^ static_cast<std::uint64_t>(y);
  const auto label_of = [&](std::int64_t cell_x) {
    const auto cell = static_cast<std::uint64_t>(cell_z) * 0x100000001b3ull ^
                      static_cast<std::uint64_t>(cell_y) * 0x9E3779B97F4A7C15ull ^
                      static_cast<std::uint64_t>(cell_x);
    return 1 + (mix(cell) >> 24);
  };
  // Hashes once per cell, not per voxel: gigabyte volumes are generated in a second or two.
  constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
  std::int64_t slot = kNone, wall = 0, cell_x = kNone;
  std::uint64_t label = 0;
  for (std::int64_t i = 0; i < width; ++i) {
    const std::int64_t x = x0 + i;
    const std::int64_t x_slot = x >= 0 ? x / kCellWidth : (x + 1) / kCellWidth - 1;
    if (x_slot != slot) {
      slot = x_slot;
      wall = static_cast<std::int64_t>(mix(row_seed ^ static_cast<std::uint64_t>(slot) << 48) % 8);
    }
    const std::int64_t x_cell = x - slot * kCellWidth < wall ? slot - 1 : slot;
    if (x_cell != cell_x) label = label_of(cell_x = x_cell);
    row[i] = label;
  }
}

// A smooth gradient with texture plus a few bits of noise per voxel.
void fill_gray_row(std::uint8_t* row, std::int64_t z, std::int64_t y, std::int64_t x0,
                   std::int64_t width) {
  std::uint64_t noise = mix(static_cast<std::uint64_t>(z) << 40 ^
                            static_cast<std::uint64_t>(y) << 20 ^ static_cast<std::uint64_t>(x0));
  for (std::int64_t i = 0; i < width; ++i) {
    if (i % 8 == 0) noise = mix(noise + static_cast<std::uint64_t>(i));
    const std::int64_t x = x0 + i;
    const auto base = static_cast<std::uint64_t>((x / 4 + y / 3 + z / 2) & 0x7f);
    row[i] = static_cast<std::uint8_t>(64 + base + ((noise >> (8 * (i % 8))) & 0x3f));
  }
}

}  // namespace

void fill_synthetic_volume(VolumeType type, Shape3 shape_zyx, Point3 offset_zyx,
                           std::span<char> bytes) {
  const std::int64_t width = shape_zyx[2];
  const std::size_t row_bytes = static_cast<std::size_t>(width) * voxel_bytes(type);
  const auto fill_planes = [&](std::int64_t z_begin, std::int64_t z_end) {
    for (std::int64_t z = z_begin; z < z_end; ++z)
      for (std::int64_t y = 0; y < shape_zyx[1]; ++y) {
        char* row = bytes.data() + (static_cast<std::size_t>(z) * shape_zyx[1] + y) * row_bytes;
        if (is_label_type(type)) {
          fill_label_row(reinterpret_cast<std::uint64_t*>(row), offset_zyx[0] + z,
                         offset_zyx[1] + y, offset_zyx[2], width);
        } else {
          fill_gray_row(reinterpret_cast<std::uint8_t*>(row), offset_zyx[0] + z, offset_zyx[1] + y,
                        offset_zyx[2], width);
        }
      }
  };
  fill_planes_in_parallel(shape_zyx[0], fill_planes);
}

void fill_planes_in_parallel(std::int64_t planes,
                             const std::function<void(std::int64_t, std::int64_t)>& fill) {
  const auto workers =
      static_cast<std::int64_t>(std::max(1u, std::min(8u, std::thread::hardware_concurrency())));
  std::vector<std::jthread> threads;
  for (std::int64_t w = 0; w < workers; ++w)
    threads.emplace_back(fill, planes * w / workers, planes * (w + 1) / workers);
}

}  // namespace dvidxfer::cli
