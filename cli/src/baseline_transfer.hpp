// The baseline: a volume moved the way libdvid-cpp moves it (libdvid-notes §6), so every bench
// report carries its own reference from the same run. ONE request for the whole box on the node's
// connection; the whole answer is accumulated in one std::string, then lz4-decoded into a second
// buffer; a PUT lz4-compresses the whole volume into a string first, then sends one POST.
// Grayscale travels raw in both directions (libdvid's default; DVID's uint8blk raw endpoint has no
// lz4 either way). labelarray and labelmap go the same way, dense through /raw (DVID decodes or
// encodes every block), as libdvid's get_labels3D and put_labels3D send them; POST /raw writes
// scale 0 only.
#pragma once

#include <span>
#include <string>

#include "dvidxfer/node_service.hpp"
#include "volume_type.hpp"

namespace dvidxfer::cli {

struct BaselineSwitches {
  bool throttle = false;
  bool compress = true;      // lz4 on the wire (labels only)
  bool mutate = false;       // PUT
  int scale = 0;             // labelarray/labelmap GET: scale=N
  bool supervoxels = false;  // labelmap GET: supervoxels=true
};

// What one baseline call did: its single request's duration and body size.
struct BaselineExchange {
  double request_ms = 0;
  std::uint64_t wire_bytes = 0;
};

// The box's voxels (z-y-x), as libdvid returns them: a fresh std::string.
std::string baseline_get(NodeService& node, const std::string& instance, VolumeType type,
                         Shape3 shape_zyx, Point3 offset_zyx, const BaselineSwitches& switches,
                         BaselineExchange& exchange);

void baseline_put(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape_zyx,
                  Point3 offset_zyx, std::span<const char> voxels, const BaselineSwitches& switches,
                  BaselineExchange& exchange);

}  // namespace dvidxfer::cli
