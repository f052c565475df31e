// NodeService's volume calls: grayscale and labels through the parallel chunk engine, the wire
// chosen from the instance's type (labelmap/labelarray: stored blocks), bodies, and the instance
// creation they need.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "block_codecs.hpp"
#include "client_core.hpp"
#include "dvid_coordinates.hpp"
#include "dvidxfer/engine/volume_transfer.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "instance_creation.hpp"
#include "instance_info_cache.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

constexpr const char* kAxisNames[3] = {"z", "y", "x"};
// Fewest voxels in a chunk the planner makes when splitting a call to fill its connections.
constexpr std::uint64_t kMinSplitVoxels = 1ull << 20;
// Dense bytes per chunk of a labelmap/labelarray read over stored blocks (32 blocks of 64^3).
constexpr std::uint64_t kLabelBlocksChunkBytes = 64ull << 20;

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
  bool compress = false;
  bool mask = false;                // get_roi3D: an roi instance's /mask
  bool stored_blocks_only = false;  // the libdvid labelarray calls: labelmap/labelarray only
  std::string roi;
  bool mutate = false;
  LabelReadOptions label_read;
  LabelWriteOptions label_write;
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

// How a job's chunks travel, chosen from the instance's type.
struct WirePlan {
  engine::ChunkWire wire = engine::ChunkWire::raw;
  std::string endpoint = "raw/0_1_2";  // after the instance name
  bool sized = true;                   // the chunk's size and offset follow the endpoint
  std::vector<std::pair<std::string, std::string>> query;
  engine::BlockCodec codec;  // for ChunkWire::blocks
};

[[noreturn]] void refuse(const VolumeJob& job, std::string_view why) {
  throw ArgumentError(fmt::format("{} on '{}': {}", job.call_name, job.instance, why));
}

// The type check: gray calls need uint8blk, label calls a label type (the libdvid labelarray
// calls labelmap or labelarray).
void check_type(const VolumeJob& job, const api::InstanceInfo& info) {
  if (job.mask) return;
  const char* needed = nullptr;
  if (job.voxel_bytes == 1 && info.type_name != "uint8blk")
    needed = "uint8blk";
  else if (job.stored_blocks_only && !info.stores_label_blocks())
    needed = "labelmap or labelarray";
  else if (job.voxel_bytes == 8 && !info.holds_labels())
    needed = "labelblk, labelmap or labelarray";
  if (needed)
    refuse(job, fmt::format("it is a {} instance, and {} needs {}", info.type_name, job.call_name,
                            needed));
}

void check_scale(const VolumeJob& job, int scale) {
  if (scale < 0 || scale > 255)
    refuse(job, fmt::format("scale {} is not a level DVID has (0 to 255)", scale));
}

// labelmap/labelarray reads: their stored blocks, or dense voxels when asked or an ROI needs them.
void plan_label_read(const VolumeJob& job, const api::InstanceInfo& info, WirePlan& plan) {
  const auto& options = job.label_read;
  check_scale(job, options.scale);
  if (job.roi.empty() && options.wire == LabelWire::stored_blocks) {
    plan.wire = engine::ChunkWire::blocks;
    plan.endpoint = "blocks";
    plan.query.emplace_back("compression", "blocks");
    plan.codec = api::gzip_label_block_codec(info.block);
  } else if (job.compress) {
    plan.wire = engine::ChunkWire::lz4;
    plan.query.emplace_back("compression", "lz4");
  }
  if (!job.roi.empty()) plan.query.emplace_back("roi", job.roi);
  if (options.scale != 0) plan.query.emplace_back("scale", std::to_string(options.scale));
  if (options.supervoxels) plan.query.emplace_back("supervoxels", "true");
}

// labelmap/labelarray writes: POST /blocks (or /ingest-supervoxels) chunks of gzip'd blocks.
void plan_label_write(const VolumeJob& job, const api::InstanceInfo& info, WirePlan& plan) {
  const auto& options = job.label_write;
  check_scale(job, options.scale);
  if (!job.roi.empty() || job.mutate)
    refuse(job,
           "roi and mutate exist only on DVID's raw label write; a labelmap or labelarray "
           "write sends blocks");
  if (options.ingest_supervoxels && info.type_name != "labelmap")
    refuse(job, "ingest_supervoxels needs a labelmap instance, not a " + info.type_name);
  if (options.downres && (options.scale != 0 || options.ingest_supervoxels))
    refuse(job, "downres recomputes lower levels from scale 0 /blocks writes only");
  plan.wire = engine::ChunkWire::blocks;
  plan.endpoint = options.ingest_supervoxels ? "ingest-supervoxels" : "blocks";
  plan.sized = false;
  if (options.scale != 0) plan.query.emplace_back("scale", std::to_string(options.scale));
  if (options.downres) plan.query.emplace_back("downres", "true");
  if (options.noindexing && !options.ingest_supervoxels)
    plan.query.emplace_back("noindexing", "true");
  plan.codec = api::gzip_label_block_codec(info.block);
}

// Checks the job against the instance (ArgumentError) and chooses its wire.
WirePlan plan_wire(const VolumeJob& job, const api::InstanceInfo& info) {
  check_type(job, info);
  WirePlan plan;
  if (job.throttle) plan.query.emplace_back("throttle", "on");
  if (job.mask) {
    plan.endpoint = "mask/0_1_2";
    return plan;
  }
  if (job.voxel_bytes == 1) {
    // uint8blk's raw endpoint never compresses, so "compress" fetches DVID's stored lz4 blocks
    // (subvolblocks) instead. ROI masking happens only on raw, which then wins; DVID has no
    // compressed uint8blk write.
    if (job.compress && job.roi.empty() && !job.put) {
      plan.wire = engine::ChunkWire::blocks;
      plan.endpoint = "subvolblocks";
      plan.codec = api::stored_gray_block_codec(info.block);
    }
    if (!job.roi.empty()) plan.query.emplace_back("roi", job.roi);
    return plan;
  }
  if (info.stores_label_blocks()) {
    if (job.put)
      plan_label_write(job, info, plan);
    else
      plan_label_read(job, info, plan);
    return plan;
  }
  // labelblk: dense voxels, lz4 when compressed; it has no levels, supervoxels or block writes.
  const auto& read = job.label_read;
  const auto& write = job.label_write;
  if (read.scale != 0 || read.supervoxels || write.scale != 0 || write.downres ||
      write.noindexing || write.ingest_supervoxels)
    refuse(job,
           "labelblk has no scales, supervoxels, downres, indexing or ingestion options; "
           "they are labelmap's and labelarray's");
  if (job.compress) {
    plan.wire = engine::ChunkWire::lz4;
    plan.query.emplace_back("compression", "lz4");
  }
  if (!job.roi.empty()) plan.query.emplace_back("roi", job.roi);
  if (job.mutate) plan.query.emplace_back("mutate", "true");
  return plan;
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

// DVID stores whole blocks only: refuses an unaligned write before any chunk is sent, naming the
// axis.
void check_write_alignment(const VolumeJob& job, const Shape3& block) {
  for (int axis = 0; axis < 3; ++axis) {
    const auto begin = job.box.offset[axis];
    const auto size = job.box.shape[axis];
    if (begin % block[axis] != 0 || size % block[axis] != 0)
      refuse(job, fmt::format("writes must be block aligned, but along {} the offset {} and size "
                              "{} are not multiples of the block size {} (shape (z,y,x) {} at "
                              "offset {})",
                              kAxisNames[axis], begin, size, block[axis], zyx_text(job.box.shape),
                              zyx_text(job.box.offset)));
  }
}

asio::awaitable<void> run_volume(ClientCore* core, api::InstanceInfoCache* instances, VolumeJob job,
                                 std::span<char> bytes) {
  const auto info = co_await instances->get(core, job.uuid, job.instance);
  const auto plan = plan_wire(job, info);
  if (job.put) check_write_alignment(job, info.block);

  engine::VolumeCall call;
  call.direction = job.put ? engine::TransferDirection::put : engine::TransferDirection::get;
  call.geometry.box = job.box;
  call.geometry.block = info.block;
  call.geometry.voxel_bytes = job.voxel_bytes;
  call.wire = plan.wire;
  call.block_codec = plan.codec;
  call.max_in_flight = job.options.max_in_flight != 0 ? job.options.max_in_flight
                                                      : core->http().options().max_connections;
  if (job.options.chunk_bytes != 0)
    call.limits.target_bytes = call.limits.max_bytes = job.options.chunk_bytes;
  else if (plan.wire == engine::ChunkWire::blocks && !job.put && info.stores_label_blocks())
    // Stored label blocks carry ~1/70 to 1/450 of their dense bytes: a dense-sized chunk would
    // pay a round trip for a few KB. The decode still spreads over the cores within a chunk.
    call.limits.target_bytes = kLabelBlocksChunkBytes;
  call.limits.min_chunks = 2 * call.max_in_flight;
  // Each request costs a round trip: below ~1 Mi voxels, more parallel chunks lose more to latency
  // than they gain (4 calls sharing 32 connections to a 20 ms server: 64 chunks of 256 Ki voxels
  // each ran at half the throughput of 16 of 1 Mi). Counted in voxels, not bytes: lz4 labels
  // carry ~30x fewer bytes on the wire than their 8 bytes per voxel.
  call.limits.min_split_bytes = kMinSplitVoxels * job.voxel_bytes;
  // DVID recomputes a lower-scale block from the children one request wrote, and a parent whose
  // written children are all solid 0 becomes solid 0 (labels.Block.setBlank): two chunks sharing
  // a parent would erase each other's half. So downres writes are cut on the coarsest grid.
  if (job.put && job.label_write.downres)
    for (int axis = 0; axis < 3; ++axis)
      call.limits.grid[axis] = info.block[axis] << std::min(info.max_downres_level, 24);
  call.adapt_to_congestion = job.throttle;
  call.progress = job.options.progress;
  call.cancel = job.options.cancel;
  call.target = [core, &job, &plan](const engine::Box& chunk) {
    UrlBuilder url("/api/node");
    url.segment(job.uuid).segment(job.instance).literal("/" + plan.endpoint);
    if (plan.sized)
      url.literal("/" + api::dvid_xyz(chunk.shape) + "/" + api::dvid_xyz(chunk.offset));
    for (const auto& [name, value] : plan.query) url.query(name, value);
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
asio::awaitable<Volume<T>> fetch_volume(ClientCore* core, api::InstanceInfoCache* instances,
                                        VolumeJob job) {
  Volume<T> volume(job.box.shape);
  co_await run_volume(core, instances, std::move(job),
                      std::span<char>(reinterpret_cast<char*>(volume.data()), volume.size_bytes()));
  co_return volume;
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

template <class T>
std::span<char> as_bytes(std::span<T> values) {
  return {reinterpret_cast<char*>(values.data()), values.size_bytes()};
}

template <class T>
std::span<char> as_writable_bytes(std::span<const T> values) {
  // A PUT only reads it; the engine's volume span is mutable for both directions.
  return {const_cast<char*>(reinterpret_cast<const char*>(values.data())), values.size_bytes()};
}

// Starts a checked job on the caller's buffer.
std::future<void> start_volume_transfer(const std::shared_ptr<ClientCore>& core,
                                        const std::shared_ptr<api::InstanceInfoCache>& instances,
                                        VolumeJob job, std::span<char> bytes) {
  return core->spawn(run_volume(core.get(), instances.get(), std::move(job), bytes));
}

VolumeJob gray_job(const std::string& uuid, std::string instance, bool put, Shape3 shape,
                   Point3 offset, std::optional<std::size_t> voxels, bool throttle, bool compress,
                   std::string roi, TransferOptions options) {
  auto job = checked_job(uuid, std::move(instance), put ? "put_gray3D" : "get_gray3D", shape,
                         offset, 1, voxels);
  job.put = put;
  job.throttle = throttle;
  job.compress = compress;
  job.roi = std::move(roi);
  job.options = std::move(options);
  return job;
}

VolumeJob label_read_job(const std::string& uuid, std::string instance, std::string call_name,
                         Shape3 shape, Point3 offset, std::optional<std::size_t> voxels,
                         bool throttle, bool compress, std::string roi, TransferOptions options,
                         LabelReadOptions label_options) {
  auto job = checked_job(uuid, std::move(instance), std::move(call_name), shape, offset, 8, voxels);
  job.throttle = throttle;
  job.compress = compress;
  job.roi = std::move(roi);
  job.options = std::move(options);
  job.label_read = label_options;
  return job;
}

VolumeJob label_write_job(const std::string& uuid, std::string instance, std::string call_name,
                          Shape3 shape, Point3 offset, std::size_t voxels, bool throttle,
                          bool compress, std::string roi, bool mutate, TransferOptions options,
                          LabelWriteOptions label_options) {
  auto job = checked_job(uuid, std::move(instance), std::move(call_name), shape, offset, 8, voxels);
  job.put = true;
  job.throttle = throttle;
  job.compress = compress;
  job.roi = std::move(roi);
  job.mutate = mutate;
  job.options = std::move(options);
  job.label_write = label_options;
  return job;
}

}  // namespace

// ---- grayscale ----------------------------------------------------------------------------------

bool NodeService::create_grayscale8(const std::string& instance_name, int blocksize) {
  api::require_instance_name(instance_name);
  return core_
      ->spawn(api::create_instance(core_.get(), uuid_, "uint8blk", instance_name,
                                   {{"BlockSize", api::cubic_block_size(blocksize)}}))
      .get();
}

std::future<Grayscale3D> NodeService::get_gray3D_async(std::string instance_name, Shape3 shape_zyx,
                                                       Point3 offset_zyx, bool throttle,
                                                       bool compress, std::string roi,
                                                       TransferOptions options) {
  auto job = gray_job(uuid_, std::move(instance_name), false, shape_zyx, offset_zyx, std::nullopt,
                      throttle, compress, std::move(roi), std::move(options));
  return core_->spawn(fetch_volume<std::uint8_t>(core_.get(), instances_.get(), std::move(job)));
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
  auto job = gray_job(uuid_, instance_name, false, shape_zyx, offset_zyx, out.size(), throttle,
                      compress, roi, options);
  start_volume_transfer(core_, instances_, std::move(job), as_bytes(out)).get();
}

std::future<void> NodeService::put_gray3D_async(std::string instance_name,
                                                std::span<const std::uint8_t> voxels,
                                                Shape3 shape_zyx, Point3 offset_zyx, bool throttle,
                                                bool compress, TransferOptions options) {
  auto job = gray_job(uuid_, std::move(instance_name), true, shape_zyx, offset_zyx, voxels.size(),
                      throttle, compress, "", std::move(options));
  return start_volume_transfer(core_, instances_, std::move(job), as_writable_bytes(voxels));
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
  job.mask = true;
  job.options = options;
  return core_->spawn(fetch_volume<std::uint8_t>(core_.get(), instances_.get(), std::move(job)))
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
      ->spawn(create_labels(core_.get(), uuid_, instance_name, labelvol_name,
                            api::cubic_block_size(blocksize)))
      .get();
}

std::future<Labels3D> NodeService::get_labels3D_async(std::string instance_name, Shape3 shape_zyx,
                                                      Point3 offset_zyx, bool throttle,
                                                      bool compress, std::string roi,
                                                      TransferOptions options,
                                                      LabelReadOptions label_options) {
  auto job = label_read_job(uuid_, std::move(instance_name), "get_labels3D", shape_zyx, offset_zyx,
                            std::nullopt, throttle, compress, std::move(roi), std::move(options),
                            label_options);
  return core_->spawn(fetch_volume<std::uint64_t>(core_.get(), instances_.get(), std::move(job)));
}

Labels3D NodeService::get_labels3D(const std::string& instance_name, Shape3 shape_zyx,
                                   Point3 offset_zyx, bool throttle, bool compress,
                                   const std::string& roi, const TransferOptions& options,
                                   const LabelReadOptions& label_options) {
  return get_labels3D_async(instance_name, shape_zyx, offset_zyx, throttle, compress, roi, options,
                            label_options)
      .get();
}

void NodeService::get_labels3D(const std::string& instance_name, Shape3 shape_zyx,
                               Point3 offset_zyx, std::span<std::uint64_t> out, bool throttle,
                               bool compress, const std::string& roi,
                               const TransferOptions& options,
                               const LabelReadOptions& label_options) {
  auto job = label_read_job(uuid_, instance_name, "get_labels3D", shape_zyx, offset_zyx, out.size(),
                            throttle, compress, roi, options, label_options);
  start_volume_transfer(core_, instances_, std::move(job), as_bytes(out)).get();
}

std::future<Labels3D> NodeService::get_labelarray_blocks3D_async(std::string instance_name,
                                                                 Shape3 shape_zyx,
                                                                 Point3 offset_zyx, bool throttle,
                                                                 int scale, bool supervoxels) {
  LabelReadOptions label_options;
  label_options.scale = scale;
  label_options.supervoxels = supervoxels;
  auto job = label_read_job(uuid_, std::move(instance_name), "get_labelarray_blocks3D", shape_zyx,
                            offset_zyx, std::nullopt, throttle, false, "", {}, label_options);
  job.stored_blocks_only = true;
  return core_->spawn(fetch_volume<std::uint64_t>(core_.get(), instances_.get(), std::move(job)));
}

Labels3D NodeService::get_labelarray_blocks3D(const std::string& instance_name, Shape3 shape_zyx,
                                              Point3 offset_zyx, bool throttle, int scale,
                                              bool supervoxels) {
  return get_labelarray_blocks3D_async(instance_name, shape_zyx, offset_zyx, throttle, scale,
                                       supervoxels)
      .get();
}

std::future<void> NodeService::put_labels3D_async(std::string instance_name,
                                                  std::span<const std::uint64_t> voxels,
                                                  Shape3 shape_zyx, Point3 offset_zyx,
                                                  bool throttle, bool compress, std::string roi,
                                                  bool mutate, TransferOptions options,
                                                  LabelWriteOptions label_options) {
  auto job = label_write_job(uuid_, std::move(instance_name), "put_labels3D", shape_zyx, offset_zyx,
                             voxels.size(), throttle, compress, std::move(roi), mutate,
                             std::move(options), label_options);
  return start_volume_transfer(core_, instances_, std::move(job), as_writable_bytes(voxels));
}

void NodeService::put_labels3D(const std::string& instance_name,
                               std::span<const std::uint64_t> voxels, Shape3 shape_zyx,
                               Point3 offset_zyx, bool throttle, bool compress,
                               const std::string& roi, bool mutate, const TransferOptions& options,
                               const LabelWriteOptions& label_options) {
  put_labels3D_async(instance_name, voxels, shape_zyx, offset_zyx, throttle, compress, roi, mutate,
                     options, label_options)
      .get();
}

void NodeService::put_labels3D(const std::string& instance_name, const Labels3D& volume,
                               Point3 offset_zyx, bool throttle, bool compress,
                               const std::string& roi, bool mutate, const TransferOptions& options,
                               const LabelWriteOptions& label_options) {
  put_labels3D(instance_name, volume.span(), volume.shape(), offset_zyx, throttle, compress, roi,
               mutate, options, label_options);
}

std::future<void> NodeService::put_labelblocks3D_async(std::string instance_name,
                                                       const Labels3D& label_vol_zyx,
                                                       Point3 offset_zyx, bool throttle, int scale,
                                                       bool noindexing) {
  LabelWriteOptions label_options;
  label_options.scale = scale;
  label_options.noindexing = noindexing;
  auto job = label_write_job(uuid_, std::move(instance_name), "put_labelblocks3D",
                             label_vol_zyx.shape(), offset_zyx, label_vol_zyx.size(), throttle,
                             false, "", false, {}, label_options);
  job.stored_blocks_only = true;
  return start_volume_transfer(core_, instances_, std::move(job),
                               as_writable_bytes(label_vol_zyx.span()));
}

void NodeService::put_labelblocks3D(const std::string& instance_name, const Labels3D& label_vol_zyx,
                                    Point3 offset_zyx, bool throttle, int scale, bool noindexing) {
  put_labelblocks3D_async(instance_name, label_vol_zyx, offset_zyx, throttle, scale, noindexing)
      .get();
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
  return core_->spawn(instances_->get(core_.get(), uuid_, instance_name)).get().block;
}

}  // namespace dvidxfer
