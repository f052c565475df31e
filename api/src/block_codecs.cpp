#include "block_codecs.hpp"

#include <fmt/format.h>

#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "dvidxfer/codecs/image_decode.hpp"
#include "dvidxfer/engine/chunk_copy.hpp"

namespace dvidxfer::api {

namespace {

std::size_t block_voxels(Shape3 block) {
  return static_cast<std::size_t>(block[0] * block[1] * block[2]);
}

codecs::LabelBlockShape label_shape(Shape3 block) {
  return {static_cast<std::uint32_t>(block[2]), static_cast<std::uint32_t>(block[1]),
          static_cast<std::uint32_t>(block[0])};
}

std::array<std::uint32_t, 3> narrow(const std::array<std::int64_t, 3>& zyx) {
  return {static_cast<std::uint32_t>(zyx[0]), static_cast<std::uint32_t>(zyx[1]),
          static_cast<std::uint32_t>(zyx[2])};
}

// The uncompressed length a DVID lz4 value states in its first four bytes (LE).
std::size_t stated_length(std::string_view payload) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < 4 && i < payload.size(); ++i)
    length |= std::size_t{static_cast<unsigned char>(payload[i])} << (8 * i);
  return length;
}

}  // namespace

engine::BlockCodec gzip_label_block_codec(Shape3 block) {
  const auto shape = label_shape(block);
  engine::BlockCodec codec;
  codec.decode = [shape](std::string_view payload, const engine::BlockWindow& window) {
    // The caller's buffer holds uint64 labels, so its strides are whole voxels.
    const codecs::LabelBlockWindow into{reinterpret_cast<std::uint64_t*>(window.origin),
                                        window.row_stride / 8, window.plane_stride / 8,
                                        narrow(window.begin), narrow(window.end)};
    return codecs::decode_gzip_label_block_into(payload, shape, into);
  };
  codec.encode = [shape](const engine::BlockWindow& window) {
    const codecs::LabelBlockWindowConst from{reinterpret_cast<const std::uint64_t*>(window.origin),
                                             window.row_stride / 8, window.plane_stride / 8,
                                             narrow(window.begin), narrow(window.end)};
    return codecs::encode_gzip_label_block(from, shape);
  };
  // The worst compressed Block (every voxel its own label: 8-byte entry, 4-byte index, 9 bits)
  // is under 14 bytes a voxel; gzip adds little to incompressible input. DVID keeps duplicate
  // list entries after merges, so allow twice the dense size.
  codec.max_payload_bytes = 16 * block_voxels(block) + 4096;
  return codec;
}

engine::BlockCodec stored_gray_block_codec(Shape3 block) {
  const std::size_t block_bytes = block_voxels(block);
  engine::BlockCodec codec;
  codec.decode = [block, block_bytes](
                     std::string_view payload,
                     const engine::BlockWindow& window) -> codecs::CodecResult<Unit> {
    if (codecs::is_jpeg(payload) && stated_length(payload) != block_bytes) {
      thread_local std::string pixels;  // one block, reused by every block this thread decodes
      pixels.resize(block_bytes);
      auto decoded = codecs::decode_gray_image_into(
          payload, block[2], block[0] * block[1],
          {reinterpret_cast<std::uint8_t*>(pixels.data()), block_bytes});
      if (!decoded) return fail(std::move(decoded).error());
      engine::copy_into_window(window, pixels, block, 1);
      return Unit{};
    }
    auto voxels = codecs::decode_dvid_lz4_value(payload, block_bytes);
    if (!voxels) return fail(std::move(voxels).error());
    if (voxels->size() != block_bytes)
      return fail(codecs::CodecError{
          fmt::format("it holds {} bytes, not the {} of a block", voxels->size(), block_bytes),
          payload.size()});
    engine::copy_into_window(window, *voxels, block, 1);
    return Unit{};
  };
  // A DVID lz4 value of an incompressible block (4-byte length + LZ4's worst case), the block
  // stored uncompressed, or a JPEG, which at quality 80 stays well under twice the voxels.
  codec.max_payload_bytes =
      4 + std::max(2 * block_bytes + 4096, codecs::lz4_block_bound(block_bytes));
  return codec;
}

}  // namespace dvidxfer::api
