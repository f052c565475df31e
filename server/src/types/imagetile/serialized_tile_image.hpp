// DVID's internal form of an lz4-format imagetile tile: a dvid.Image (data format, image kind,
// stride, width, height, pixels) serialized with DVID's storage framing (a format byte with the
// compression and checksum, an optional CRC32, then the LZ4 value). Only 8-bit gray images.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "types/imagetile/tile_decoding.hpp"

namespace dvidxfer::server {

// dvid.Image.Serialize with LZ4 compression, as DVID's tile generation stored lz4 tiles.
std::string serialize_gray8_tile(std::string_view pixels, std::size_t width, std::size_t height,
                                 bool crc32);

// dvid.Image.Deserialize of an uncompressed or LZ4 value holding an 8-bit gray image; nullopt
// for anything else or a damaged value.
std::optional<Gray8Image> deserialize_gray8_tile(std::string_view value);

}  // namespace dvidxfer::server
