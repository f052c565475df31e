// An imagetile's tile specification (datatype/imagetile: metadataJSON, TileSpec): the tile
// coordinate extents and, per scale level, the resolution and tile size. DVID keeps it in the
// instance's properties, not per version, and so does this server.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/voxel_geometry.hpp"

namespace dvidxfer::server {

struct TileLevel {
  std::vector<float> resolution;  // dvid.NdFloat32: any length, normally 3
  Point3 tile_size;               // voxels along x, y, z
};

struct TileMetadata {
  Point3 min_tile_coord;
  Point3 max_tile_coord;
  std::vector<TileLevel> levels;  // index = scale level; empty until metadata is set

  // {"MinTileCoord":[...],"MaxTileCoord":[...],"Levels":{...}} as GET .../metadata answers.
  std::string json() const;
  // The "Levels" object: level keys in Go's map order (sorted as strings).
  std::string levels_json() const;
};

// Decodes a POST .../metadata body and checks the levels as DVID's parseTileSpec does: keys
// "0".."L-1", each resolution an integral multiple (>= 1) of the previous level's. Throws
// DvidError with DVID's texts.
TileMetadata parse_tile_metadata(std::string_view body);

// The magnification (>= 1 per axis) from level `scale` to level `scale + 1`.
std::array<std::int32_t, 3> level_magnification(const TileMetadata& metadata, std::size_t scale);

}  // namespace dvidxfer::server
