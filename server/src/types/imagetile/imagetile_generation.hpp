// Server-side tile generation from a uint8blk volume: a dvidxfer extension (DVID generated tiles
// with its "generate" command-line RPC, datatype/imagetile ConstructTiles). It follows DVID's
// algorithm: every slice of the source's extents along the plane's normal is read over a region
// aligned to the coarsest level's tiles, cut into tiles, then halved (each pixel the truncated
// mean of a 2x2 block, as DVID's interpolate1x8 does at an exact factor 2) for the next scale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "types/imagetile/imagetile_keys.hpp"

namespace dvidxfer::server {

// The JSON body of POST .../generate, every member optional:
// {"planes":["xy","xz","yz"], "scales":N, "tilesize":512, "format":"png"|"jpg", "quality":1-100,
//  "bounds":{"MinPoint":[x,y,z],"MaxPoint":[x,y,z]}}
struct TileGenerationSettings {
  std::vector<TilePlane> planes{TilePlane::xy, TilePlane::xz, TilePlane::yz};
  std::optional<std::size_t> scales;
  std::int32_t tile_size = 512;  // only used when the instance has no metadata yet
  std::optional<std::string> format;
  std::optional<int> quality;
  std::optional<Box> bounds;  // replaces the source's extents
};

// Throws DvidError for a body that is not such an object.
TileGenerationSettings parse_generation_settings(std::string_view body);

// An 8-bit image at half the width and height (both even): each pixel the truncated mean of the
// 2x2 block it covers.
std::string halve_gray8(std::string_view pixels, std::size_t width, std::size_t height);

// The box to tile: `volume` grown in every axis to multiples of each level's tile size at that
// level's scale, so every scale's image splits into whole tiles.
Box tiled_region(const Box& volume, const std::vector<Point3>& tile_sizes);

// Reads voxels of a box (ZYX, X fastest; unwritten voxels 0).
using ReadVoxels = std::function<std::string(const Box& box)>;
// Receives one tile's pixels (width x height, rows top to bottom); called from several threads.
using StoreTile = std::function<void(const TileAddress& address, std::string_view pixels,
                                     std::size_t width, std::size_t height)>;

// Generates the tiles of `plane` at scales 0..tile_sizes.size()-1 for every slice of `volume`
// along the plane's normal, over `region` (from tiled_region). Reads `band` slices at a time.
// Returns how many tiles were stored.
std::size_t generate_plane_tiles(TilePlane plane, const Box& volume, const Box& region,
                                 const std::vector<Point3>& tile_sizes, std::int32_t band,
                                 const ReadVoxels& read, const StoreTile& store);

}  // namespace dvidxfer::server
