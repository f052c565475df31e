// The one place where the API's (z, y, x) order becomes DVID's x_y_z URL order.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>

namespace dvidxfer::api {

// "x_y_z" for a (z, y, x) triple: sizes as nx_ny_nz, offsets and points as x_y_z.
inline std::string dvid_xyz(const std::array<std::int64_t, 3>& zyx) {
  return fmt::format("{}_{}_{}", zyx[2], zyx[1], zyx[0]);
}

// "[x,y,z]" (a JSON point as DVID's bodies carry them) for a (z, y, x) point.
inline std::string dvid_xyz_json(const std::array<std::int64_t, 3>& zyx) {
  return fmt::format("[{},{},{}]", zyx[2], zyx[1], zyx[0]);
}

// "x,y,z" (a block in DVID's comma-separated lists, e.g. specificblocks?blocks=) for (z, y, x).
inline std::string dvid_xyz_csv(const std::array<std::int64_t, 3>& zyx) {
  return fmt::format("{},{},{}", zyx[2], zyx[1], zyx[0]);
}

// Reads DVID's [x, y, z] as (z, y, x).
inline std::array<std::int64_t, 3> zyx_from_dvid(std::int64_t x, std::int64_t y, std::int64_t z) {
  return {z, y, x};
}

}  // namespace dvidxfer::api
