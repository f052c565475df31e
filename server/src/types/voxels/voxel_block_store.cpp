#include "types/voxels/voxel_block_store.hpp"

#include <lz4.h>
#include <tbb/parallel_for.h>

#include <cstring>
#include <stdexcept>

#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/image_decode.hpp"
#include "images/jpeg_image.hpp"
#include "store/block_key.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::size_t kLengthPrefix = 4;

// Per-thread scratch space, so parallel block work allocates once per thread, not per block:
// one for a block's voxels, one for its compressed form.
std::vector<char>& grown(std::vector<char>& buffer, std::size_t size) {
  if (buffer.size() < size) buffer.resize(size);
  return buffer;
}
std::vector<char>& scratch(std::size_t size) {
  thread_local std::vector<char> buffer;
  return grown(buffer, size);
}
std::vector<char>& compression_scratch(std::size_t size) {
  thread_local std::vector<char> buffer;
  return grown(buffer, size);
}

struct Range1 {
  std::int64_t first;
  std::int64_t last;  // inclusive
};

Range1 overlap(std::int64_t a0, std::int64_t a1, std::int64_t b0, std::int64_t b1) {
  return {std::max(a0, b0), std::min(a1, b1)};
}

}  // namespace

VoxelBlockStore::VoxelBlockStore(InstanceId instance, Point3 block_size,
                                 std::size_t bytes_per_voxel, BlockEncoding encoding)
    : instance_(instance),
      block_size_(block_size),
      bytes_per_voxel_(bytes_per_voxel),
      block_bytes_(static_cast<std::size_t>(block_size.x) * block_size.y * block_size.z *
                   bytes_per_voxel),
      encoding_(encoding) {}

StoredValue VoxelBlockStore::get(const VersionedStore& store, std::span<const VersionId> ancestry,
                                 const Point3& block) const {
  return store.get(instance_, ancestry, block_key(block));
}

std::vector<StoredBlock> VoxelBlockStore::existing(const VersionedStore& store,
                                                   std::span<const VersionId> ancestry,
                                                   const Box& blocks) const {
  std::vector<StoredBlock> found;
  const Point3 last = blocks.end();
  for (std::int32_t z = blocks.offset.z; z <= last.z; ++z)
    for (std::int32_t y = blocks.offset.y; y <= last.y; ++y) {
      const std::string first_key = block_key({blocks.offset.x, y, z});
      const std::string last_key = block_key({last.x, y, z});
      for (auto& entry : store.scan(instance_, ancestry, first_key, std::string_view(last_key)))
        found.push_back({block_of_key(entry.key), std::move(entry.value)});
    }
  return found;
}

void VoxelBlockStore::decode(const StoredValue& value, std::span<char> voxels) const {
  const std::string_view stored = *value;
  if (encoding_ == BlockEncoding::jpeg) {
    auto decoded = codecs::decode_gray_image_into(
        stored, block_size_.x, std::int64_t{block_size_.y} * block_size_.z,
        {reinterpret_cast<std::uint8_t*>(voxels.data()), voxels.size()});
    if (!decoded) throw std::runtime_error("corrupt stored block: " + decoded.error().message);
    return;
  }
  if (stored.size() < kLengthPrefix) throw std::runtime_error("corrupt stored block: too short");
  auto decoded = codecs::decompress_lz4_block(stored.substr(kLengthPrefix), voxels);
  if (!decoded) throw std::runtime_error("corrupt stored block: " + decoded.error().message);
}

std::string VoxelBlockStore::encode(std::string_view voxels) const {
  if (encoding_ == BlockEncoding::jpeg)
    return encode_gray8_jpeg(voxels, static_cast<std::size_t>(block_size_.x),
                             static_cast<std::size_t>(block_size_.y) * block_size_.z,
                             kDefaultJpegQuality);
  const std::size_t bound = codecs::lz4_block_bound(voxels.size());
  char* compressed = compression_scratch(bound + kLengthPrefix).data();
  const int written =
      LZ4_compress_default(voxels.data(), compressed + kLengthPrefix,
                           static_cast<int>(voxels.size()), static_cast<int>(bound));
  if (written <= 0) throw std::runtime_error("LZ4 compression of a block failed");
  const auto length = static_cast<std::uint32_t>(voxels.size());
  for (std::size_t i = 0; i < kLengthPrefix; ++i)
    compressed[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  return std::string(compressed, kLengthPrefix + static_cast<std::size_t>(written));
}

void VoxelBlockStore::read_box(const VersionedStore& store, std::span<const VersionId> ancestry,
                               const Box& box, char* out, const BlockFilter& filter, char outside,
                               unsigned attenuation) const {
  const Box blocks = blocks_covering(box, block_size_);
  const Point3 box_last = box.end();
  const std::size_t bpv = bytes_per_voxel_;
  const std::size_t out_row = static_cast<std::size_t>(box.size.x) * bpv;
  const std::size_t out_plane = out_row * static_cast<std::size_t>(box.size.y);
  const std::size_t block_row = static_cast<std::size_t>(block_size_.x) * bpv;
  const std::size_t block_plane = block_row * static_cast<std::size_t>(block_size_.y);
  const std::int64_t rows = std::int64_t{blocks.size.y} * blocks.size.z;

  // Where a block's voxels land in `out`: calls copy_row(out_offset, block_offset, bytes) for
  // each X run of the block inside the box.
  auto for_each_row = [&](const Point3& block, auto&& copy_row) {
    const std::int64_t x0 = std::int64_t{block.x} * block_size_.x;
    const std::int64_t y0 = std::int64_t{block.y} * block_size_.y;
    const std::int64_t z0 = std::int64_t{block.z} * block_size_.z;
    const Range1 xs = overlap(x0, x0 + block_size_.x - 1, box.offset.x, box_last.x);
    const Range1 ys = overlap(y0, y0 + block_size_.y - 1, box.offset.y, box_last.y);
    const Range1 zs = overlap(z0, z0 + block_size_.z - 1, box.offset.z, box_last.z);
    const std::size_t bytes = static_cast<std::size_t>(xs.last - xs.first + 1) * bpv;
    for (std::int64_t z = zs.first; z <= zs.last; ++z)
      for (std::int64_t y = ys.first; y <= ys.last; ++y) {
        const std::size_t to = static_cast<std::size_t>(z - box.offset.z) * out_plane +
                               static_cast<std::size_t>(y - box.offset.y) * out_row +
                               static_cast<std::size_t>(xs.first - box.offset.x) * bpv;
        const std::size_t from = static_cast<std::size_t>(z - z0) * block_plane +
                                 static_cast<std::size_t>(y - y0) * block_row +
                                 static_cast<std::size_t>(xs.first - x0) * bpv;
        copy_row(to, from, bytes);
      }
  };

  tbb::parallel_for(std::int64_t{0}, rows, [&](std::int64_t row) {
    const std::int32_t by = blocks.offset.y + static_cast<std::int32_t>(row % blocks.size.y);
    const std::int32_t bz = blocks.offset.z + static_cast<std::int32_t>(row / blocks.size.y);
    const std::vector<StoredBlock> row_blocks =
        existing(store, ancestry, {{blocks.offset.x, by, bz}, {blocks.size.x, 1, 1}});
    // As DVID reads only stored blocks: a missing block stays 0 even outside the filter; a
    // stored one outside reads as `outside`, or attenuated when asked.
    struct Read {
      const StoredBlock* block;
      bool attenuate;
    };
    std::vector<Read> reads;
    std::size_t next = 0;
    for (std::int32_t bx = blocks.offset.x; bx < blocks.offset.x + blocks.size.x; ++bx) {
      const Point3 block{bx, by, bz};
      const StoredBlock* stored = next < row_blocks.size() && row_blocks[next].coord.x == bx
                                      ? &row_blocks[next++]
                                      : nullptr;
      const bool inside = !filter || filter(block);
      if (stored && (inside || attenuation > 0)) {
        reads.push_back({stored, !inside});
        continue;
      }
      const char fill = stored ? outside : '\0';
      for_each_row(block, [&](std::size_t to, std::size_t, std::size_t bytes) {
        std::memset(out + to, fill, bytes);
      });
    }
    tbb::parallel_for(std::size_t{0}, reads.size(), [&](std::size_t i) {
      const StoredBlock& block = *reads[i].block;
      std::vector<char>& buffer = scratch(block_bytes_);
      decode(block.value, std::span<char>(buffer.data(), block_bytes_));
      if (reads[i].attenuate)
        for (std::size_t j = 0; j < block_bytes_; ++j)
          buffer[j] = static_cast<char>(static_cast<unsigned char>(buffer[j]) >> attenuation);
      for_each_row(block.coord, [&](std::size_t to, std::size_t from, std::size_t bytes) {
        std::memcpy(out + to, buffer.data() + from, bytes);
      });
    });
  });
}

void VoxelBlockStore::write_box(VersionedStore& store, VersionId version, const Box& box,
                                const char* voxels, const BlockFilter& filter,
                                const OnBlockWritten& on_written) const {
  const Box blocks = blocks_covering(box, block_size_);
  const std::size_t bpv = bytes_per_voxel_;
  const std::size_t in_row = static_cast<std::size_t>(box.size.x) * bpv;
  const std::size_t in_plane = in_row * static_cast<std::size_t>(box.size.y);
  const std::size_t block_row = static_cast<std::size_t>(block_size_.x) * bpv;
  const std::int64_t count = blocks.voxels();
  tbb::parallel_for(std::int64_t{0}, count, [&](std::int64_t index) {
    const Point3 block{
        blocks.offset.x + static_cast<std::int32_t>(index % blocks.size.x),
        blocks.offset.y + static_cast<std::int32_t>((index / blocks.size.x) % blocks.size.y),
        blocks.offset.z +
            static_cast<std::int32_t>(index / (std::int64_t{blocks.size.x} * blocks.size.y))};
    if (filter && !filter(block)) return;
    std::vector<char>& buffer = scratch(block_bytes_);
    const std::size_t x = static_cast<std::size_t>(block.x * block_size_.x - box.offset.x);
    const std::size_t y = static_cast<std::size_t>(block.y * block_size_.y - box.offset.y);
    const std::size_t z = static_cast<std::size_t>(block.z * block_size_.z - box.offset.z);
    char* to = buffer.data();
    for (std::int32_t dz = 0; dz < block_size_.z; ++dz)
      for (std::int32_t dy = 0; dy < block_size_.y; ++dy, to += block_row)
        std::memcpy(to, voxels + (z + dz) * in_plane + (y + dy) * in_row + x * bpv, block_row);
    const std::string_view block_voxels(buffer.data(), block_bytes_);
    if (on_written) on_written(block, block_voxels);
    store.put(instance_, version, block_key(block),
              std::make_shared<const std::string>(encode(block_voxels)));
  });
}

}  // namespace dvidxfer::server
