// A benchmark scenario against a running DVID: the same box moved repeatedly by dvidxfer's chunk
// engine and (optionally) by the libdvid-style baseline, alternating so both see the same
// machine, with every repetition's figures kept for the report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/volume.hpp"
#include "volume_call.hpp"
#include "volume_type.hpp"
#include "voxel_buffer.hpp"

namespace dvidxfer::cli {

enum class BenchOperation { get, put };

struct BenchScenario {
  std::string server;
  std::string uuid;
  std::string instance;
  VolumeType type = VolumeType::labelblk;
  BenchOperation operation = BenchOperation::get;
  Shape3 shape{512, 512, 512};
  Point3 offset{0, 0, 0};
  VolumeSwitches switches;        // throttle, compress (roi and mutate as the user gave them)
  std::size_t concurrency = 0;    // 0: the library's default
  std::uint64_t chunk_bytes = 0;  // 0: chosen from the shape
  int repetitions = 3;
  bool baseline = false;
  ClientOptions client;  // dvidxfer's client (max_connections from concurrency, when given)
  // --embedded: the network the embedded server emulates, as it reports it after setup.
  std::optional<server::FaultConfig> emulated_network;
};

// One repetition of one mode. Figures the mode cannot know stay empty.
struct RepetitionFigures {
  bool succeeded = false;
  double seconds = 0;  // wall time of the call, decoding included
  std::uint64_t voxel_bytes = 0;
  std::uint64_t wire_bytes = 0;
  std::uint64_t requests = 0;
  std::uint64_t retries = 0;
  std::uint64_t errors = 0;  // failed chunks (or requests), and GETs whose voxels differed
  std::vector<double> request_latency_ms;
  std::string error_message;  // the first error, when the repetition failed
};

struct ModeFigures {
  std::string mode;  // "dvidxfer" or "baseline"
  std::vector<RepetitionFigures> repetitions;
};

struct BenchResult {
  BenchScenario scenario;
  std::vector<ModeFigures> modes;  // dvidxfer first, then baseline when asked
};

// Runs the scenario. For a PUT, `voxels` is what is written; for a GET, when given, what every
// answer must equal (else answers are checked against the first dvidxfer answer). Failures of
// single repetitions are recorded, not thrown; connecting to the server may throw.
BenchResult run_scenario(const BenchScenario& scenario, const VoxelBuffer* voxels);

}  // namespace dvidxfer::cli
