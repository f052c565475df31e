// What the load test writes: every keyvalue value and every voxel is a function of (client, write
// sequence number, where), so a read shows which write it came from and whether each byte is
// right. Sequence number 0 stands for "never written" (no key; voxels 0).
#pragma once

#include <cstdint>
#include <string>

#include "dvidxfer/volume.hpp"

namespace dvidxfer::load {

// The keyvalue key `index` of `client`: "c<client>-k<index>", zero-padded so that byte order is
// numeric order.
std::string kv_key(int client, int index);

// The value write `seq` (> 0) of `client` puts at its key `index`: a header naming the three,
// then bytes that depend on all of them. Most values are a few hundred bytes, some tens of KiB.
std::string kv_value(int client, int index, std::uint64_t seq);

// The sequence number in a value's header, or 0 when it has none (diagnostics only).
std::uint64_t kv_value_seq(const std::string& value);

// The grayscale voxel at global (z, y, x) after write `seq` of `client` (0 when seq is 0).
std::uint8_t gray_voxel(int client, std::uint64_t seq, const Point3& point_zyx);

// The label at global (z, y, x) after write `seq` of `client` (0 when seq is 0): the client and
// seq in the high bits, a few hundred distinct labels per block in the low ones.
std::uint64_t label_voxel(int client, std::uint64_t seq, const Point3& point_zyx);

}  // namespace dvidxfer::load
