// The body of labelmap/labelarray POST /blocks and POST /ingest-supervoxels (dvid-api.md 5.5):
// block records whose payloads are gzip'd DVID label Blocks, checked before anything is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::server {

// A record whose payload gunzips to a valid Block of the instance's block size.
struct PostedBlock {
  Point3 coord;
  std::string_view gzip;    // the payload, a view into the body
  std::uint64_t max_label;  // the largest entry of the Block's label list
};

struct PostedBlocks {
  std::vector<PostedBlock> blocks;   // the good records before the first bad one, in body order
  std::optional<std::string> error;  // why the first bad record is refused (DVID's text)
};

// Splits and checks `body`. Payloads are checked in parallel; as in DVID, everything before the
// first bad record is good to store and nothing from it onward. `data_name` is the instance's.
PostedBlocks parse_posted_blocks(std::string_view body, codecs::LabelBlockShape shape,
                                 const std::string& data_name);

}  // namespace dvidxfer::server
