#include "demo_volumes.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstring>

#include "bench_report.hpp"
#include "bench_scenario.hpp"
#include "synthetic_volume.hpp"
#include "volume_call.hpp"

namespace dvidxfer::cli {

namespace {

using Clock = std::chrono::steady_clock;

double megabytes_per_second(std::size_t bytes, Clock::time_point start) {
  return static_cast<double>(bytes) / 1e6 /
         std::chrono::duration<double>(Clock::now() - start).count();
}

// Writes the volume, reads it back, compares. Returns whether it came back identical.
bool round_trip(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape,
                const VoxelBuffer& voxels, const VolumeSwitches& switches) {
  const Point3 origin{0, 0, 0};
  auto started = Clock::now();
  put_volume(node, instance, type, shape, origin, voxels.bytes(), switches, {});
  const double put_rate = megabytes_per_second(voxels.size(), started);
  VoxelBuffer answer(voxels.size());
  started = Clock::now();
  get_volume(node, instance, type, shape, origin, answer.bytes(), switches, {});
  const double get_rate = megabytes_per_second(voxels.size(), started);
  const bool identical = std::memcmp(answer.data(), voxels.data(), voxels.size()) == 0;
  fmt::print("{} '{}' {}x{}x{}: put {:.0f} MB/s, get {:.0f} MB/s, {}\n", type_name(type), instance,
             shape[0], shape[1], shape[2], put_rate, get_rate,
             identical ? "read back byte for byte identical" : "READ BACK DIFFERENT");
  return identical;
}

}  // namespace

bool run_volume_demo(const std::string& address, const std::string& uuid, Shape3 shape_zyx,
                     int bench_repetitions, const ClientOptions& client, bool server_in_process) {
  NodeService node(address, uuid, "demo", "dvidxfer-demo", "", 0, client);
  bool all_good = true;
  for (const auto type : {VolumeType::uint8blk, VolumeType::labelblk}) {
    const std::string instance = type == VolumeType::uint8blk ? "demo_grayscale" : "demo_labels";
    create_volume_instance(node, instance, type);
    VolumeSwitches switches;
    switches.compress = type == VolumeType::labelblk;
    VoxelBuffer voxels(volume_bytes(type, shape_zyx));
    fill_synthetic_volume(type, shape_zyx, {0, 0, 0}, voxels.bytes());
    all_good = round_trip(node, instance, type, shape_zyx, voxels, switches) && all_good;

    for (const auto operation : {BenchOperation::get, BenchOperation::put}) {
      BenchScenario scenario;
      scenario.server = address;
      scenario.uuid = uuid;
      scenario.client = client;
      scenario.instance = instance;
      scenario.type = type;
      scenario.operation = operation;
      scenario.shape = shape_zyx;
      scenario.switches = switches;
      scenario.repetitions = bench_repetitions;
      scenario.baseline = true;
      scenario.server_in_process = server_in_process;
      const auto result = run_scenario(scenario, &voxels);
      fmt::print("\n{}", bench_table(result));
      for (const auto& mode : result.modes) all_good = all_good && summarize(mode).errors == 0;
    }
    fmt::print("\n");
  }
  return all_good;
}

}  // namespace dvidxfer::cli
