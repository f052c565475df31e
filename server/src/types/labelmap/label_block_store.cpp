#include "types/labelmap/label_block_store.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "store/block_key.hpp"
#include "types/labelmap/label_mapping.hpp"

namespace dvidxfer::server {
namespace {

// Where a block's voxels fall inside a box: the block-local begin/end (z, y, x) and the box
// element of the first one.
struct BlockPart {
  std::array<std::uint32_t, 3> begin{};
  std::array<std::uint32_t, 3> end{};
  std::size_t box_index = 0;
};

BlockPart part_in_box(const Point3& block, const Point3& block_size, const Box& box) {
  const std::array<std::int64_t, 3> origin{std::int64_t{block.z} * block_size.z,
                                           std::int64_t{block.y} * block_size.y,
                                           std::int64_t{block.x} * block_size.x};
  const std::array<std::int64_t, 3> first{box.offset.z, box.offset.y, box.offset.x};
  const std::array<std::int64_t, 3> size{box.size.z, box.size.y, box.size.x};
  const std::array<std::int64_t, 3> side{block_size.z, block_size.y, block_size.x};
  BlockPart part;
  std::array<std::int64_t, 3> start{};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    start[axis] = std::max(origin[axis], first[axis]);
    const std::int64_t stop = std::min(origin[axis] + side[axis], first[axis] + size[axis]);
    part.begin[axis] = static_cast<std::uint32_t>(start[axis] - origin[axis]);
    part.end[axis] = static_cast<std::uint32_t>(stop - origin[axis]);
  }
  part.box_index = static_cast<std::size_t>(
      ((start[0] - first[0]) * size[1] + (start[1] - first[1])) * size[2] + (start[2] - first[2]));
  return part;
}

}  // namespace

LabelBlockStore::LabelBlockStore(InstanceId instance, Point3 block_size)
    : instance_(instance),
      block_size_(block_size),
      shape_{static_cast<std::uint32_t>(block_size.x), static_cast<std::uint32_t>(block_size.y),
             static_cast<std::uint32_t>(block_size.z)},
      block_voxels_(static_cast<std::size_t>(block_size.x) * block_size.y * block_size.z) {}

StoredValue LabelBlockStore::get(const VersionedStore& store, std::span<const VersionId> ancestry,
                                 std::uint8_t scale, const Point3& block) const {
  return store.get(instance_, ancestry, scaled_block_key(scale, block));
}

std::vector<StoredBlock> LabelBlockStore::existing(const VersionedStore& store,
                                                   std::span<const VersionId> ancestry,
                                                   std::uint8_t scale, const Box& blocks) const {
  std::vector<StoredBlock> found;
  const Point3 last = blocks.end();
  for (std::int32_t z = blocks.offset.z; z <= last.z; ++z)
    for (std::int32_t y = blocks.offset.y; y <= last.y; ++y) {
      const std::string first_key = scaled_block_key(scale, {blocks.offset.x, y, z});
      const std::string last_key = scaled_block_key(scale, {last.x, y, z});
      for (auto& entry : store.scan(instance_, ancestry, first_key, std::string_view(last_key)))
        found.push_back({block_of_key(entry.key), std::move(entry.value)});
    }
  return found;
}

void LabelBlockStore::put(VersionedStore& store, VersionId version, std::uint8_t scale,
                          const Point3& block, std::string gzip_block) const {
  store.put(instance_, version, scaled_block_key(scale, block),
            std::make_shared<const std::string>(std::move(gzip_block)));
}

void LabelBlockStore::decode(const StoredValue& value, std::span<std::uint64_t> voxels) const {
  const codecs::LabelBlockWindow whole{voxels.data(),
                                       shape_.nx,
                                       std::size_t{shape_.nx} * shape_.ny,
                                       {0, 0, 0},
                                       {shape_.nz, shape_.ny, shape_.nx}};
  auto decoded = codecs::decode_gzip_label_block_into(*value, shape_, whole);
  if (!decoded) throw std::runtime_error("corrupt stored label block: " + decoded.error().message);
}

std::string LabelBlockStore::encode(std::span<const std::uint64_t> voxels) const {
  const codecs::LabelBlockWindowConst whole{voxels.data(),
                                            shape_.nx,
                                            std::size_t{shape_.nx} * shape_.ny,
                                            {0, 0, 0},
                                            {shape_.nz, shape_.ny, shape_.nx}};
  auto encoded = codecs::encode_gzip_label_block(whole, shape_);
  if (!encoded) throw std::runtime_error("label block encoding failed: " + encoded.error().message);
  return std::move(*encoded);
}

void LabelBlockStore::read_box(const VersionedStore& store, std::span<const VersionId> ancestry,
                               std::uint8_t scale, bool supervoxels, const Box& box,
                               std::uint64_t* out, const BlockFilter& filter) const {
  const Box blocks = blocks_covering(box, block_size_);
  const std::size_t row = static_cast<std::size_t>(box.size.x);
  const std::size_t plane = row * static_cast<std::size_t>(box.size.y);
  const std::int64_t rows = std::int64_t{blocks.size.y} * blocks.size.z;
  tbb::parallel_for(std::int64_t{0}, rows, [&](std::int64_t index) {
    const std::int32_t by = blocks.offset.y + static_cast<std::int32_t>(index % blocks.size.y);
    const std::int32_t bz = blocks.offset.z + static_cast<std::int32_t>(index / blocks.size.y);
    const std::vector<StoredBlock> stored =
        existing(store, ancestry, scale, {{blocks.offset.x, by, bz}, {blocks.size.x, 1, 1}});
    std::size_t next = 0;
    std::vector<std::pair<const StoredBlock*, BlockPart>> reads;
    for (std::int32_t bx = blocks.offset.x; bx < blocks.offset.x + blocks.size.x; ++bx) {
      const Point3 block{bx, by, bz};
      const BlockPart part = part_in_box(block, block_size_, box);
      const StoredBlock* found =
          next < stored.size() && stored[next].coord.x == bx ? &stored[next++] : nullptr;
      if (found && (!filter || filter(block))) {
        reads.emplace_back(found, part);
        continue;
      }
      for (std::uint32_t z = part.begin[0]; z < part.end[0]; ++z)
        for (std::uint32_t y = part.begin[1]; y < part.end[1]; ++y)
          std::fill_n(
              out + part.box_index + (z - part.begin[0]) * plane + (y - part.begin[1]) * row,
              part.end[2] - part.begin[2], std::uint64_t{0});
    }
    tbb::parallel_for(std::size_t{0}, reads.size(), [&](std::size_t i) {
      const auto& [found, part] = reads[i];
      const codecs::LabelBlockWindow window{out + part.box_index, row, plane, part.begin, part.end};
      const StoredValue value = block_as_read(found->value, supervoxels);
      auto decoded = codecs::decode_gzip_label_block_into(*value, shape_, window);
      if (!decoded)
        throw std::runtime_error("corrupt stored label block " + to_string(found->coord) + ": " +
                                 decoded.error().message);
    });
  });
}

std::vector<std::uint64_t> LabelBlockStore::labels_at(const VersionedStore& store,
                                                      std::span<const VersionId> ancestry,
                                                      std::uint8_t scale, bool supervoxels,
                                                      std::span<const Point3> voxels) const {
  // The points of each block, so a block is decoded once however many points it holds.
  std::map<std::tuple<std::int32_t, std::int32_t, std::int32_t>, std::vector<std::size_t>> by_block;
  for (std::size_t i = 0; i < voxels.size(); ++i)
    by_block[{floor_div(voxels[i].z, block_size_.z), floor_div(voxels[i].y, block_size_.y),
              floor_div(voxels[i].x, block_size_.x)}]
        .push_back(i);
  const std::vector<
      std::pair<std::tuple<std::int32_t, std::int32_t, std::int32_t>, std::vector<std::size_t>>>
      blocks(by_block.begin(), by_block.end());
  std::vector<std::uint64_t> labels(voxels.size(), 0);
  tbb::parallel_for(std::size_t{0}, blocks.size(), [&](std::size_t b) {
    const auto& [zyx, points] = blocks[b];
    const Point3 block{std::get<2>(zyx), std::get<1>(zyx), std::get<0>(zyx)};
    const StoredValue stored = get(store, ancestry, scale, block);
    if (!stored) return;
    thread_local std::vector<std::uint64_t> decoded;
    decoded.resize(block_voxels_);
    decode(block_as_read(stored, supervoxels), decoded);
    for (std::size_t i : points) {
      const Point3& p = voxels[i];
      labels[i] = decoded[(static_cast<std::size_t>(p.z - block.z * block_size_.z) * block_size_.y +
                           static_cast<std::size_t>(p.y - block.y * block_size_.y)) *
                              block_size_.x +
                          static_cast<std::size_t>(p.x - block.x * block_size_.x)];
    }
  });
  return labels;
}

std::vector<Point3> LabelBlockStore::write_box(VersionedStore& store, VersionId version,
                                               std::uint8_t scale, const Box& box,
                                               const std::uint64_t* voxels,
                                               const BlockFilter& filter) const {
  const Box blocks = blocks_covering(box, block_size_);
  std::vector<Point3> targets;
  const Point3 last = blocks.end();
  for (std::int32_t z = blocks.offset.z; z <= last.z; ++z)
    for (std::int32_t y = blocks.offset.y; y <= last.y; ++y)
      for (std::int32_t x = blocks.offset.x; x <= last.x; ++x)
        if (!filter || filter({x, y, z})) targets.push_back({x, y, z});
  const std::size_t row = static_cast<std::size_t>(box.size.x);
  const std::size_t plane = row * static_cast<std::size_t>(box.size.y);
  tbb::parallel_for(std::size_t{0}, targets.size(), [&](std::size_t i) {
    const BlockPart part = part_in_box(targets[i], block_size_, box);
    const codecs::LabelBlockWindowConst source{voxels + part.box_index, row, plane, part.begin,
                                               part.end};
    auto encoded = codecs::encode_gzip_label_block(source, shape_);
    if (!encoded)
      throw std::runtime_error("label block " + to_string(targets[i]) +
                               " cannot be encoded: " + encoded.error().message);
    put(store, version, scale, targets[i], std::move(*encoded));
  });
  return targets;
}

}  // namespace dvidxfer::server
