// NodeService's label calls beyond the volume engine: labelmap/labelarray creation, labels at
// points (GET .../labels) and specific blocks (GET .../specificblocks).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "block_codecs.hpp"
#include "client_core.hpp"
#include "dvid_coordinates.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "instance_creation.hpp"
#include "instance_info_cache.hpp"
#include "json_answers.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

asio::awaitable<bool> create_label_blocks_instance(ClientCore* core, std::string uuid,
                                                   std::string type_name, std::string name,
                                                   std::string block) {
  // (Settings built apart from the co_await: GCC 12 miscompiles braced lists inside one.)
  std::vector<std::pair<std::string, std::string>> settings;
  settings.emplace_back("BlockSize", std::move(block));
  co_return co_await api::create_instance(core, std::move(uuid), std::move(type_name),
                                          std::move(name), std::move(settings));
}

std::future<bool> start_creation(const std::shared_ptr<ClientCore>& core, const std::string& uuid,
                                 const char* type_name, std::string instance_name, int blocksize) {
  api::require_instance_name(instance_name);
  return core->spawn(create_label_blocks_instance(
      core.get(), uuid, type_name, std::move(instance_name), api::cubic_block_size(blocksize)));
}

// Throws from a plain function, not from the coroutine body (GCC 12 coroutine bugs).
void check_label_type(const std::string& call, const std::string& instance,
                      const api::InstanceInfo& info, bool supervoxels) {
  if (!info.holds_labels())
    throw ArgumentError(
        fmt::format("{} on '{}': it is a {} instance, and {} needs labelblk, "
                    "labelmap or labelarray",
                    call, instance, info.type_name, call));
  if (supervoxels && info.type_name != "labelmap")
    throw ArgumentError(fmt::format("{} on '{}': supervoxels needs a labelmap instance, not a {}",
                                    call, instance, info.type_name));
}

asio::awaitable<std::vector<std::uint64_t>> fetch_labels(ClientCore* core,
                                                         api::InstanceInfoCache* instances,
                                                         std::string uuid, std::string instance,
                                                         std::vector<PointZYX> points,
                                                         bool supervoxels, std::string call) {
  const auto info = co_await instances->get(core, uuid, instance);
  check_label_type(call, instance, info, supervoxels);
  UrlBuilder url("/api/node");
  url.segment(uuid).segment(instance).literal("/labels");
  if (supervoxels) url.query("supervoxels", "true");
  engine::Request request;
  request.target = core->target(url);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "[";
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i != 0) request.body += ',';
    request.body += api::dvid_xyz_json(points[i]);
  }
  request.body += "]";
  const auto shown = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  const auto document = JsonDocument::parse(std::move(response.body), shown);
  co_return api::decode_label_list(document, points.size(), shown);
}

asio::awaitable<std::uint64_t> fetch_label(ClientCore* core, api::InstanceInfoCache* instances,
                                           std::string uuid, std::string instance, Point3 point,
                                           bool supervoxels) {
  std::vector<PointZYX> points{point};
  const auto labels =
      co_await fetch_labels(core, instances, std::move(uuid), std::move(instance),
                            std::move(points), supervoxels, "get_label_by_location");
  co_return labels.front();
}

// What one specificblocks call asks for, checked.
struct SpecificBlocksJob {
  std::string uuid;
  std::string instance;
  bool gray = false;
  std::vector<BlockZYX> coords;
  int scale = 0;
  bool uncompressed = false;
  bool supervoxels = false;
};

void check_specific_blocks_type(const SpecificBlocksJob& job, const api::InstanceInfo& info) {
  const bool fits = job.gray ? info.type_name == "uint8blk" : info.stores_label_blocks();
  if (!fits)
    throw ArgumentError(fmt::format(
        "get_specificblocks3D on '{}': it is a {} instance, and gray={} needs {}", job.instance,
        info.type_name, job.gray, job.gray ? "uint8blk" : "labelmap or labelarray"));
  if (job.supervoxels && info.type_name != "labelmap")
    throw ArgumentError(
        fmt::format("get_specificblocks3D on '{}': supervoxels needs a labelmap instance, not a {}",
                    job.instance, info.type_name));
}

[[noreturn]] void throw_block_decode_error(const std::string& url, const std::string& what) {
  throw DecodeError("get_specificblocks3D: the block stream is corrupt: " + what, url);
}

// Decodes the answer's records into whole blocks, sorted by (z, y, x). Payloads are what DVID
// stores (gzip'd label Blocks, lz4 values) unless `uncompressed` asked for dense voxels; the codec
// of the instance's stored form is the engine's, so the two paths decode alike.
SpecificBlocks decode_specific_blocks(const SpecificBlocksJob& job, const Shape3& block,
                                      const std::string& stream, const std::string& url) {
  const std::size_t voxel_bytes = job.gray ? 1 : 8;
  const std::size_t block_bytes =
      static_cast<std::size_t>(block[0] * block[1] * block[2]) * voxel_bytes;
  const auto codec =
      job.gray ? api::stored_gray_block_codec(block) : api::gzip_label_block_codec(block);
  std::map<BlockZYX, std::size_t> wanted;  // coordinate -> its record index once it arrived
  for (const auto& c : job.coords) wanted.emplace(c, SIZE_MAX);
  struct Record {
    BlockZYX coord;
    std::string_view payload;
    std::uint64_t offset;
  };
  std::vector<Record> records;
  codecs::BlockRecordParser parser(std::max(codec.max_payload_bytes, block_bytes));
  auto fed = parser.feed(stream, [&](const codecs::BlockRecord& r) -> codecs::CodecResult<Unit> {
    const auto coord = api::zyx_from_dvid(r.coord.x, r.coord.y, r.coord.z);
    const auto offset = static_cast<std::uint64_t>(r.payload.data() - stream.data()) -
                        codecs::kBlockRecordHeaderBytes;
    const auto it = wanted.find(coord);
    const char* wrong = it == wanted.end()       ? "was not asked for"
                        : it->second != SIZE_MAX ? "arrives more than once"
                                                 : nullptr;
    if (wrong)
      return fail(codecs::CodecError{fmt::format("block (x,y,z) ({},{},{}) in the record at byte "
                                                 "{} {}",
                                                 r.coord.x, r.coord.y, r.coord.z, offset, wrong),
                                     static_cast<std::size_t>(offset)});
    it->second = records.size();
    records.push_back({coord, r.payload, offset});
    return Unit{};
  });
  if (!fed) throw_block_decode_error(url, fed.error().message);
  if (auto finished = parser.finish(); !finished)
    throw_block_decode_error(url, finished.error().message);

  SpecificBlocks result;
  for (const auto& [coord, index] : wanted) {  // std::map: sorted by (z, y, x)
    if (index == SIZE_MAX) continue;
    const auto& record = records[index];
    std::span<char> voxels;
    if (job.gray) {
      result.gray.emplace_back(block);
      voxels = {reinterpret_cast<char*>(result.gray.back().data()), block_bytes};
    } else {
      result.labels.emplace_back(block);
      voxels = {reinterpret_cast<char*>(result.labels.back().data()), block_bytes};
    }
    result.coords_zyx.push_back(coord);
    // DVID answers labelarray's specificblocks in the stored form whatever was asked, so only a
    // payload of exactly the block's dense size is taken as expanded voxels.
    if (job.uncompressed && record.payload.size() == block_bytes) {
      std::copy(record.payload.begin(), record.payload.end(), voxels.begin());
      continue;
    }
    const engine::BlockWindow window{voxels.data(),
                                     static_cast<std::size_t>(block[2]) * voxel_bytes,
                                     static_cast<std::size_t>(block[1] * block[2]) * voxel_bytes,
                                     {0, 0, 0},
                                     block};
    auto decoded = codec.decode(record.payload, window);
    if (!decoded)
      throw_block_decode_error(
          url, fmt::format("block (x,y,z) ({},{},{}) in the record at byte {}: {} (at byte {} of "
                           "its payload)",
                           coord[2], coord[1], coord[0], record.offset, decoded.error().message,
                           decoded.error().offset));
  }
  return result;
}

asio::awaitable<SpecificBlocks> fetch_specific_blocks(ClientCore* core,
                                                      api::InstanceInfoCache* instances,
                                                      SpecificBlocksJob job) {
  const auto info = co_await instances->get(core, job.uuid, job.instance);
  check_specific_blocks_type(job, info);
  if (job.coords.empty()) co_return SpecificBlocks{};
  std::string blocks;
  for (const auto& c : job.coords) {
    if (!blocks.empty()) blocks += ',';
    blocks += api::dvid_xyz_csv(c);
  }
  UrlBuilder url("/api/node");
  url.segment(job.uuid).segment(job.instance).literal("/specificblocks").query("blocks", blocks);
  if (job.scale != 0) url.query("scale", std::to_string(job.scale));
  if (job.uncompressed) url.query("compression", "uncompressed");
  if (job.supervoxels) url.query("supervoxels", "true");
  engine::Request request;
  request.target = core->target(url);
  const auto shown = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  co_return decode_specific_blocks(job, info.block, response.body, shown);
}

}  // namespace

bool NodeService::create_labelarray(const std::string& instance_name, int blocksize) {
  return create_labelarray_async(instance_name, blocksize).get();
}

std::future<bool> NodeService::create_labelarray_async(std::string instance_name, int blocksize) {
  return start_creation(core_, uuid_, "labelarray", std::move(instance_name), blocksize);
}

bool NodeService::create_labelmap(const std::string& instance_name, int blocksize) {
  return create_labelmap_async(instance_name, blocksize).get();
}

std::future<bool> NodeService::create_labelmap_async(std::string instance_name, int blocksize) {
  return start_creation(core_, uuid_, "labelmap", std::move(instance_name), blocksize);
}

std::future<std::vector<std::uint64_t>> NodeService::get_labels_by_location_async(
    std::string instance_name, std::vector<PointZYX> points_zyx, bool supervoxels) {
  api::require_instance_name(instance_name);
  if (points_zyx.empty()) {
    std::promise<std::vector<std::uint64_t>> none;
    none.set_value({});
    return none.get_future();
  }
  return core_->spawn(fetch_labels(core_.get(), instances_.get(), uuid_, std::move(instance_name),
                                   std::move(points_zyx), supervoxels, "get_labels_by_location"));
}

std::vector<std::uint64_t> NodeService::get_labels_by_location(
    const std::string& instance_name, const std::vector<PointZYX>& points_zyx, bool supervoxels) {
  return get_labels_by_location_async(instance_name, points_zyx, supervoxels).get();
}

std::future<std::uint64_t> NodeService::get_label_by_location_async(std::string instance_name,
                                                                    Point3 point_zyx,
                                                                    bool supervoxels) {
  api::require_instance_name(instance_name);
  return core_->spawn(fetch_label(core_.get(), instances_.get(), uuid_, std::move(instance_name),
                                  point_zyx, supervoxels));
}

std::uint64_t NodeService::get_label_by_location(const std::string& instance_name, Point3 point_zyx,
                                                 bool supervoxels) {
  return get_label_by_location_async(instance_name, point_zyx, supervoxels).get();
}

std::future<SpecificBlocks> NodeService::get_specificblocks3D_async(
    std::string instance_name, bool gray, std::vector<BlockZYX> blockcoords_zyx, int scale,
    bool uncompressed, bool supervoxels) {
  api::require_instance_name(instance_name);
  if (scale < 0 || scale > 255 || (gray && scale != 0))
    throw ArgumentError(fmt::format(
        "get_specificblocks3D on '{}': scale {} is not a level of {}", instance_name, scale,
        gray ? "a uint8blk instance (it has only 0; each scale is its own instance)"
             : "a label instance (0 to 255)"));
  SpecificBlocksJob job;
  job.uuid = uuid_;
  job.instance = std::move(instance_name);
  job.gray = gray;
  job.coords = std::move(blockcoords_zyx);
  job.scale = scale;
  job.uncompressed = uncompressed;
  job.supervoxels = supervoxels;
  return core_->spawn(fetch_specific_blocks(core_.get(), instances_.get(), std::move(job)));
}

SpecificBlocks NodeService::get_specificblocks3D(const std::string& instance_name, bool gray,
                                                 const std::vector<BlockZYX>& blockcoords_zyx,
                                                 int scale, bool uncompressed, bool supervoxels) {
  return get_specificblocks3D_async(instance_name, gray, blockcoords_zyx, scale, uncompressed,
                                    supervoxels)
      .get();
}

}  // namespace dvidxfer
