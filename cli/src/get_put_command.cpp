// dvidxfer get / put: one box of a uint8blk, labelblk, labelarray or labelmap instance to or from a
// file of raw z-y-x voxels (uint8, or uint64 little-endian for labels), at full speed through the
// chunk engine.
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "arguments.hpp"
#include "client_arguments.hpp"
#include "commands.hpp"
#include "config_file.hpp"
#include "dvidxfer/errors.hpp"
#include "progress_bar.hpp"
#include "volume_arguments.hpp"
#include "volume_call.hpp"
#include "voxel_buffer.hpp"

namespace dvidxfer::cli {

namespace {

struct VolumeCommand {
  std::string server;
  std::string uuid;
  std::string instance;
  Shape3 shape{};
  Point3 offset{};
  std::string file;
  VolumeSwitches switches;
  bool compress_given = false;
  TransferOptions options;
  ClientOptions client;
};

VolumeCommand parse_volume_command(const Arguments& args, bool put) {
  std::vector<std::string> known = {"shape",    "offset",      "file",        "throttle",
                                    "compress", "concurrency", "chunk-bytes", "config"};
  known.push_back(put ? "mutate" : "roi");
  known.insert(known.end(), label_option_names(put).begin(), label_option_names(put).end());
  known.insert(known.end(), client_option_names().begin(), client_option_names().end());
  args.allow_only(known);
  const auto& words = args.positional();
  if (words.size() != 3)
    throw UsageError(fmt::format("expects SERVER UUID INSTANCE, got {} arguments", words.size()));
  VolumeCommand command;
  command.server = words[0];
  command.uuid = words[1];
  command.instance = words[2];
  const auto shape = zyx_option(args, "shape");
  if (!shape) throw UsageError("--shape z,y,x is required");
  command.shape = *shape;
  for (const auto size : command.shape)
    if (size <= 0) throw UsageError(args.where("shape") + " sizes must be positive");
  command.offset = zyx_option(args, "offset").value_or(Point3{0, 0, 0});
  command.file = args.text("file", "");
  if (command.file.empty()) throw UsageError("--file F is required");
  command.switches.throttle = on_off_option(args, "throttle", false);
  command.compress_given = args.has("compress");
  command.switches.compress = on_off_option(args, "compress", true);
  command.switches.roi = args.text("roi", "");
  command.switches.mutate = args.has("mutate");
  const auto concurrency = count_or_auto(args, "concurrency");
  command.client = client_options(args, concurrency);
  command.options.max_in_flight = concurrency;
  command.options.chunk_bytes = bytes_or_auto(args, "chunk-bytes");
  read_label_options(args, put, command.switches);
  return command;
}

// Labels travel lz4-compressed by default; grayscale raw (as the seed's defaults).
void apply_type_defaults(const Arguments& args, VolumeCommand& command, VolumeType type) {
  check_label_options(args, type, command.instance);
  if (!command.compress_given) command.switches.compress = is_label_type(type);
}

void print_summary(const char* verb, const VolumeCommand& command, VolumeType type,
                   std::uint64_t bytes, std::chrono::duration<double> elapsed) {
  const int scale = command.switches.label_read.scale;
  fmt::print(
      "{} {} bytes of {} '{}' (shape z,y,x {},{},{} at {},{},{}{}) in {:.2f} s: {:.0f} MB/s\n",
      verb, bytes, type_name(type), command.instance, command.shape[0], command.shape[1],
      command.shape[2], command.offset[0], command.offset[1], command.offset[2],
      scale == 0 ? "" : fmt::format(", scale {}", scale), elapsed.count(),
      static_cast<double>(bytes) / 1e6 / elapsed.count());
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_file(const std::string& path, const char* mode) {
  File file(std::fopen(path.c_str(), mode));
  if (!file) throw Error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  return file;
}

}  // namespace

int run_get(int argc, char** argv, int first) {
  Arguments args(argc, argv, first, label_flag_names());
  apply_config_file(args);
  auto command = parse_volume_command(args, false);
  NodeService node(command.server, command.uuid, "anonymous", "dvidxfer", "", 0, command.client);
  const auto type = instance_volume_type(node, command.instance);
  apply_type_defaults(args, command, type);

  // Opened first so an unwritable path fails before the transfer; removed if the transfer fails
  // so that no partial volume is left looking like a result.
  auto file = open_file(command.file, "wb");
  VoxelBuffer buffer(volume_bytes(type, command.shape));
  ProgressBar bar("get");
  command.options.progress = bar.callback();
  const auto started = std::chrono::steady_clock::now();
  try {
    get_volume(node, command.instance, type, command.shape, command.offset, buffer.bytes(),
               command.switches, command.options);
    if (std::fwrite(buffer.data(), 1, buffer.size(), file.get()) != buffer.size() ||
        std::fflush(file.get()) != 0)
      throw Error(fmt::format("cannot write '{}': {}", command.file, std::strerror(errno)));
  } catch (...) {
    bar.finish();
    file.reset();
    std::filesystem::remove(command.file);
    throw;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  bar.finish();
  print_summary("got", command, type, buffer.size(), elapsed);
  return 0;
}

int run_put(int argc, char** argv, int first) {
  auto flags = label_flag_names();
  flags.push_back("mutate");
  Arguments args(argc, argv, first, flags);
  apply_config_file(args);
  auto command = parse_volume_command(args, true);
  NodeService node(command.server, command.uuid, "anonymous", "dvidxfer", "", 0, command.client);
  const auto type = instance_volume_type(node, command.instance);
  apply_type_defaults(args, command, type);

  // A file that does not match the shape is refused before anything is sent.
  const auto expected = volume_bytes(type, command.shape);
  std::error_code error;
  const auto actual = std::filesystem::file_size(command.file, error);
  if (error) throw UsageError(fmt::format("--file '{}': {}", command.file, error.message()));
  if (actual != expected)
    throw UsageError(fmt::format(
        "--file '{}' has {} bytes but shape z,y,x {},{},{} of {} ({} byte{} per voxel) needs {}",
        command.file, actual, command.shape[0], command.shape[1], command.shape[2], type_name(type),
        voxel_bytes(type), voxel_bytes(type) == 1 ? "" : "s", expected));

  VoxelBuffer buffer(expected);
  auto file = open_file(command.file, "rb");
  if (std::fread(buffer.data(), 1, buffer.size(), file.get()) != buffer.size())
    throw Error(fmt::format("cannot read '{}': {}", command.file, std::strerror(errno)));
  ProgressBar bar("put");
  command.options.progress = bar.callback();
  const auto started = std::chrono::steady_clock::now();
  put_volume(node, command.instance, type, command.shape, command.offset, buffer.bytes(),
             command.switches, command.options);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  bar.finish();
  print_summary("put", command, type, buffer.size(), elapsed);
  return 0;
}

}  // namespace dvidxfer::cli
