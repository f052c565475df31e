#include "fixture_volume.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "dvidxfer/codecs/gzip.hpp"
#include "dvidxfer/errors.hpp"
#include "synthetic_volume.hpp"

namespace dvidxfer::cli {

namespace {

constexpr std::array<const char*, 2> kFixtureFiles = {"fib19-64x64x64-sample1.dat.gz",
                                                      "cx-64x64x64-sample1.dat.gz"};
constexpr std::uint64_t kFixtureVoxels = kFixtureSide * kFixtureSide * kFixtureSide;
// Every fixture label is below 2^36 (fib19's largest is about 5.2e10).
constexpr int kLabelBits = 36;
constexpr std::int64_t kTilesPerAxis = 32;  // 5 bits per axis: offsets stay below 2^51

const std::filesystem::path kRelativeFixtures =
    std::filesystem::path("..") / "shared" / "fixtures" / "dvid";

bool has_fixtures(const std::filesystem::path& root) {
  std::error_code error;
  return std::filesystem::is_regular_file(root / kRelativeFixtures / kFixtureFiles[0], error);
}

std::filesystem::path executable_folder() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : self.parent_path();
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  return value >= 0 ? value / divisor : (value + 1) / divisor - 1;
}

std::uint64_t tile_label_offset(std::int64_t tz, std::int64_t ty, std::int64_t tx) {
  const auto axis = [](std::int64_t t) {
    return static_cast<std::uint64_t>(((t % kTilesPerAxis) + kTilesPerAxis) % kTilesPerAxis);
  };
  const std::uint64_t key = (axis(tz) * kTilesPerAxis + axis(ty)) * kTilesPerAxis + axis(tx);
  return key << kLabelBits;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot open fixture '{}'", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::filesystem::path default_fixtures_directory() {
  std::vector<std::filesystem::path> roots = {DVIDXFER_SOURCE_DIR};
  for (auto folder = executable_folder(); !folder.empty(); folder = folder.parent_path()) {
    roots.push_back(folder);
    if (folder == folder.root_path()) break;
  }
  for (const auto& root : roots)
    if (has_fixtures(root)) return (root / kRelativeFixtures).lexically_normal();
  return {};
}

FixtureVolumes load_fixture_volumes(const std::filesystem::path& directory) {
  FixtureVolumes fixtures;
  for (const auto* name : kFixtureFiles) {
    const auto path = directory / name;
    auto voxels = codecs::gzip_decompress(read_file(path), kFixtureVoxels * 8);
    if (!voxels)
      throw Error(fmt::format("fixture '{}': {}", path.string(), voxels.error().message));
    if (voxels->size() != kFixtureVoxels * 8)
      throw Error(fmt::format("fixture '{}' holds {} bytes, not a 64^3 uint64 volume",
                              path.string(), voxels->size()));
    auto& labels = fixtures.volumes.emplace_back(kFixtureVoxels);
    std::memcpy(labels.data(), voxels->data(), voxels->size());
  }
  return fixtures;
}

void fill_fixture_volume(const FixtureVolumes& fixtures, Shape3 shape_zyx, Point3 offset_zyx,
                         std::span<char> bytes) {
  auto* const out = reinterpret_cast<std::uint64_t*>(bytes.data());
  const std::int64_t ny = shape_zyx[1], nx = shape_zyx[2];
  fill_planes_in_parallel(shape_zyx[0], [&](std::int64_t z_begin, std::int64_t z_end) {
    for (std::int64_t z = z_begin; z < z_end; ++z) {
      const std::int64_t gz = offset_zyx[0] + z, tz = floor_div(gz, kFixtureSide);
      for (std::int64_t y = 0; y < ny; ++y) {
        const std::int64_t gy = offset_zyx[1] + y, ty = floor_div(gy, kFixtureSide);
        std::uint64_t* row = out + (static_cast<std::size_t>(z) * ny + y) * nx;
        // One run per tile the row crosses.
        for (std::int64_t x = 0; x < nx;) {
          const std::int64_t gx = offset_zyx[2] + x, tx = floor_div(gx, kFixtureSide);
          const auto& source = fixtures.volumes[static_cast<std::size_t>((tz + ty + tx) & 1)];
          const std::uint64_t* tile_row =
              source.data() +
              ((gz - tz * kFixtureSide) * kFixtureSide + (gy - ty * kFixtureSide)) * kFixtureSide;
          const std::int64_t tile_x = gx - tx * kFixtureSide;
          const std::int64_t run = std::min(kFixtureSide - tile_x, nx - x);
          const std::uint64_t label_offset = tile_label_offset(tz, ty, tx);
          for (std::int64_t i = 0; i < run; ++i) row[x + i] = tile_row[tile_x + i] + label_offset;
          x += run;
        }
      }
    }
  });
}

}  // namespace dvidxfer::cli
