#include "volume_arguments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace dvidxfer::cli {

std::optional<std::array<std::int64_t, 3>> zyx_option(const Arguments& args,
                                                      const std::string& name) {
  const auto value = args.text(name);
  if (!value) return std::nullopt;
  std::array<std::int64_t, 3> zyx{};
  const char* cursor = value->data();
  const char* const end = cursor + value->size();
  for (int axis = 0; axis < 3; ++axis) {
    const auto [next, ec] = std::from_chars(cursor, end, zyx[axis]);
    const bool separator_ok = axis < 2 ? (next != end && *next == ',') : next == end;
    if (ec != std::errc() || next == cursor || !separator_ok)
      throw UsageError(fmt::format("{} expects three integers z,y,x (e.g. 64,64,64), got '{}'",
                                   args.where(name), *value));
    cursor = next + 1;
  }
  return zyx;
}

bool on_off_option(const Arguments& args, const std::string& name, bool fallback) {
  const auto value = args.text(name);
  if (!value) return fallback;
  if (*value == "on") return true;
  if (*value == "off") return false;
  throw UsageError(fmt::format("{} expects on or off, got '{}'", args.where(name), *value));
}

std::size_t count_or_auto(const Arguments& args, const std::string& name) {
  if (args.text(name, "auto") == "auto") return 0;
  const auto count = args.integer(name, 0);
  if (count <= 0) throw UsageError(fmt::format("{} must be positive or auto", args.where(name)));
  return static_cast<std::size_t>(count);
}

std::uint64_t bytes_or_auto(const Arguments& args, const std::string& name) {
  if (args.text(name, "auto") == "auto") return 0;
  const auto bytes = args.bytes(name, 0);
  if (bytes == 0) throw UsageError(fmt::format("{} must be positive or auto", args.where(name)));
  return bytes;
}

const std::vector<std::string>& label_option_names(bool put) {
  static const std::vector<std::string> read = {"scale", "supervoxels", "wire"};
  static const std::vector<std::string> write = {"scale", "downres", "noindexing", "ingest"};
  return put ? write : read;
}

const std::vector<std::string>& label_flag_names() {
  static const std::vector<std::string> flags = {"supervoxels", "downres", "noindexing", "ingest"};
  return flags;
}

void read_label_options(const Arguments& args, bool put, VolumeSwitches& switches) {
  const auto& mine = label_option_names(put);
  for (const auto& name : label_option_names(!put))
    if (args.has(name) && std::find(mine.begin(), mine.end(), name) == mine.end())
      throw UsageError(
          fmt::format("{} is for {} only", args.where(name), put ? "reads" : "writes"));
  // DVID parses scale as a uint8 and wraps past 255; refuse what it would misread.
  const auto scale = args.integer("scale", 0);
  if (scale < 0 || scale > 255)
    throw UsageError(fmt::format("{} must be in 0..255, got {}", args.where("scale"), scale));
  switches.label_read.scale = switches.label_write.scale = static_cast<int>(scale);
  switches.label_read.supervoxels = args.has("supervoxels");
  if (put) {
    switches.label_write.downres = args.has("downres");
    switches.label_write.noindexing = args.has("noindexing");
    switches.label_write.ingest_supervoxels = args.has("ingest");
    return;
  }
  const auto wire = args.text("wire", "blocks");
  if (wire != "blocks" && wire != "raw")
    throw UsageError(fmt::format("{} expects blocks or raw, got '{}'", args.where("wire"), wire));
  switches.label_read.wire = wire == "blocks" ? LabelWire::stored_blocks : LabelWire::raw;
}

void check_label_options(const Arguments& args, VolumeType type, const std::string& instance) {
  if (has_label_blocks(type)) return;
  for (const auto* names : {&label_option_names(false), &label_option_names(true)})
    for (const auto& name : *names)
      if (args.has(name))
        throw UsageError(fmt::format("{} is for labelarray and labelmap instances; '{}' is a {}",
                                     args.where(name), instance, type_name(type)));
}

}  // namespace dvidxfer::cli
