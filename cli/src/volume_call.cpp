#include "volume_call.hpp"

#include <bit>
#include <cstdint>

namespace dvidxfer::cli {

// Files and buffers hold labels as uint64 little-endian; the voxels are passed through as they are.
static_assert(std::endian::native == std::endian::little);

namespace {

template <class T>
std::span<T> voxels_of(std::span<char> bytes) {
  return {reinterpret_cast<T*>(bytes.data()), bytes.size() / sizeof(T)};
}

template <class T>
std::span<const T> voxels_of(std::span<const char> bytes) {
  return {reinterpret_cast<const T*>(bytes.data()), bytes.size() / sizeof(T)};
}

}  // namespace

bool create_volume_instance(NodeService& node, const std::string& instance, VolumeType type) {
  switch (type) {
    case VolumeType::uint8blk:
      return node.create_grayscale8(instance);
    case VolumeType::labelblk:
      return node.create_labelblk(instance);
    case VolumeType::labelarray:
      return node.create_labelarray(instance);
    case VolumeType::labelmap:
      return node.create_labelmap(instance);
  }
  return false;
}

void get_volume(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape_zyx,
                Point3 offset_zyx, std::span<char> bytes, const VolumeSwitches& switches,
                const TransferOptions& options) {
  if (type == VolumeType::uint8blk)
    node.get_gray3D(instance, shape_zyx, offset_zyx, voxels_of<std::uint8_t>(bytes),
                    switches.throttle, switches.compress, switches.roi, options);
  else
    node.get_labels3D(instance, shape_zyx, offset_zyx, voxels_of<std::uint64_t>(bytes),
                      switches.throttle, switches.compress, switches.roi, options,
                      switches.label_read);
}

void put_volume(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape_zyx,
                Point3 offset_zyx, std::span<const char> bytes, const VolumeSwitches& switches,
                const TransferOptions& options) {
  if (type == VolumeType::uint8blk)
    node.put_gray3D(instance, voxels_of<std::uint8_t>(bytes), shape_zyx, offset_zyx,
                    switches.throttle, switches.compress, options);
  else
    node.put_labels3D(instance, voxels_of<std::uint64_t>(bytes), shape_zyx, offset_zyx,
                      switches.throttle, switches.compress, switches.roi, switches.mutate, options,
                      switches.label_write);
}

}  // namespace dvidxfer::cli
