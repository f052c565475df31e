#include "types/labelvol/label_runs.hpp"

#include <algorithm>
#include <cstring>

namespace dvidxfer::server {

void append_int32_le(std::string& out, std::int32_t value) {
  const auto bits = static_cast<std::uint32_t>(value);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
}

std::int32_t read_int32_le(std::string_view bytes) {
  std::uint32_t bits = 0;
  for (int i = 3; i >= 0; --i) bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<std::int32_t>(bits);
}

namespace {

void append_run(std::string& out, std::int32_t x, std::int32_t y, std::int32_t z,
                std::int32_t length) {
  append_int32_le(out, x);
  append_int32_le(out, y);
  append_int32_le(out, z);
  append_int32_le(out, length);
}

}  // namespace

std::unordered_map<std::uint64_t, std::string> runs_by_label(std::string_view labels,
                                                             const Point3& block,
                                                             const Point3& block_size) {
  std::unordered_map<std::uint64_t, std::string> runs;
  const std::int32_t x0 = block.x * block_size.x;
  const std::int32_t y0 = block.y * block_size.y;
  const std::int32_t z0 = block.z * block_size.z;
  const char* voxel = labels.data();
  // The label of the previous run, so uniform rows do not look the label up again.
  std::uint64_t cached_label = 0;
  std::string* cached_runs = nullptr;
  for (std::int32_t z = 0; z < block_size.z; ++z)
    for (std::int32_t y = 0; y < block_size.y; ++y) {
      std::int32_t x = 0;
      while (x < block_size.x) {
        std::uint64_t label = 0;
        std::memcpy(&label, voxel + 8 * x, 8);
        std::int32_t end = x + 1;
        while (end < block_size.x && std::memcmp(voxel + 8 * end, &label, 8) == 0) ++end;
        if (label != 0) {
          if (!cached_runs || cached_label != label) {
            cached_runs = &runs[label];
            cached_label = label;
          }
          append_run(*cached_runs, x0 + x, y0 + y, z0 + z, end - x);
        }
        x = end;
      }
      voxel += 8 * static_cast<std::size_t>(block_size.x);
    }
  return runs;
}

bool VoxelBounds::empty() const {
  for (int axis = 0; axis < 3; ++axis)
    if (min[axis] || max[axis]) return false;
  return true;
}

std::string clip_runs(std::string_view runs, const VoxelBounds& bounds) {
  std::string out;
  for (std::size_t at = 0; at + kRunBytes <= runs.size(); at += kRunBytes) {
    std::int64_t x = read_int32_le(runs.substr(at));
    const std::int32_t y = read_int32_le(runs.substr(at + 4));
    const std::int32_t z = read_int32_le(runs.substr(at + 8));
    std::int64_t last = x + read_int32_le(runs.substr(at + 12)) - 1;
    if ((bounds.min[1] && y < *bounds.min[1]) || (bounds.max[1] && y > *bounds.max[1]) ||
        (bounds.min[2] && z < *bounds.min[2]) || (bounds.max[2] && z > *bounds.max[2]))
      continue;
    if (bounds.min[0]) x = std::max<std::int64_t>(x, *bounds.min[0]);
    if (bounds.max[0]) last = std::min<std::int64_t>(last, *bounds.max[0]);
    if (last < x) continue;
    append_run(out, static_cast<std::int32_t>(x), y, z, static_cast<std::int32_t>(last - x + 1));
  }
  return out;
}

std::string rle_header(std::uint32_t runs) {
  std::string out{'\0', '\3', '\0', '\0', '\0', '\0', '\0', '\0'};
  append_int32_le(out, static_cast<std::int32_t>(runs));
  return out;
}

}  // namespace dvidxfer::server
