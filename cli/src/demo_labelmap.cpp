// The labelmap half of `dvidxfer demo`: a segmentation written to a labelmap with one lower scale
// (DVID down-samples it), read back at scales 0 and 1 and verified, then benchmarked against the
// libdvid-style baseline (one dense /raw request, lz4).
#include <fmt/format.h>

#include <chrono>
#include <cstring>

#include "bench_report.hpp"
#include "bench_scenario.hpp"
#include "demo_volumes.hpp"
#include "fixture_volume.hpp"
#include "synthetic_volume.hpp"
#include "volume_call.hpp"

namespace dvidxfer::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Real segmentation when the fixtures are found (fixture_volume.hpp), else synthetic cells.
VolumeSource fill_segmentation(Shape3 shape, VoxelBuffer& voxels) {
  if (const auto directory = default_fixtures_directory(); !directory.empty()) {
    fill_fixture_volume(load_fixture_volumes(directory), shape, {0, 0, 0}, voxels.bytes());
    fmt::print("segmentation: 64^3 tiles of DVID's fixtures in {}\n", directory.string());
    return VolumeSource::fixtures;
  }
  fill_synthetic_volume(VolumeType::labelmap, shape, {0, 0, 0}, voxels.bytes());
  fmt::print("segmentation: synthetic (DVID's fixtures not found)\n");
  return VolumeSource::synthetic;
}

// Without DVID's down-sampling rule at hand (it lives in the server), scale 1 is checked for
// what holds whatever the vote: every voxel is one of the labels of its 2x2x2 cell at scale 0.
bool each_voxel_from_its_cell(const std::uint64_t* scale0, Shape3 shape0,
                              const std::uint64_t* scale1) {
  const std::int64_t nz = shape0[0] / 2, ny = shape0[1] / 2, nx = shape0[2] / 2;
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t y = 0; y < ny; ++y)
      for (std::int64_t x = 0; x < nx; ++x) {
        const auto label = scale1[(z * ny + y) * nx + x];
        bool found = false;
        for (int cell = 0; cell < 8 && !found; ++cell) {
          const std::int64_t cz = 2 * z + (cell >> 2), cy = 2 * y + (cell >> 1 & 1),
                             cx = 2 * x + (cell & 1);
          found = scale0[(cz * shape0[1] + cy) * shape0[2] + cx] == label;
        }
        if (!found) return false;
      }
  return true;
}

}  // namespace

bool run_labelmap_demo(const std::string& address, const std::string& uuid, Shape3 shape_zyx,
                       int bench_repetitions, const ClientOptions& client, bool server_in_process) {
  constexpr std::int64_t kBlock = 64;
  for (auto& size : shape_zyx) size = (size + kBlock - 1) / kBlock * kBlock;
  NodeService node(address, uuid, "demo", "dvidxfer-demo", "", 0, client);
  const std::string instance = "demo_labelmap";
  node.create_instance(
      "labelmap", instance,
      {{"BlockSize", fmt::format("{0},{0},{0}", kBlock)}, {"MaxDownresLevel", "1"}});
  VoxelBuffer voxels(volume_bytes(VolumeType::labelmap, shape_zyx));
  const auto source = fill_segmentation(shape_zyx, voxels);

  VolumeSwitches switches;
  switches.label_write.downres = true;
  auto started = Clock::now();
  put_volume(node, instance, VolumeType::labelmap, shape_zyx, {0, 0, 0}, voxels.bytes(), switches,
             {});
  const double put_seconds = seconds_since(started);

  VoxelBuffer scale0(voxels.size());
  started = Clock::now();
  get_volume(node, instance, VolumeType::labelmap, shape_zyx, {0, 0, 0}, scale0.bytes(), switches,
             {});
  const double get_seconds = seconds_since(started);
  const bool scale0_identical = std::memcmp(scale0.data(), voxels.data(), voxels.size()) == 0;
  fmt::print(
      "labelmap '{}' {}x{}x{} (MaxDownresLevel 1): put with downres {:.0f} MB/s, get {:.0f} MB/s, "
      "scale 0 {}\n",
      instance, shape_zyx[0], shape_zyx[1], shape_zyx[2], voxels.size() / 1e6 / put_seconds,
      voxels.size() / 1e6 / get_seconds,
      scale0_identical ? "read back byte for byte identical" : "READ BACK DIFFERENT");

  // Scale 1 through both wires: stored blocks decoded here, and DVID's dense /raw?scale=1.
  const Shape3 shape1{shape_zyx[0] / 2, shape_zyx[1] / 2, shape_zyx[2] / 2};
  VoxelBuffer blocks1(volume_bytes(VolumeType::labelmap, shape1));
  VoxelBuffer raw1(blocks1.size());
  VolumeSwitches scale1 = switches;
  scale1.label_read.scale = 1;
  get_volume(node, instance, VolumeType::labelmap, shape1, {0, 0, 0}, blocks1.bytes(), scale1, {});
  scale1.label_read.wire = LabelWire::raw;
  get_volume(node, instance, VolumeType::labelmap, shape1, {0, 0, 0}, raw1.bytes(), scale1, {});
  const bool wires_agree = std::memcmp(blocks1.data(), raw1.data(), raw1.size()) == 0;
  const bool from_cells =
      each_voxel_from_its_cell(reinterpret_cast<const std::uint64_t*>(voxels.data()), shape_zyx,
                               reinterpret_cast<const std::uint64_t*>(blocks1.data()));
  fmt::print("labelmap '{}' scale 1 {}x{}x{}: stored blocks and /raw?scale=1 {}; {}\n", instance,
             shape1[0], shape1[1], shape1[2], wires_agree ? "agree" : "DIFFER",
             from_cells ? "every voxel is a label of its 2x2x2 cell at scale 0"
                        : "SOME VOXELS ARE NO LABEL OF THEIR CELL");
  bool all_good = scale0_identical && wires_agree && from_cells;

  for (const auto operation : {BenchOperation::get, BenchOperation::put}) {
    BenchScenario scenario;
    scenario.server = address;
    scenario.uuid = uuid;
    scenario.client = client;
    scenario.instance = instance;
    scenario.type = VolumeType::labelmap;
    scenario.operation = operation;
    scenario.shape = shape_zyx;
    scenario.switches = switches;  // PUT with downres: DVID's POST /raw always down-samples too
    scenario.repetitions = bench_repetitions;
    scenario.baseline = true;
    scenario.server_in_process = server_in_process;
    scenario.volume = source;
    const auto result = run_scenario(scenario, &voxels);
    fmt::print("\n{}", bench_table(result));
    for (const auto& mode : result.modes) all_good = all_good && summarize(mode).errors == 0;
    all_good = all_good && result.decode_reference_error.empty() &&
               (!result.decode_reference || result.decode_reference->matches);
  }
  fmt::print("\n");
  return all_good;
}

}  // namespace dvidxfer::cli
