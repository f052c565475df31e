// The CLI's one place where (z, y, x) becomes DVID's x_y_z URL order (as api/ does for the
// library): sizes as nx_ny_nz, offsets as x_y_z.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>

namespace dvidxfer::cli {

inline std::string dvid_xyz(const std::array<std::int64_t, 3>& zyx) {
  return fmt::format("{}_{}_{}", zyx[2], zyx[1], zyx[0]);
}

}  // namespace dvidxfer::cli
