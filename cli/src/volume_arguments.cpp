#include "volume_arguments.hpp"

#include <fmt/format.h>

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

}  // namespace dvidxfer::cli
