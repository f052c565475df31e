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
#include "stored_block_decode_reference.hpp"
#include "volume_call.hpp"
#include "volume_type.hpp"
#include "voxel_buffer.hpp"

namespace dvidxfer::cli {

enum class BenchOperation { get, put };

// Where the voxels a bench writes come from: synthetic_volume.hpp or fixture_volume.hpp; `stored`
// for a GET of an existing instance, which reads whatever it holds.
enum class VolumeSource { synthetic, fixtures, stored };

struct BenchScenario {
  std::string server;
  std::string uuid;
  std::string instance;
  VolumeType type = VolumeType::labelblk;
  BenchOperation operation = BenchOperation::get;
  Shape3 shape{512, 512, 512};
  Point3 offset{0, 0, 0};
  VolumeSwitches switches;  // throttle, compress, label options (roi and mutate as given)
  VolumeSource volume = VolumeSource::synthetic;
  std::size_t concurrency = 0;    // 0: the library's default
  std::uint64_t chunk_bytes = 0;  // 0: chosen from the shape
  int repetitions = 3;
  bool baseline = false;
  ClientOptions client;  // dvidxfer's client (max_connections from concurrency, when given)
  // --embedded: the network the embedded server emulates, as it reports it after setup.
  std::optional<server::FaultConfig> emulated_network;
  // The server runs in this process (bench --embedded, demo without --server): the CPU figures
  // include its work.
  bool server_in_process = false;
};

// One repetition of one mode. Figures the mode cannot know stay empty.
struct RepetitionFigures {
  bool succeeded = false;
  double seconds = 0;      // wall time of the call, decoding included
  double cpu_seconds = 0;  // user + system CPU of the whole process during the call
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
  // labelarray/labelmap GETs: the single-threaded decode of the same stored blocks, measured
  // after the repetitions, or why it could not be.
  std::optional<DecodeReference> decode_reference;
  std::string decode_reference_error;
};

// Runs the scenario. For a PUT, `voxels` is what is written; for a GET, when given, what every
// answer must equal (else answers are checked against the first dvidxfer answer). Failures of
// single repetitions (and of the decode reference) are recorded, not thrown; connecting to the
// server may throw.
BenchResult run_scenario(const BenchScenario& scenario, const VoxelBuffer* voxels);

}  // namespace dvidxfer::cli
