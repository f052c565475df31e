// Where an imagetile tile lives: its plane, scale and tile coordinate (datatype/imagetile/keys.go),
// parsed from a tile URL and turned into DVID's type-specific key, which is also this server's
// store key for the tile.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "store/versioned_store.hpp"

namespace dvidxfer::server {

enum class TilePlane { xy, xz, yz };

// The axes (0 = x, 1 = y, 2 = z) a plane's images span across and down, and the one normal to it.
struct PlaneAxes {
  int across;
  int down;
  int normal;
};
PlaneAxes axes_of(TilePlane plane);
std::string_view plane_name(TilePlane plane);  // "xy", "xz", "yz"

// A plane from a URL or request ("xy", "0_1", any case); throws DvidError with DVID's shape text.
TilePlane parse_tile_plane(std::string_view text);

struct TileAddress {
  TilePlane plane = TilePlane::xy;
  std::uint8_t scale = 0;
  // Tile indices in the scale's pixel grid along the plane's axes; the normal axis holds the
  // full-resolution voxel coordinate of the slice (dvid-api.md 7.2).
  Point3 coord;

  // DVID's TKey: the 7-byte DataShape, the scale, the legacy byte 3, then z, y, x as ordered
  // big-endian int32.
  std::string tkey() const;
  // DVID's full storage key of the tile at a version, as GET .../tilekey reports it.
  std::string storage_key(InstanceId instance, VersionId version) const;
};

// The plane/scale/coordinate segments after "tile" or "tilekey" (parts 4..6 of the path), with
// DVID's ParseTileReq texts.
TileAddress parse_tile_address(const std::vector<std::string>& parts);

}  // namespace dvidxfer::server
