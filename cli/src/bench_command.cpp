// dvidxfer bench: what wrk is to web servers, for DVID volumes. Moves one box repeatedly through
// the chunk engine (and, with --baseline, the way libdvid-cpp does) against any DVID, or against
// an in-process embedded server that can emulate a remote one (latency, bandwidth per connection).
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "arguments.hpp"
#include "bench_report.hpp"
#include "bench_scenario.hpp"
#include "client_arguments.hpp"
#include "commands.hpp"
#include "config_file.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"
#include "fixture_volume.hpp"
#include "synthetic_volume.hpp"
#include "volume_arguments.hpp"

namespace dvidxfer::cli {

namespace {

BenchScenario parse_scenario(const Arguments& args) {
  BenchScenario scenario;
  const auto operation = args.text("op", "get");
  if (operation != "get" && operation != "put")
    throw UsageError(fmt::format("{} expects get or put, got '{}'", args.where("op"), operation));
  scenario.operation = operation == "get" ? BenchOperation::get : BenchOperation::put;
  scenario.shape = zyx_option(args, "shape").value_or(Shape3{256, 256, 256});
  for (const auto size : scenario.shape)
    if (size <= 0) throw UsageError(args.where("shape") + " sizes must be positive");
  scenario.offset = zyx_option(args, "offset").value_or(Point3{0, 0, 0});
  scenario.switches.throttle = on_off_option(args, "throttle", false);
  scenario.concurrency = count_or_auto(args, "concurrency");
  scenario.chunk_bytes = bytes_or_auto(args, "chunk-bytes");
  const auto repetitions = args.integer("repetitions", 3);
  if (repetitions <= 0 || repetitions > 1000000)
    throw UsageError(args.where("repetitions") + " must be in 1..1000000");
  scenario.repetitions = static_cast<int>(repetitions);
  scenario.baseline = args.has("baseline");
  scenario.client = client_options(args, scenario.concurrency);
  const bool put = scenario.operation == BenchOperation::put;
  read_label_options(args, put, scenario.switches);
  if (put && scenario.baseline && scenario.switches.label_write.scale != 0)
    throw UsageError(fmt::format("{} with --baseline: DVID's POST /raw writes scale 0 only",
                                 args.where("scale")));
  const auto volume = args.text("volume", "synthetic");
  if (volume != "synthetic" && volume != "fixtures")
    throw UsageError(
        fmt::format("{} expects synthetic or fixtures, got '{}'", args.where("volume"), volume));
  scenario.volume = volume == "synthetic" ? VolumeSource::synthetic : VolumeSource::fixtures;
  if (args.has("fixtures") && scenario.volume != VolumeSource::fixtures)
    throw UsageError(args.where("fixtures") + " needs --volume fixtures");
  return scenario;
}

std::optional<VolumeType> type_option(const Arguments& args) {
  const auto name = args.text("type");
  if (!name) return std::nullopt;
  const auto type = volume_type_named(*name);
  if (!type)
    throw UsageError(fmt::format("{} expects uint8blk, labelblk, labelarray or labelmap, got '{}'",
                                 args.where("type"), *name));
  return type;
}

// Labels travel lz4-compressed unless asked otherwise; grayscale raw (the seed's defaults).
void settle_type(BenchScenario& scenario, VolumeType type, const Arguments& args) {
  check_label_options(args, type, scenario.instance);
  if (scenario.volume == VolumeSource::fixtures && !is_label_type(type))
    throw UsageError(fmt::format("{} fixtures holds labels; '{}' is a {}", args.where("volume"),
                                 scenario.instance, type_name(type)));
  scenario.type = type;
  scenario.switches.compress = on_off_option(args, "compress", is_label_type(type));
}

// The voxels to write: synthetic, or tiled from the fixtures in --fixtures DIR (default:
// default_fixtures_directory()).
VoxelBuffer bench_volume(const BenchScenario& scenario, const Arguments& args) {
  VoxelBuffer voxels(volume_bytes(scenario.type, scenario.shape));
  if (scenario.volume == VolumeSource::synthetic) {
    fill_synthetic_volume(scenario.type, scenario.shape, scenario.offset, voxels.bytes());
    return voxels;
  }
  const std::filesystem::path directory =
      args.text("fixtures", default_fixtures_directory().string());
  if (directory.empty())
    throw UsageError(
        "--volume fixtures: no ../shared/fixtures/dvid above the source tree or the executable; "
        "give --fixtures DIR");
  fill_fixture_volume(load_fixture_volumes(directory), scenario.shape, scenario.offset,
                      voxels.bytes());
  return voxels;
}

// Starts the embedded server, creates a repo and the instance, writes the volume a GET will read,
// and only then turns on the emulated network so the setup runs at loopback speed.
std::unique_ptr<server::EmbeddedServer> start_embedded(BenchScenario& scenario,
                                                       const VoxelBuffer& voxels,
                                                       const server::FaultConfig& network) {
  auto embedded = std::make_unique<server::EmbeddedServer>();
  scenario.server = embedded->url();
  ServerService server(scenario.server, "anonymous", "dvidxfer-bench");
  scenario.uuid = server.create_new_repo("dvidxfer bench", "volume benchmark");
  NodeService node(scenario.server, scenario.uuid, "anonymous", "dvidxfer-bench");
  create_volume_instance(node, scenario.instance, scenario.type);
  if (scenario.operation == BenchOperation::get)
    put_volume(node, scenario.instance, scenario.type, scenario.shape, scenario.offset,
               voxels.bytes(), scenario.switches, {});
  embedded->set_faults(network);
  return embedded;
}

}  // namespace

int run_bench(int argc, char** argv, int first) {
  auto flags = label_flag_names();
  flags.insert(flags.end(), {"embedded", "baseline", "json"});
  Arguments args(argc, argv, first, flags);
  apply_config_file(args);
  std::vector<std::string> known = {
      "embedded",  "baseline",    "json",        "op",       "type",     "shape",
      "offset",    "concurrency", "chunk-bytes", "compress", "throttle", "latency-ms",
      "bandwidth", "config",      "repetitions", "volume",   "fixtures"};
  known.insert(known.end(), client_option_names().begin(), client_option_names().end());
  for (const bool put : {false, true})
    known.insert(known.end(), label_option_names(put).begin(), label_option_names(put).end());
  args.allow_only(known);
  auto scenario = parse_scenario(args);
  const bool embedded = args.has("embedded");
  const auto& words = args.positional();
  std::unique_ptr<server::EmbeddedServer> server;
  std::optional<VoxelBuffer> voxels;

  if (embedded) {
    if (!words.empty())
      throw UsageError("--embedded starts its own server: give no SERVER UUID INSTANCE");
    server::FaultConfig network;
    network.latency = std::chrono::milliseconds(args.integer("latency-ms", 0));
    network.bandwidth_bytes_per_second = args.bytes("bandwidth", 0);
    if (network.latency.count() < 0)
      throw UsageError(args.where("latency-ms") + " must not be negative");
    scenario.instance = "bench";
    settle_type(scenario, type_option(args).value_or(VolumeType::labelblk), args);
    voxels.emplace(bench_volume(scenario, args));
    server = start_embedded(scenario, *voxels, network);
    scenario.emulated_network = server->faults();
    scenario.server_in_process = true;
  } else {
    if (words.size() != 3) throw UsageError("expects SERVER UUID INSTANCE (or --embedded)");
    if (args.has("latency-ms") || args.has("bandwidth"))
      throw UsageError(fmt::format("{} and {} emulate a network on --embedded only",
                                   args.where("latency-ms"), args.where("bandwidth")));
    scenario.server = words[0];
    scenario.uuid = words[1];
    scenario.instance = words[2];
    NodeService node(scenario.server, scenario.uuid, "anonymous", "dvidxfer-bench", "", 0,
                     scenario.client);
    const auto type = instance_volume_type(node, scenario.instance);
    if (const auto asked = type_option(args); asked && *asked != type)
      throw UsageError(fmt::format("{} {} but instance '{}' is a {}", args.where("type"),
                                   type_name(*asked), scenario.instance, type_name(type)));
    settle_type(scenario, type, args);
    if (scenario.operation == BenchOperation::put) {
      voxels.emplace(bench_volume(scenario, args));
    } else {
      if (args.has("volume"))
        throw UsageError(args.where("volume") +
                         " is what --embedded or a PUT writes; a GET of SERVER UUID INSTANCE "
                         "reads what the instance holds");
      scenario.volume = VolumeSource::stored;
    }
  }

  const auto result = run_scenario(scenario, voxels ? &*voxels : nullptr);
  fmt::print("{}", args.has("json") ? bench_json(result) : bench_table(result));
  if (server) server->stop();
  for (const auto& mode : result.modes)
    if (summarize(mode).errors != 0) return 1;
  return 0;
}

}  // namespace dvidxfer::cli
