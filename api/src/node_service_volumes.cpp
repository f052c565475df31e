// NodeService's volume calls: grayscale and labels through the parallel chunk engine, labels by
// location, bodies, and the instance creation they need.
#include <fmt/format.h>

#include <optional>

#include "block_size_cache.hpp"
#include "client_core.hpp"
#include "dvid_coordinates.hpp"
#include "dvidxfer/engine/volume_transfer.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "instance_creation.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

constexpr const char* kAxisNames[3] = {"z", "y", "x"};
// Fewest voxels in a chunk the planner makes when splitting a call to fill its connections.
constexpr std::uint64_t kMinSplitVoxels = 1ull << 20;

std::string zyx_text(const std::array<std::int64_t, 3>& v) {
  return fmt::format("({}, {}, {})", v[0], v[1], v[2]);
}

// What a volume call moves, after its arguments were checked.
struct VolumeJob {
  std::string uuid;
  std::string instance;
  std::string call_name;  // "get_labels3D", ... for messages
  engine::Box box;
  std::size_t voxel_bytes = 1;
  bool put = false;
  bool throttle = true;
  engine::ChunkWire wire = engine::ChunkWire::raw;
  std::string endpoint = "raw/0_1_2";  // the voxel endpoint; "mask/0_1_2" for ROI masks
  std::string roi;
  bool mutate = false;
  TransferOptions options;
};

// Refuses bad shapes, and a caller buffer (`voxels_given`, when the caller supplies one) whose
// size does not match the shape, before anything is sent.
void check_shape(const std::string& call, const std::string& instance, Shape3 shape,
                 std::optional<std::size_t> voxels_given, std::size_t voxel_bytes) {
  for (int axis = 0; axis < 3; ++axis)
    if (shape[axis] <= 0)
      throw ArgumentError(fmt::format("{} on '{}': shape (z,y,x) {} must be positive along {}",
                                      call, instance, zyx_text(shape), kAxisNames[axis]));
  const auto voxels = static_cast<std::uint64_t>(shape[0]) * static_cast<std::uint64_t>(shape[1]) *
                      static_cast<std::uint64_t>(shape[2]);
  if (voxels_given && voxels != *voxels_given)
    throw ArgumentError(fmt::format(
        "{} on '{}': the buffer holds {} voxels ({} bytes) but shape (z,y,x) {} needs {}", call,
        instance, *voxels_given, *voxels_given * voxel_bytes, zyx_text(shape), voxels));
}

// A volume job whose instance name and shape were checked (ArgumentError otherwise).
VolumeJob checked_job(std::string uuid, std::string instance, std::string call_name, Shape3 shape,
                      Point3 offset, std::size_t voxel_bytes,
                      std::optional<std::size_t> voxels_given) {
  api::require_instance_name(instance);
  check_shape(call_name, instance, shape, voxels_given, voxel_bytes);
  VolumeJob job;
  job.uuid = std::move(uuid);
  job.instance = std::move(instance);
  job.call_name = std::move(call_name);
  job.box = {offset, shape};
  job.voxel_bytes = voxel_bytes;
  return job;
}

// Throws from a plain function, not from the coroutine body (GCC 12 coroutine bugs).
[[noreturn]] void throw_volume_error(const engine::VolumeFailure& failure, const VolumeJob& job) {
  const auto to_box = [](const engine::Chunk& chunk) {
    return VoxelBox{chunk.box.offset, chunk.box.shape};
  };
  std::vector<VoxelBox> failed, unsent;
  for (const auto& f : failure.failed) failed.push_back(to_box(f.chunk));
  for (const auto& c : failure.not_attempted) unsent.push_back(to_box(c));
  const unsigned status = failure.failed.empty() ? 0 : failure.failed.front().error.status;
  const auto message = fmt::format(
      "{} on '{}' (shape (z,y,x) {} at offset {}): {}", job.call_name, job.instance,
      zyx_text(job.box.shape), zyx_text(job.box.offset),
      failure.describe(job.put ? engine::TransferDirection::put : engine::TransferDirection::get));
  throw VolumeTransferError(message, status, std::move(failed), std::move(unsent),
                            failure.cancelled);
}

asio::awaitable<void> run_volume(ClientCore* core, api::BlockSizeCache* block_sizes, VolumeJob job,
                                 std::span<char> bytes) {
  const auto block = co_await block_sizes->get(core, job.uuid, job.instance);
  if (job.put) {
    // DVID stores whole blocks only: refuse before any chunk is sent, naming the axis.
    for (int axis = 0; axis < 3; ++axis) {
      const auto begin = job.box.offset[axis];
      const auto size = job.box.shape[axis];
      if (begin % block[axis] != 0 || size % block[axis] != 0)
        throw ArgumentError(
            fmt::format("{} on '{}': writes must be block aligned, but along {} the offset {} and "
                        "size {} are not "
                        "multiples of the block size {} (shape (z,y,x) {} at offset {})",
                        job.call_name, job.instance, kAxisNames[axis], begin, size, block[axis],
                        zyx_text(job.box.shape), zyx_text(job.box.offset)));
    }
  }

  engine::VolumeCall call;
  call.direction = job.put ? engine::TransferDirection::put : engine::TransferDirection::get;
  call.geometry.box = job.box;
  call.geometry.block = block;
  call.geometry.voxel_bytes = job.voxel_bytes;
  call.wire = job.wire;
  call.max_in_flight = job.options.max_in_flight != 0 ? job.options.max_in_flight
                                                      : core->http().options().max_connections;
  if (job.options.chunk_bytes != 0)
    call.limits.target_bytes = call.limits.max_bytes = job.options.chunk_bytes;
  call.limits.min_chunks = 2 * call.max_in_flight;
  // Each request costs a round trip: below ~1 Mi voxels, more parallel chunks lose more to latency
  // than they gain (4 calls sharing 32 connections to a 20 ms server: 64 chunks of 256 Ki voxels
  // each ran at half the throughput of 16 of 1 Mi). Counted in voxels, not bytes: lz4 labels
  // carry ~30x fewer bytes on the wire than their 8 bytes per voxel.
  call.limits.min_split_bytes = kMinSplitVoxels * job.voxel_bytes;
  call.adapt_to_congestion = job.throttle;
  call.progress = job.options.progress;
  call.cancel = job.options.cancel;
  call.target = [core, &job](const engine::Box& chunk) {
    const bool stored_blocks = job.wire == engine::ChunkWire::dvid_lz4_blocks;
    UrlBuilder url("/api/node");
    url.segment(job.uuid)
        .segment(job.instance)
        .literal("/" + (stored_blocks ? std::string("subvolblocks") : job.endpoint) + "/" +
                 api::dvid_xyz(chunk.shape) + "/" + api::dvid_xyz(chunk.offset));
    if (job.throttle) url.query("throttle", "on");
    if (job.wire == engine::ChunkWire::lz4) url.query("compression", "lz4");
    if (!job.roi.empty()) url.query("roi", job.roi);
    if (job.mutate) url.query("mutate", "true");
    return core->target(url);
  };
  auto result = co_await engine::transfer_volume(core->http(), std::move(call), bytes);
  if (!result) throw_volume_error(result.error(), job);
  if (const auto& statistics = job.options.statistics) {
    auto& report = result.value();
    statistics->chunks = report.chunks;
    statistics->requests = report.requests;
    statistics->retries = report.retries;
    statistics->voxel_bytes = report.voxel_bytes;
    statistics->wire_bytes = report.wire_bytes;
    statistics->chunk_latency_ms = std::move(report.chunk_latency_ms);
    statistics->seconds = report.elapsed.count();
  }
}

template <class T>
asio::awaitable<Volume<T>> fetch_volume(ClientCore* core, api::BlockSizeCache* block_sizes,
                                        VolumeJob job) {
  Volume<T> volume(job.box.shape);
  co_await run_volume(core, block_sizes, std::move(job),
                      std::span<char>(reinterpret_cast<char*>(volume.data()), volume.size_bytes()));
  co_return volume;
}

asio::awaitable<std::uint64_t> fetch_label(ClientCore* core, std::string uuid, std::string instance,
                                           Point3 point) {
  engine::Request request;
  request.target = core->target(UrlBuilder("/api/node")
                                    .segment(uuid)
                                    .segment(instance)
                                    .literal("/raw/0_1_2/1_1_1/" + api::dvid_xyz(point)));
  request.max_response_bytes = 64 * 1024;  // 8 bytes, or DVID's one-line refusal
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  if (response.body.size() != 8)
    throw DecodeError(
        fmt::format("a 1-voxel label read answered {} bytes instead of 8", response.body.size()),
        url);
  std::uint64_t label = 0;
  for (int i = 7; i >= 0; --i) label = (label << 8) | static_cast<unsigned char>(response.body[i]);
  co_return label;
}

asio::awaitable<bool> head_sparsevol(ClientCore* core, engine::Request request) {
  auto response = co_await core->call(std::move(request), api::StatusRange{200, 204});
  if (response.status != 200 && response.status != 204) {
    engine::Request shown;
    shown.method = "HEAD";
    api::throw_http_error(shown, response, core->endpoint().origin());
  }
  co_return response.status == 200;
}

asio::awaitable<bool> create_labels(ClientCore* core, std::string uuid, std::string labels,
                                    std::string labelvol, std::string block) {
  // (Settings built apart from the co_await: GCC 12 miscompiles braced lists inside one.)
  std::vector<std::pair<std::string, std::string>> settings;
  settings.emplace_back("BlockSize", block);
  const bool created = co_await api::create_instance(core, uuid, "labelblk", labels, settings);
  if (labelvol.empty()) co_return created;
  const bool vol_created =
      co_await api::create_instance(core, uuid, "labelvol", labelvol, settings);
  // Synced both ways, as DVID's own tests wire them: the labelvol indexes the labelblk's writes,
  // the labelblk follows the labelvol's merges and splits.
  std::vector<std::pair<std::string, std::string>> syncs;
  syncs.emplace_back(labelvol, labels);
  syncs.emplace_back(labels, labelvol);
  for (const auto& [from, to] : syncs) {
    engine::Request sync;
    sync.method = "POST";
    sync.target =
        core->target(UrlBuilder("/api/node").segment(uuid).segment(from).literal("/sync"));
    sync.headers = {{"Content-Type", "application/json"}};
    sync.body = "{\"sync\":\"" + to + "\"}";
    co_await core->call(std::move(sync));
  }
  co_return created&& vol_created;
}

std::string cubic_block(int blocksize) {
  if (blocksize <= 0) throw ArgumentError(fmt::format("blocksize {} must be positive", blocksize));
  return fmt::format("{0},{0},{0}", blocksize);
}

engine::ChunkWire label_wire(bool compress) {
  return compress ? engine::ChunkWire::lz4 : engine::ChunkWire::raw;
}

// uint8blk's raw endpoint never compresses, so "compress" fetches DVID's stored lz4 blocks
// (subvolblocks) instead. ROI masking happens only on raw, which then wins.
engine::ChunkWire gray_wire(bool compress, const std::string& roi) {
  return compress && roi.empty() ? engine::ChunkWire::dvid_lz4_blocks : engine::ChunkWire::raw;
}

template <class T>
std::span<char> as_bytes(std::span<T> values) {
  return {reinterpret_cast<char*>(values.data()), values.size_bytes()};
}

// Checks a volume call's arguments (ArgumentError, nothing sent), then starts it.
std::future<void> start_volume_transfer(const std::shared_ptr<ClientCore>& core,
                                        const std::shared_ptr<api::BlockSizeCache>& block_sizes,
                                        const std::string& uuid, std::string instance_name,
                                        Shape3 shape_zyx, Point3 offset_zyx, std::span<char> bytes,
                                        std::size_t voxel_bytes, bool put, bool throttle,
                                        engine::ChunkWire wire, std::string roi, bool mutate,
                                        TransferOptions options) {
  const char* call_name = voxel_bytes == 1 ? (put ? "put_gray3D" : "get_gray3D")
                                           : (put ? "put_labels3D" : "get_labels3D");
  auto job = checked_job(uuid, std::move(instance_name), call_name, shape_zyx, offset_zyx,
                         voxel_bytes, bytes.size() / voxel_bytes);
  job.put = put;
  job.throttle = throttle;
  job.wire = wire;
  job.roi = std::move(roi);
  job.mutate = mutate;
  job.options = std::move(options);
  return core->spawn(run_volume(core.get(), block_sizes.get(), std::move(job), bytes));
}

}  // namespace

// ---- grayscale ----------------------------------------------------------------------------------

bool NodeService::create_grayscale8(const std::string& instance_name, int blocksize) {
  api::require_instance_name(instance_name);
  return core_
      ->spawn(api::create_instance(core_.get(), uuid_, "uint8blk", instance_name,
                                   {{"BlockSize", cubic_block(blocksize)}}))
      .get();
}

std::future<Grayscale3D> NodeService::get_gray3D_async(std::string instance_name, Shape3 shape_zyx,
                                                       Point3 offset_zyx, bool throttle,
                                                       bool compress, std::string roi,
                                                       TransferOptions options) {
  auto job = checked_job(uuid_, std::move(instance_name), "get_gray3D", shape_zyx, offset_zyx, 1,
                         std::nullopt);
  job.throttle = throttle;
  job.wire = gray_wire(compress, roi);
  job.roi = std::move(roi);
  job.options = std::move(options);
  return core_->spawn(fetch_volume<std::uint8_t>(core_.get(), block_sizes_.get(), std::move(job)));
}

Grayscale3D NodeService::get_gray3D(const std::string& instance_name, Shape3 shape_zyx,
                                    Point3 offset_zyx, bool throttle, bool compress,
                                    const std::string& roi, const TransferOptions& options) {
  return get_gray3D_async(instance_name, shape_zyx, offset_zyx, throttle, compress, roi, options)
      .get();
}

void NodeService::get_gray3D(const std::string& instance_name, Shape3 shape_zyx, Point3 offset_zyx,
                             std::span<std::uint8_t> out, bool throttle, bool compress,
                             const std::string& roi, const TransferOptions& options) {
  start_volume_transfer(core_, block_sizes_, uuid_, instance_name, shape_zyx, offset_zyx,
                        as_bytes(out), 1, false, throttle, gray_wire(compress, roi), roi, false,
                        options)
      .get();
}

std::future<void> NodeService::put_gray3D_async(
    std::string instance_name, std::span<const std::uint8_t> voxels, Shape3 shape_zyx,
    Point3 offset_zyx, bool throttle, bool /*compress: DVID has no compressed uint8blk write*/,
    TransferOptions options) {
  const std::span<char> bytes(const_cast<char*>(reinterpret_cast<const char*>(voxels.data())),
                              voxels.size());
  return start_volume_transfer(core_, block_sizes_, uuid_, std::move(instance_name), shape_zyx,
                               offset_zyx, bytes, 1, true, throttle, engine::ChunkWire::raw, "",
                               false, std::move(options));
}

void NodeService::put_gray3D(const std::string& instance_name, std::span<const std::uint8_t> voxels,
                             Shape3 shape_zyx, Point3 offset_zyx, bool throttle, bool compress,
                             const TransferOptions& options) {
  put_gray3D_async(instance_name, voxels, shape_zyx, offset_zyx, throttle, compress, options).get();
}

void NodeService::put_gray3D(const std::string& instance_name, const Grayscale3D& volume,
                             Point3 offset_zyx, bool throttle, bool compress,
                             const TransferOptions& options) {
  put_gray3D(instance_name, volume.span(), volume.shape(), offset_zyx, throttle, compress, options);
}

Grayscale3D NodeService::get_roi3D(const std::string& roi_name, Shape3 dims_zyx, Point3 offset_zyx,
                                   bool /*throttle: not a mask option in DVID*/,
                                   bool /*compress: not a mask option in DVID*/,
                                   const TransferOptions& options) {
  auto job = checked_job(uuid_, roi_name, "get_roi3D", dims_zyx, offset_zyx, 1, std::nullopt);
  job.throttle = false;
  job.endpoint = "mask/0_1_2";
  job.options = options;
  return core_->spawn(fetch_volume<std::uint8_t>(core_.get(), block_sizes_.get(), std::move(job)))
      .get();
}

bool NodeService::create_roi(const std::string& name) {
  api::require_instance_name(name);
  return core_->spawn(api::create_instance(core_.get(), uuid_, "roi", name, {})).get();
}

// ---- labels -------------------------------------------------------------------------------------

bool NodeService::create_labelblk(const std::string& instance_name,
                                  const std::string& labelvol_name, int blocksize) {
  api::require_instance_name(instance_name);
  if (!labelvol_name.empty()) api::require_instance_name(labelvol_name);
  return core_
      ->spawn(
          create_labels(core_.get(), uuid_, instance_name, labelvol_name, cubic_block(blocksize)))
      .get();
}

std::future<Labels3D> NodeService::get_labels3D_async(std::string instance_name, Shape3 shape_zyx,
                                                      Point3 offset_zyx, bool throttle,
                                                      bool compress, std::string roi,
                                                      TransferOptions options,
                                                      LabelReadOptions /*label_options*/) {
  auto job = checked_job(uuid_, std::move(instance_name), "get_labels3D", shape_zyx, offset_zyx, 8,
                         std::nullopt);
  job.throttle = throttle;
  job.wire = label_wire(compress);
  job.roi = std::move(roi);
  job.options = std::move(options);
  return core_->spawn(fetch_volume<std::uint64_t>(core_.get(), block_sizes_.get(), std::move(job)));
}

Labels3D NodeService::get_labels3D(const std::string& instance_name, Shape3 shape_zyx,
                                   Point3 offset_zyx, bool throttle, bool compress,
                                   const std::string& roi, const TransferOptions& options,
                                   const LabelReadOptions& /*label_options*/) {
  return get_labels3D_async(instance_name, shape_zyx, offset_zyx, throttle, compress, roi, options)
      .get();
}

void NodeService::get_labels3D(const std::string& instance_name, Shape3 shape_zyx,
                               Point3 offset_zyx, std::span<std::uint64_t> out, bool throttle,
                               bool compress, const std::string& roi,
                               const TransferOptions& options,
                               const LabelReadOptions& /*label_options*/) {
  start_volume_transfer(core_, block_sizes_, uuid_, instance_name, shape_zyx, offset_zyx,
                        as_bytes(out), 8, false, throttle, label_wire(compress), roi, false,
                        options)
      .get();
}

std::future<void> NodeService::put_labels3D_async(std::string instance_name,
                                                  std::span<const std::uint64_t> voxels,
                                                  Shape3 shape_zyx, Point3 offset_zyx,
                                                  bool throttle, bool compress, std::string roi,
                                                  bool mutate, TransferOptions options,
                                                  LabelWriteOptions /*label_options*/) {
  const std::span<char> bytes(const_cast<char*>(reinterpret_cast<const char*>(voxels.data())),
                              voxels.size_bytes());
  return start_volume_transfer(core_, block_sizes_, uuid_, std::move(instance_name), shape_zyx,
                               offset_zyx, bytes, 8, true, throttle, label_wire(compress),
                               std::move(roi), mutate, std::move(options));
}

void NodeService::put_labels3D(const std::string& instance_name,
                               std::span<const std::uint64_t> voxels, Shape3 shape_zyx,
                               Point3 offset_zyx, bool throttle, bool compress,
                               const std::string& roi, bool mutate, const TransferOptions& options,
                               const LabelWriteOptions& /*label_options*/) {
  put_labels3D_async(instance_name, voxels, shape_zyx, offset_zyx, throttle, compress, roi, mutate,
                     options)
      .get();
}

void NodeService::put_labels3D(const std::string& instance_name, const Labels3D& volume,
                               Point3 offset_zyx, bool throttle, bool compress,
                               const std::string& roi, bool mutate, const TransferOptions& options,
                               const LabelWriteOptions& /*label_options*/) {
  put_labels3D(instance_name, volume.span(), volume.shape(), offset_zyx, throttle, compress, roi,
               mutate, options);
}

std::future<std::uint64_t> NodeService::get_label_by_location_async(std::string instance_name,
                                                                    Point3 point_zyx,
                                                                    bool /*supervoxels*/) {
  api::require_instance_name(instance_name);
  return core_->spawn(fetch_label(core_.get(), uuid_, std::move(instance_name), point_zyx));
}

std::uint64_t NodeService::get_label_by_location(const std::string& instance_name, Point3 point_zyx,
                                                 bool /*supervoxels*/) {
  return get_label_by_location_async(instance_name, point_zyx).get();
}

std::future<bool> NodeService::body_exists_async(std::string labelvol_name, std::uint64_t bodyid) {
  api::require_instance_name(labelvol_name);
  engine::Request request;
  request.method = "HEAD";
  request.target = core_->target(UrlBuilder("/api/node")
                                     .segment(uuid_)
                                     .segment(labelvol_name)
                                     .literal("/sparsevol/" + std::to_string(bodyid)));
  return core_->spawn(head_sparsevol(core_.get(), std::move(request)));
}

bool NodeService::body_exists(const std::string& labelvol_name, std::uint64_t bodyid) {
  return body_exists_async(labelvol_name, bodyid).get();
}

Shape3 NodeService::get_blocksize(const std::string& instance_name) {
  api::require_instance_name(instance_name);
  return core_->spawn(block_sizes_->get(core_.get(), uuid_, instance_name)).get();
}

}  // namespace dvidxfer
