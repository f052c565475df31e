// DVID's small JSON answers decoded into API values: keys lists, an instance's block size from its
// info (typeinfo), its type name, labels at points, ROI partitions, ptquery results and a new
// repo's root uuid. Pure functions on a parsed document; each throws DecodeError naming `url` when
// the JSON does not have the shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dvidxfer/json_document.hpp"
#include "dvidxfer/roi.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::api {

// A JSON array of strings (GET .../keys, .../keyrange).
std::vector<std::string> decode_string_list(const JsonDocument& document, const std::string& url);

// Extended.BlockSize [x, y, z] of an instance's info, as (z, y, x); each side a positive integer.
Shape3 decode_block_size(const JsonDocument& info, const std::string& instance,
                         const std::string& url);

// Base.TypeName of an instance's info ("uint8blk", "labelmap", ...).
// Extended.MaxDownresLevel of a labelmap or labelarray's info; 0 when absent (other types).
int decode_max_downres_level(const JsonDocument& info);

std::string decode_type_name(const JsonDocument& info, const std::string& instance,
                             const std::string& url);

// A JSON array of `count` unsigned labels (GET .../labels).
std::vector<std::uint64_t> decode_label_list(const JsonDocument& document, std::size_t count,
                                             const std::string& url);

// A partition's Subvolumes[].MinPoint ([x, y, z] voxels) as substacks of `substack_voxels`,
// sorted, and NumActiveBlocks / NumTotalBlocks as the packing factor.
RoiPartition decode_roi_partition(const JsonDocument& document, std::int64_t substack_voxels,
                                  const std::string& url);

// One bool per point asked; `count` answers exactly.
std::vector<bool> decode_ptquery(const JsonDocument& document, std::size_t count,
                                 const std::string& url);

// The "root" uuid of POST /api/repos.
std::string decode_repo_root(const JsonDocument& document, const std::string& url);

}  // namespace dvidxfer::api
