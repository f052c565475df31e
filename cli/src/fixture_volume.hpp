// Real segmentation for label benchmarks: boxes tiled from the 64^3 label volumes of DVID's own
// test data (fib19 and cx, gzip'd uint64 little-endian, z-y-x), because real segmentation blocks,
// not synthetic cells, are what the label block codec meets in production.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "dvidxfer/volume.hpp"

namespace dvidxfer::cli {

// The fixture volumes, each kFixtureSide^3 labels.
struct FixtureVolumes {
  std::vector<std::vector<std::uint64_t>> volumes;
};

inline constexpr std::int64_t kFixtureSide = 64;

// The folder --fixtures defaults to: ../shared/fixtures/dvid relative to the repository root,
// looked for above the source tree this binary was built from, then above the executable's
// folder and each of its parents. Empty when neither has it.
std::filesystem::path default_fixtures_directory();

// Reads fib19-64x64x64-sample1.dat.gz and cx-64x64x64-sample1.dat.gz from `directory`; throws
// dvidxfer::Error naming the file when one is missing or is not a 64^3 label volume.
FixtureVolumes load_fixture_volumes(const std::filesystem::path& directory);

// Fills `bytes` (uint64 labels, z-y-x, 8-byte aligned) for the box at `offset_zyx`: the space is
// cut into 64^3 tiles on the grid of absolute coordinates, alternating between the fixtures in a
// checkerboard, and each tile's labels are offset by its own multiple of 2^36 (above every fixture
// label) so that neighbouring tiles never share a label; tiles 2048 voxels apart on every axis do.
void fill_fixture_volume(const FixtureVolumes& fixtures, Shape3 shape_zyx, Point3 offset_zyx,
                         std::span<char> bytes);

}  // namespace dvidxfer::cli
