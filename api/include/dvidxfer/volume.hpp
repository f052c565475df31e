// Volumes as the API hands them out: dense 3-D arrays in z-y-x order (x fastest, as numpy's
// C order), with their shape. Shapes, offsets and points are (z, y, x) everywhere in the API.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dvidxfer/common/transfer_progress.hpp"

namespace dvidxfer {

using Shape3 = std::array<std::int64_t, 3>;  // (z, y, x) sizes in voxels
using Point3 = std::array<std::int64_t, 3>;  // (z, y, x) voxel coordinates, may be negative

// Owns shape[0] * shape[1] * shape[2] voxels of T. Movable, not copyable. The memory is not
// zero-filled on construction: a call that returns a Volume has written every voxel.
template <class T>
class Volume {
 public:
  Volume() = default;
  explicit Volume(Shape3 shape)
      : shape_(shape),
        size_(static_cast<std::size_t>(shape[0]) * static_cast<std::size_t>(shape[1]) *
              static_cast<std::size_t>(shape[2])),
        data_(std::make_unique_for_overwrite<T[]>(size_)) {}

  const Shape3& shape() const noexcept { return shape_; }
  std::size_t size() const noexcept { return size_; }  // voxels
  std::size_t size_bytes() const noexcept { return size_ * sizeof(T); }
  T* data() noexcept { return data_.get(); }
  const T* data() const noexcept { return data_.get(); }
  std::span<T> span() noexcept { return {data_.get(), size_}; }
  std::span<const T> span() const noexcept { return {data_.get(), size_}; }
  T& at(std::int64_t z, std::int64_t y, std::int64_t x) noexcept {
    return data_[(static_cast<std::size_t>(z) * shape_[1] + y) * shape_[2] + x];
  }
  const T& at(std::int64_t z, std::int64_t y, std::int64_t x) const noexcept {
    return data_[(static_cast<std::size_t>(z) * shape_[1] + y) * shape_[2] + x];
  }

 private:
  Shape3 shape_{0, 0, 0};
  std::size_t size_ = 0;
  std::unique_ptr<T[]> data_;
};

// What a completed volume call did, for benchmarks and reports.
struct TransferStatistics {
  std::size_t chunks = 0;      // parallel chunk requests the box was split into
  std::uint64_t requests = 0;  // HTTP exchanges, retries included
  std::uint64_t retries = 0;
  std::uint64_t voxel_bytes = 0;         // uncompressed bytes moved
  std::uint64_t wire_bytes = 0;          // body bytes on the wire (compressed when lz4)
  std::vector<double> chunk_latency_ms;  // per chunk: request sent to data in place
  double seconds = 0;                    // the whole call
};

// Beyond the seed's arguments: progress, cancellation and per-call limits of a volume call.
struct TransferOptions {
  ProgressCallback progress;      // optional; see transfer_progress.hpp
  CancellationToken cancel;       // cancel() from any thread to stop the call
  std::size_t max_in_flight = 0;  // parallel chunk requests; 0 = ClientOptions::max_connections
  // Uncompressed bytes per chunk; 0 = chosen from the shape: up to 16 MiB, split to give two
  // chunks per request in flight but never below 1 Mi voxels (each request costs a round trip).
  std::uint64_t chunk_bytes = 0;
  // When set, receives the call's statistics on success (shared so the caller may keep it while
  // the call runs on other threads).
  std::shared_ptr<TransferStatistics> statistics;
};

// How a labelmap or labelarray read travels. `stored_blocks`: GET /blocks?compression=blocks, the
// gzip'd compressed blocks DVID stored (70-450x smaller than dense), decoded here; `raw`: GET
// /raw/0_1_2, dense (lz4 when the call's `compress` is set), DVID decoding the blocks.
enum class LabelWire { stored_blocks, raw };

// Beyond the seed's arguments, the labelmap/labelarray options of a label read. The defaults
// read labelblk too; anything else there is an ArgumentError, as labelblk has none of them.
struct LabelReadOptions {
  // Resolution level: 0 full, s has voxels 2^s as large; shape and offset are in that level's
  // voxels. A level DVID never computed reads as zeros.
  int scale = 0;
  bool supervoxels = false;  // labelmap: the stored supervoxel ids, not the bodies they map to
  LabelWire wire = LabelWire::stored_blocks;  // an `roi` needs (and picks) raw
};

// Beyond the seed's arguments, the labelmap/labelarray options of a label write (POST /blocks,
// each block gzip'd and encoded here). The defaults write labelblk too; anything else there is an
// ArgumentError.
struct LabelWriteOptions {
  int scale = 0;  // the level written; shape and offset are in its voxels
  // Scale 0 only: DVID recomputes the lower levels (up to its MaxDownresLevel) of the blocks
  // written, before each chunk's 200. Sent on every chunk: DVID serialises POST /blocks per
  // instance and updates only the octants of a coarse block whose fine blocks a request wrote, so
  // chunks landing in any order leave every level as one whole-volume request would.
  bool downres = false;
  bool noindexing = false;  // DVID skips the label indices (load them later with POST /indices)
  // POST /ingest-supervoxels instead of /blocks: DVID's fastest path, no indexing, extents, syncs
  // or downres; labelmap only.
  bool ingest_supervoxels = false;
};

using Grayscale3D = Volume<std::uint8_t>;
using Labels3D = Volume<std::uint64_t>;

}  // namespace dvidxfer
