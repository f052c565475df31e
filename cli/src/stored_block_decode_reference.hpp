// The yardstick for the client CPU of a GET over stored blocks: the box's stored blocks fetched
// once and then decoded into a fresh buffer on ONE thread with the codecs the client uses:
// labelarray/labelmap gzip'd label Blocks (GET /blocks?compression=blocks,
// decode_gzip_label_block_into), or uint8blk blocks as stored (GET /subvolblocks: JPEG through
// libjpeg-turbo, or DVID lz4 values). A GET that spends no more CPU per GiB than this does
// nothing but the unavoidable decoding.
#pragma once

#include <cstdint>
#include <string>

#include "dvidxfer/node_service.hpp"
#include "volume_type.hpp"
#include "voxel_buffer.hpp"

namespace dvidxfer::cli {

struct DecodeReference {
  std::uint64_t blocks = 0;        // stored blocks received
  std::uint64_t stored_bytes = 0;  // their gzip'd payloads
  std::uint64_t voxel_bytes = 0;   // the box's dense bytes
  // The single-threaded gunzip + decode (+ zeros for absent blocks): the thread's CPU time, which
  // other processes on the machine do not inflate as they do its wall time.
  double cpu_seconds = 0;
  double wall_seconds = 0;
  bool matches = true;  // the decoded box equals `expected` (true when none was given)

  // CPU seconds per GiB of the box.
  double seconds_per_gib() const;
};

// Measures the reference for the box (any alignment: edge blocks are cropped, as the client
// does) of an instance of `type` (uint8blk, labelarray or labelmap), for labels at the scale and
// supervoxels setting of `read`. Throws dvidxfer::Error when the fetch fails or a block does not
// decode.
DecodeReference measure_decode_reference(NodeService& node, const std::string& instance,
                                         VolumeType type, Shape3 shape_zyx, Point3 offset_zyx,
                                         const LabelReadOptions& read, const VoxelBuffer* expected);

}  // namespace dvidxfer::cli
