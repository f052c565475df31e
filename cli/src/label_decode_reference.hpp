// The yardstick for a labelarray/labelmap GET's client CPU: the box's stored blocks fetched once
// (GET /blocks?compression=blocks) and then gunzipped and decoded into a fresh buffer on ONE
// thread with the codec the client uses (decode_gzip_label_block_into). A GET that spends no more
// CPU per GiB than this does nothing but the unavoidable decoding.
#pragma once

#include <cstdint>
#include <string>

#include "dvidxfer/node_service.hpp"
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
// does) at the scale and supervoxels setting of `read`. Throws dvidxfer::Error when the fetch
// fails or a block does not decode.
DecodeReference measure_decode_reference(NodeService& node, const std::string& instance,
                                         Shape3 shape_zyx, Point3 offset_zyx,
                                         const LabelReadOptions& read, const VoxelBuffer* expected);

}  // namespace dvidxfer::cli
