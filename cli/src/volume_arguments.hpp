// The options shared by the volume commands (get, put, bench): (z,y,x) triples, on/off switches,
// counts and byte sizes that may be "auto". Problems throw UsageError naming the option.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "arguments.hpp"
#include "volume_call.hpp"
#include "volume_type.hpp"

namespace dvidxfer::cli {

// "--shape 64,128,256": three integers in (z, y, x) order; std::nullopt when absent.
std::optional<std::array<std::int64_t, 3>> zyx_option(const Arguments& args,
                                                      const std::string& name);

// "--compress on|off"; `fallback` when absent.
bool on_off_option(const Arguments& args, const std::string& name, bool fallback);

// A positive count, or 0 for "auto" (and when absent): the library then chooses.
std::size_t count_or_auto(const Arguments& args, const std::string& name);

// A byte size (100M, 64Mi...), or 0 for "auto" (and when absent).
std::uint64_t bytes_or_auto(const Arguments& args, const std::string& name);

// The labelarray/labelmap options: --scale N; for reads --supervoxels and --wire blocks|raw; for
// writes --downres, --noindexing and --ingest. `put` picks the write set; the names go to
// allow_only, the flags among them to Arguments' flag list.
const std::vector<std::string>& label_option_names(bool put);
const std::vector<std::string>& label_flag_names();

// Reads those options into `switches` (read and write options alike carry --scale); an option of
// the other direction is refused.
void read_label_options(const Arguments& args, bool put, VolumeSwitches& switches);

// Refuses (UsageError) label options given for an instance `type` without label blocks.
void check_label_options(const Arguments& args, VolumeType type, const std::string& instance);

}  // namespace dvidxfer::cli
