#include "types/voxels/labelblk_instance.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstring>

#include "dvid/dvid_errors.hpp"
#include "dvid/sync_request.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "images/png_image.hpp"
#include "types/roi/roi_instance.hpp"
#include "types/voxels/label_requests.hpp"
#include "types/voxels/parallel_lz4.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for 'labelblk' datatype (github.com/janelia-flyem/dvid/datatype/labelblk)\n"
    "served by the dvidxfer embedded server: info, metadata, sync, raw|isotropic 3-D GET at any\n"
    "alignment and block-aligned POST (compression=lz4|gzip), label/{x_y_z}, labels (GET with a\n"
    "JSON body) and blocks/{size}/{offset} (compression=lz4|uncompressed).\n";

constexpr std::size_t kLabelBytes = 8;
constexpr std::size_t kLz4LengthPrefix = 4;

std::uint64_t label_in(const char* voxels, std::size_t index) {
  std::uint64_t label = 0;
  std::memcpy(&label, voxels + index * kLabelBytes, kLabelBytes);  // little-endian host
  return label;
}

}  // namespace

LabelblkInstance::LabelblkInstance(const DataType& type, InstanceIdentity identity,
                                   CommonSettings settings, VoxelSettings voxels)
    : VoxelsInstance(type, std::move(identity), std::move(settings), std::move(voxels),
                     {"uint64", "labelblk", kLabelBytes, false}) {}

std::string LabelblkInstance::info_json() const {
  return "{\"Base\":" + base_json() + ",\"Extended\":" + properties_json(instance_extents()) + "}";
}

HttpResponse LabelblkInstance::serve(InstanceRequest& request) {
  const HttpRequest& http = request.http;
  if (http.method != "GET" && http.method != "POST" && http.method != "DELETE")
    return bad_request(http, "labelblk only handles GET, POST, and DELETE HTTP verbs");
  const std::string& keyword = request.keyword();
  if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
  if (keyword == "metadata") return metadata(request);
  if (keyword == "resolution") {  // labelblk takes any of its verbs here
    set_resolution(request);
    return HttpResponse{};
  }
  if (keyword == "info") return HttpResponse::json(info_json());
  if (keyword == "sync") return sync(request);
  if (keyword == "label") return label_at(request);
  if (keyword == "labels") return labels(request);
  if (keyword == "blocks") return blocks(request);
  if (keyword == "raw" || keyword == "isotropic") return raw(request);
  return bad_api_call(request);
}

void LabelblkInstance::add_indexer(std::weak_ptr<LabelIndexer> indexer) {
  std::lock_guard lock(sync_mutex_);
  indexers_.push_back(std::move(indexer));
}

std::vector<std::shared_ptr<LabelIndexer>> LabelblkInstance::indexers() const {
  std::lock_guard lock(sync_mutex_);
  std::vector<std::shared_ptr<LabelIndexer>> live;
  for (const auto& weak : indexers_)
    if (auto indexer = weak.lock()) live.push_back(std::move(indexer));
  return live;
}

HttpResponse LabelblkInstance::sync(const InstanceRequest& request) {
  if (request.http.method != "POST")
    return bad_request(request.http, "Only POST allowed to sync endpoint");
  // Syncing a labelblk to a labelvol makes it follow that labelvol's merges and splits, which
  // this server does not serve; the names are still checked as DVID does.
  std::vector<std::string> names;
  for (const auto& instance : synced_instances(request)) {
    if (instance->type().name() != "labelvol" && instance->type().name() != "labelblk")
      throw DvidError("Unable to sync " + name() + " with " + instance->name() +
                      " since datatype " + go_json_string(instance->type().name()) +
                      " is not supported.");
    names.push_back(instance->name());
  }
  set_syncs(names, request.http.query_value("replace") == "true");
  return HttpResponse{};
}

HttpResponse LabelblkInstance::raw(InstanceRequest& request) {
  const HttpRequest& http = request.http;
  if (request.parts.size() < 7)
    return bad_request(http, "'" + request.keyword() + "' must be followed by shape/size/offset");
  const DataShape shape = parse_data_shape(request.parts[4]);
  if (shape != DataShape::volume) return slice(request, shape);
  ThrottleClaim throttle = claim_throttle(request);
  if (throttle.refusal) return *throttle.refusal;
  const Box box = parse_subvolume(request.parts[5], request.parts[6]);
  return http.method == "GET" ? read_raw(request, box) : write_raw(request, box);
}

// DVID's 2-D label image: an NRGBA64 whose 8 bytes per pixel are the label's LE bytes, as PNG.
HttpResponse LabelblkInstance::slice(InstanceRequest& request, DataShape shape) {
  const HttpRequest& http = request.http;
  const Point3 offset = parse_point3(request.parts[6], "_");
  const auto [width, height] = parse_point2(request.parts[5]);
  if (http.method != "GET")
    return bad_request(http, "DVID does not permit 2d mutations, only 3d block-aligned stores");
  if (std::int64_t{width} * height <= 0 || width <= 0)
    throw DvidError("Illegal geometry requested: " + describe_slice(shape, offset, width, height));
  check_payload_size(std::int64_t{width} * height * static_cast<std::int64_t>(kLabelBytes));
  const std::string format = request.parts.size() >= 8 ? request.parts[7] : "png";
  if (format != "png" && !format.empty())
    return bad_request(http, "only PNG label slices are served by this server, not " + format);
  const std::optional<BlockFilter> roi = roi_block_filter(request);
  const std::string labels = read_volume(request, slice_box(shape, offset, width, height), roi, 0);
  bool opaque = true;  // Go writes RGB when every alpha sample (label bytes 6-7) is 0xffff
  for (std::size_t i = 6; i < labels.size() && opaque; i += 8)
    opaque = labels[i] == '\xff' && labels[i + 1] == '\xff';
  HttpResponse response = HttpResponse::octets(encode_rgba16_png(
      labels, static_cast<std::size_t>(width), static_cast<std::size_t>(height), opaque));
  response.content_type = "image/png";
  return response;
}

HttpResponse LabelblkInstance::read_raw(InstanceRequest& request, const Box& box) {
  readable_box(request);
  const std::string compression = request.http.query_value("compression");
  check_label_read_compression(compression);
  const std::optional<BlockFilter> roi = roi_block_filter(request);
  if (compression == "lz4") {
    // The raw volume is only an intermediate: it is built one layer of blocks at a time in one
    // reused buffer, each layer compressed before the next is read.
    const Box blocks = blocks_covering(box, block_size());
    const std::size_t plane_bytes = static_cast<std::size_t>(box.size.x) * box.size.y * kLabelBytes;
    auto slab = std::make_unique_for_overwrite<char[]>(plane_bytes *
                                                       static_cast<std::size_t>(block_size().z));
    ParallelLz4Block block;
    try {
      for (std::int32_t bz = blocks.offset.z; bz < blocks.offset.z + blocks.size.z; ++bz) {
        const std::int32_t z0 = std::max(box.offset.z, bz * block_size().z);
        const std::int32_t z1 = std::min(box.end().z, (bz + 1) * block_size().z - 1);
        const Box layer{{box.offset.x, box.offset.y, z0}, {box.size.x, box.size.y, z1 - z0 + 1}};
        blocks_.read_box(request.store, request.ancestry, layer, slab.get(),
                         roi.value_or(BlockFilter{}), 0);
        block.append(
            std::string_view(slab.get(), plane_bytes * static_cast<std::size_t>(z1 - z0 + 1)));
      }
      return HttpResponse::octets(block.finish());
    } catch (const std::runtime_error& error) {
      throw DvidError(error.what());
    }
  }
  std::string volume = read_volume(request, box, roi, 0);
  if (compression == "gzip") {
    auto gzipped = codecs::gzip_compress(volume);
    if (!gzipped) throw DvidError(gzipped.error().message);
    return HttpResponse::octets(std::move(*gzipped));
  }
  return HttpResponse::octets(std::move(volume));
}

HttpResponse LabelblkInstance::write_raw(InstanceRequest& request, const Box& box) {
  const HttpRequest& http = request.http;
  if (request.keyword() == "isotropic")
    return bad_request(http, "can only POST 'raw' not 'isotropic' images");
  const std::int64_t expected = box.voxels() * static_cast<std::int64_t>(kLabelBytes);
  std::string decompressed;
  const std::string_view labels = posted_labels(http, expected, decompressed);
  if (static_cast<std::int64_t>(labels.size()) != expected)
    throw DvidError(fmt::format("labels data was {} bytes, expected {} bytes for {}", labels.size(),
                                expected, describe_subvolume(box)));
  const std::optional<BlockFilter> roi = roi_block_filter(request);
  const bool mutate = http.query_value("mutate") == "true";
  const std::vector<std::shared_ptr<LabelIndexer>> synced = indexers();
  std::atomic<std::uint64_t> max_label = 0;
  VoxelBlockStore::OnBlockWritten index;
  if (!synced.empty())
    index = [&](const Point3& block, std::string_view voxels) {
      std::optional<std::string> previous;
      if (mutate)
        if (StoredValue old = blocks_.get(request.store, request.ancestry, block))
          previous = decoded(old);
      for (const auto& indexer : synced) {
        const std::uint64_t largest =
            indexer->index_block(request.store, request.version, block, voxels, previous);
        std::uint64_t seen = max_label.load();
        while (largest > seen && !max_label.compare_exchange_weak(seen, largest)) {
        }
      }
    };
  write_volume(request, box, labels, roi, index);
  for (const auto& indexer : synced) indexer->note_max_label(request.version, max_label.load());
  return HttpResponse{};
}

std::uint64_t LabelblkInstance::label_at_point(const InstanceRequest& request,
                                               const Point3& point) const {
  const Point3& size = block_size();
  const Point3 block{floor_div(point.x, size.x), floor_div(point.y, size.y),
                     floor_div(point.z, size.z)};
  const StoredValue value = blocks_.get(request.store, request.ancestry, block);
  if (!value) return 0;
  const std::string voxels = decoded(value);
  const std::size_t index = (static_cast<std::size_t>(point.z - block.z * size.z) * size.y +
                             static_cast<std::size_t>(point.y - block.y * size.y)) *
                                size.x +
                            static_cast<std::size_t>(point.x - block.x * size.x);
  return label_in(voxels.data(), index);
}

HttpResponse LabelblkInstance::label_at(const InstanceRequest& request) {
  if (request.parts.size() < 5)
    return bad_request(request.http, "DVID requires coord to follow 'label' command");
  const Point3 point = parse_point3(request.parts[4], "_");
  return HttpResponse::json(fmt::format("{{\"Label\": {}}}", label_at_point(request, point)));
}

HttpResponse LabelblkInstance::labels(const InstanceRequest& request) {
  if (request.http.method != "GET")
    return bad_request(request.http, "Batch labels query must be a GET request");
  std::string out = "[";
  for (const Point3& point : label_query_points(request.http)) {
    if (out.size() > 1) out += ',';
    out += std::to_string(label_at_point(request, point));
  }
  return HttpResponse::json(out + "]");
}

HttpResponse LabelblkInstance::blocks(InstanceRequest& request) {
  if (request.parts.size() < 6)
    return bad_request(request.http, "'blocks' must be followed by size/offset");
  ThrottleClaim throttle = claim_throttle(request);
  if (throttle.refusal) return *throttle.refusal;
  const std::string compression = request.http.query_value("compression");
  const Box box = block_aligned_box(request);
  if (request.http.method != "GET")
    return bad_request(request.http, "DVID does not accept the " +
                                         ascii_lower(request.http.method) +
                                         " action on the 'blocks' endpoint");
  if (compression != "uncompressed" && compression != "lz4" && !compression.empty())
    throw DvidError("don't understand 'compression' query string value: " + compression);
  return HttpResponse::octets(block_records(request, box, [&](const StoredBlock& block) {
    // The stored DVID LZ4 value without its length prefix: the raw LZ4 block DVID sends.
    return compression == "uncompressed" ? decoded(block.value)
                                         : block.value->substr(kLz4LengthPrefix);
  }));
}

std::unique_ptr<DataInstance> LabelblkType::create(InstanceIdentity identity,
                                                   const DvidConfig& config) const {
  CommonSettings settings = parse_common_settings(config, "LZ4 compression, level -1");
  return std::make_unique<LabelblkInstance>(*this, std::move(identity), std::move(settings),
                                            parse_voxel_settings(config));
}

}  // namespace dvidxfer::server
