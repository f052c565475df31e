// VoxelBuffer: an uninitialised byte buffer aligned for uint64 voxels, so one allocation serves
// both uint8blk and labelblk volumes (and a file read straight into it can be sent as labels).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace dvidxfer::cli {

class VoxelBuffer {
 public:
  explicit VoxelBuffer(std::size_t bytes)
      : bytes_(bytes), words_(std::make_unique_for_overwrite<std::uint64_t[]>((bytes + 7) / 8)) {}

  std::size_t size() const noexcept { return bytes_; }
  char* data() noexcept { return reinterpret_cast<char*>(words_.get()); }
  const char* data() const noexcept { return reinterpret_cast<const char*>(words_.get()); }
  std::span<char> bytes() noexcept { return {data(), bytes_}; }
  std::span<const char> bytes() const noexcept { return {data(), bytes_}; }

 private:
  std::size_t bytes_;
  std::unique_ptr<std::uint64_t[]> words_;
};

}  // namespace dvidxfer::cli
