// labelvol's sparse-volume RLEs (server/label_runs, what GET sparsevol sends): the runs of every
// label of a block cover exactly that label's voxels, in z, y, x order, inside the block; runs
// clipped to bounds cover exactly the label's voxels inside the bounds; and clipping arbitrary
// (stored) run bytes keeps every run inside the bounds.
#include <cstring>
#include <map>
#include <vector>

#include "fuzz_check.hpp"
#include "types/labelvol/label_runs.hpp"

using namespace dvidxfer;
using server::Point3;

namespace {

struct Run {
  std::int32_t x, y, z, length;
};

std::vector<Run> read_runs(std::string_view bytes) {
  FUZZ_CHECK(bytes.size() % server::kRunBytes == 0);
  std::vector<Run> runs;
  for (std::size_t at = 0; at < bytes.size(); at += server::kRunBytes)
    runs.push_back({server::read_int32_le(bytes.substr(at)),
                    server::read_int32_le(bytes.substr(at + 4)),
                    server::read_int32_le(bytes.substr(at + 8)),
                    server::read_int32_le(bytes.substr(at + 12))});
  return runs;
}

bool inside(const server::VoxelBounds& bounds, int axis, std::int64_t value) {
  return (!bounds.min[axis] || value >= *bounds.min[axis]) &&
         (!bounds.max[axis] || value <= *bounds.max[axis]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::ByteReader reader(data, size);
  const Point3 block_size{1 + reader.byte() % 16, 1 + reader.byte() % 16, 1 + reader.byte() % 16};
  const Point3 block{static_cast<std::int8_t>(reader.byte()),
                     static_cast<std::int8_t>(reader.byte()),
                     static_cast<std::int8_t>(reader.byte())};
  const Point3 origin{block.x * block_size.x, block.y * block_size.y, block.z * block_size.z};
  // Bounds: a flag byte says which of the six sides are set; each side is near the block.
  server::VoxelBounds bounds;
  const std::uint8_t flags = reader.byte();
  for (int axis = 0; axis < 3; ++axis) {
    const std::int32_t base = axis == 0 ? origin.x : axis == 1 ? origin.y : origin.z;
    const std::int32_t low = base + static_cast<std::int8_t>(reader.byte()) / 8;
    const std::int32_t high = base + static_cast<std::int8_t>(reader.byte()) / 8;
    if (flags & (1 << axis)) bounds.min[axis] = low;
    if (flags & (8 << axis)) bounds.max[axis] = high;
  }
  // One byte per voxel becomes its label (0 is background); missing voxels are 0.
  const std::size_t count = static_cast<std::size_t>(block_size.x) * block_size.y * block_size.z;
  const std::string_view label_bytes = reader.rest().substr(0, count);
  std::vector<std::uint64_t> labels(count, 0);
  for (std::size_t i = 0; i < label_bytes.size(); ++i)
    labels[i] = static_cast<std::uint8_t>(label_bytes[i]) * 0x0101010101ull;
  const std::string_view voxels(reinterpret_cast<const char*>(labels.data()), count * 8);

  const auto runs = server::runs_by_label(voxels, block, block_size);
  // Voxels counted per label, all of them and inside the bounds.
  std::map<std::uint64_t, std::pair<std::size_t, std::size_t>> expected;
  for (std::int32_t z = 0; z < block_size.z; ++z)
    for (std::int32_t y = 0; y < block_size.y; ++y)
      for (std::int32_t x = 0; x < block_size.x; ++x) {
        const auto label =
            labels[(static_cast<std::size_t>(z) * block_size.y + y) * block_size.x + x];
        if (label == 0) continue;
        auto& [all, bounded] = expected[label];
        ++all;
        if (inside(bounds, 0, origin.x + x) && inside(bounds, 1, origin.y + y) &&
            inside(bounds, 2, origin.z + z))
          ++bounded;
      }
  FUZZ_CHECK(runs.size() == expected.size());
  for (const auto& [label, bytes] : runs) {
    FUZZ_CHECK(label != 0 && expected.count(label) == 1);
    std::size_t covered = 0;
    const Run* previous = nullptr;
    const auto decoded = read_runs(bytes);
    for (const auto& run : decoded) {
      FUZZ_CHECK(run.length > 0);
      FUZZ_CHECK(run.x >= origin.x && run.x + run.length <= origin.x + block_size.x);
      FUZZ_CHECK(run.y >= origin.y && run.y < origin.y + block_size.y);
      FUZZ_CHECK(run.z >= origin.z && run.z < origin.z + block_size.z);
      if (previous)
        FUZZ_CHECK(std::tie(previous->z, previous->y, previous->x) < std::tie(run.z, run.y, run.x));
      previous = &run;
      for (std::int32_t x = run.x; x < run.x + run.length; ++x)
        FUZZ_CHECK(labels[(static_cast<std::size_t>(run.z - origin.z) * block_size.y +
                           (run.y - origin.y)) *
                              block_size.x +
                          (x - origin.x)] == label);
      covered += static_cast<std::size_t>(run.length);
    }
    FUZZ_CHECK(covered == expected[label].first);

    std::size_t clipped_voxels = 0;
    for (const auto& run : read_runs(server::clip_runs(bytes, bounds))) {
      FUZZ_CHECK(run.length > 0);
      FUZZ_CHECK(inside(bounds, 0, run.x) && inside(bounds, 0, run.x + run.length - 1));
      FUZZ_CHECK(inside(bounds, 1, run.y) && inside(bounds, 2, run.z));
      clipped_voxels += static_cast<std::size_t>(run.length);
    }
    FUZZ_CHECK(clipped_voxels == expected[label].second);
  }

  // Stored runs are bytes: clipping any bytes keeps runs inside the bounds.
  for (const auto& run : read_runs(server::clip_runs(reader.rest(), bounds))) {
    FUZZ_CHECK(run.length > 0);
    FUZZ_CHECK(inside(bounds, 0, run.x) && inside(bounds, 0, std::int64_t{run.x} + run.length - 1));
    FUZZ_CHECK(inside(bounds, 1, run.y) && inside(bounds, 2, run.z));
  }
  const std::string header = server::rle_header(static_cast<std::uint32_t>(runs.size()));
  FUZZ_CHECK(header.size() == 12 && server::read_int32_le(std::string_view(header).substr(8)) ==
                                        static_cast<std::int32_t>(runs.size()));
  return 0;
}
