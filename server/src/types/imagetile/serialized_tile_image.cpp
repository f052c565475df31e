#include "types/imagetile/serialized_tile_image.hpp"

#include <zlib.h>

#include <cstdint>
#include <stdexcept>

#include "dvidxfer/codecs/dvid_lz4.hpp"

namespace dvidxfer::server {
namespace {

// dvid.CompressionFormat and dvid.Checksum values in the format byte.
constexpr unsigned kUncompressed = 0;
constexpr unsigned kLz4 = 4;
constexpr unsigned kCrc32 = 1;
// dvid.Image.Which for an image.Gray, and dvid.T_uint8 for its one value.
constexpr char kGrayImage = 0;
constexpr char kUint8Value = 0;
// A tile is one image; this bounds what a damaged length field can make the decoder allocate.
constexpr std::size_t kMaxTileBytes = std::size_t{1} << 30;

void append_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint64_t read_le(std::string_view bytes, std::size_t at, int count) {
  std::uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + std::size_t(i)]);
  return value;
}

}  // namespace

std::string serialize_gray8_tile(std::string_view pixels, std::size_t width, std::size_t height,
                                 bool crc32) {
  // dvid.DataValues of a uint8blk: one uint8 value labelled "uint8".
  std::string format;
  append_le(format, 1, 2);
  format += kUint8Value;
  append_le(format, 5, 2);
  format += "uint8";
  std::string image;
  append_le(image, format.size(), 4);
  image += format;
  image += kGrayImage;
  append_le(image, width, 4);  // stride of a compact gray image
  append_le(image, width, 4);
  append_le(image, height, 4);
  image.append(pixels.substr(0, width * height));

  auto compressed = codecs::encode_dvid_lz4_value(image);
  if (!compressed) throw std::runtime_error("LZ4 compression of a tile failed");
  std::string out(1, static_cast<char>((kLz4 << 5) | ((crc32 ? kCrc32 : 0) << 3)));
  if (crc32)
    append_le(out,
              ::crc32(0, reinterpret_cast<const Bytef*>(compressed->data()),
                      static_cast<uInt>(compressed->size())),
              4);
  return out + *compressed;
}

std::optional<Gray8Image> deserialize_gray8_tile(std::string_view value) {
  if (value.empty()) return std::nullopt;
  const auto format = static_cast<unsigned char>(value[0]);
  const unsigned compression = format >> 5;
  const unsigned checksum = (format >> 3) & 0x03;
  std::size_t at = 1;
  if (checksum == kCrc32) {
    if (value.size() < 5) return std::nullopt;
    const std::string_view data = value.substr(5);
    if (read_le(value, 1, 4) !=
        ::crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())))
      return std::nullopt;
    at = 5;
  } else if (checksum != 0) {
    return std::nullopt;
  }
  std::string image;
  if (compression == kLz4) {
    auto decoded = codecs::decode_dvid_lz4_value(value.substr(at), kMaxTileBytes);
    if (!decoded) return std::nullopt;
    image = std::move(*decoded);
  } else if (compression == kUncompressed) {
    image = value.substr(at);
  } else {
    return std::nullopt;
  }
  if (image.size() < 4) return std::nullopt;
  const std::size_t format_size = read_le(image, 0, 4);
  std::size_t header = 4 + format_size;
  if (image.size() < header + 13 || image[header] != kGrayImage) return std::nullopt;
  const std::size_t stride = read_le(image, header + 1, 4);
  const std::size_t width = read_le(image, header + 5, 4);
  const std::size_t height = read_le(image, header + 9, 4);
  header += 13;
  if (stride < width || height == 0 || (image.size() - header) / stride < height - 1 ||
      image.size() - header < stride * (height - 1) + width)
    return std::nullopt;
  Gray8Image out{width, height, std::string(width * height, '\0')};
  for (std::size_t row = 0; row < height; ++row)
    image.copy(out.pixels.data() + row * width, width, header + row * stride);
  return out;
}

}  // namespace dvidxfer::server
