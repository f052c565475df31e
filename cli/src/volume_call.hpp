// One volume GET or PUT through NodeService, for any volume type, on raw bytes: the get, put and
// bench commands share it so they move voxels exactly the same way.
#pragma once

#include <span>
#include <string>

#include "dvidxfer/node_service.hpp"
#include "volume_type.hpp"

namespace dvidxfer::cli {

// The seed's per-call switches, with the command line's defaults, and the labelarray/labelmap
// options (scale, supervoxels, wire; downres, noindexing, ingest), defaults valid for every type.
struct VolumeSwitches {
  bool throttle = false;  // the CLI runs at full speed unless asked to be polite (see usage)
  bool compress = true;   // lz4 for labels; stored lz4 blocks (subvolblocks) for grayscale GETs
  std::string roi;        // GET: voxels outside the ROI read as 0; labelblk PUT: skips blocks
  bool mutate = false;    // PUT only (labelblk)
  LabelReadOptions label_read;
  LabelWriteOptions label_write;
};

// Creates a `type` instance named `instance` with the seed's default blocks (32^3; 64^3 for
// labelarray and labelmap); false if it existed.
bool create_volume_instance(NodeService& node, const std::string& instance, VolumeType type);

// `bytes` holds shape voxels of the type (uint64 ones 8-byte aligned, little-endian).
void get_volume(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape_zyx,
                Point3 offset_zyx, std::span<char> bytes, const VolumeSwitches& switches,
                const TransferOptions& options);
void put_volume(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape_zyx,
                Point3 offset_zyx, std::span<const char> bytes, const VolumeSwitches& switches,
                const TransferOptions& options);

}  // namespace dvidxfer::cli
