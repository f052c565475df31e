// A deliberately plain model of DVID's 2x label down-resolution over a whole volume, kept apart
// from server/src/types/labelmap/label_downres.cpp so tests can check one against the other (and
// the server's stored scale-1/scale-2 blocks against both).
//
// Rule (DVID datatype/common/labels/compressed.go, downresArray / DownresLabels): each output
// voxel is the non-zero label occurring most often in its 2x2x2 input cell, the smallest such
// label on a tie, and 0 only if the whole cell is 0.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <vector>

namespace dvidxfer::testing {

// `volume` is shape_zyx[0] * shape_zyx[1] * shape_zyx[2] labels, z-y-x order (x fastest); every
// side must be even. Returns the half-size volume, same order.
inline std::vector<std::uint64_t> reference_downres_volume(std::span<const std::uint64_t> volume,
                                                           std::array<std::int64_t, 3> shape_zyx) {
  const std::int64_t nz = shape_zyx[0], ny = shape_zyx[1], nx = shape_zyx[2];
  if (nz <= 0 || ny <= 0 || nx <= 0 || nz % 2 || ny % 2 || nx % 2) {
    throw std::invalid_argument("reference_downres_volume: sides must be even and positive");
  }
  if (static_cast<std::int64_t>(volume.size()) != nz * ny * nx) {
    throw std::invalid_argument("reference_downres_volume: volume size does not match its shape");
  }
  const std::int64_t lz = nz / 2, ly = ny / 2, lx = nx / 2;
  std::vector<std::uint64_t> lores(static_cast<std::size_t>(lz * ly * lx));

  auto at = [&](std::int64_t z, std::int64_t y, std::int64_t x) {
    return volume[static_cast<std::size_t>((z * ny + y) * nx + x)];
  };

  for (std::int64_t oz = 0; oz < lz; ++oz) {
    for (std::int64_t oy = 0; oy < ly; ++oy) {
      for (std::int64_t ox = 0; ox < lx; ++ox) {
        // An ordered map iterates labels ascending, so the first label reaching the top count is
        // the smallest one among a tie.
        std::map<std::uint64_t, int> counts;
        for (std::int64_t dz = 0; dz < 2; ++dz) {
          for (std::int64_t dy = 0; dy < 2; ++dy) {
            for (std::int64_t dx = 0; dx < 2; ++dx) {
              const std::uint64_t label = at(2 * oz + dz, 2 * oy + dy, 2 * ox + dx);
              if (label != 0) ++counts[label];
            }
          }
        }
        std::uint64_t winner = 0;
        int best = 0;
        for (const auto& [label, count] : counts) {
          if (count > best) {
            best = count;
            winner = label;
          }
        }
        lores[static_cast<std::size_t>((oz * ly + oy) * lx + ox)] = winner;
      }
    }
  }
  return lores;
}

}  // namespace dvidxfer::testing
