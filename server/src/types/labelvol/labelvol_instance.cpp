#include "types/labelvol/labelvol_instance.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>

#include "dvid/dvid_errors.hpp"
#include "dvid/repo_registry.hpp"
#include "dvid/sync_request.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "store/block_key.hpp"
#include "types/labelvol/label_runs.hpp"
#include "types/voxels/label_indexer.hpp"
#include "types/voxels/labelblk_instance.hpp"
#include "types/voxels/voxels_instance.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for 'labelvol' datatype (github.com/janelia-flyem/dvid/datatype/labelvol)\n"
    "served by the dvidxfer embedded server: info, sync (to a labelblk), sparsevol/{label}\n"
    "(GET, HEAD; bounds minx..maxz, exact, compression=lz4|gzip), sparsevol-coarse/{label},\n"
    "maxlabel and nextlabel.\n";

constexpr char kRunsTag = '\x01';

std::string label_prefix(std::uint64_t label) {
  std::string key(1, kRunsTag);
  for (int shift = 56; shift >= 0; shift -= 8) key += static_cast<char>((label >> shift) & 0xff);
  return key;
}

std::string runs_key(std::uint64_t label, const Point3& block) {
  return label_prefix(label) + block_key(block);
}

// DVID writes a bare 404 status: no body.
HttpResponse not_found() {
  HttpResponse response;
  response.status = 404;
  return response;
}

class LabelvolInstance final : public DataInstance, public LabelIndexer {
 public:
  LabelvolInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings,
                   VoxelSettings voxels)
      : DataInstance(type, std::move(identity), std::move(settings)), voxels_(std::move(voxels)) {}

  std::string info_json() const override {
    std::lock_guard lock(labels_mutex_);
    std::string out = "{\"Base\":" + base_json() + ",\"Extended\":{\"Resolution\":{";
    out += fmt::format(
        "\"VoxelSize\":[{},{},{}],\"VoxelUnits\":[", go_float_string(voxels_.voxel_size[0]),
        go_float_string(voxels_.voxel_size[1]), go_float_string(voxels_.voxel_size[2]));
    for (std::size_t i = 0; i < 3; ++i) {
      if (i) out += ',';
      append_go_json_string(out, voxels_.voxel_units[i]);
    }
    const Point3& b = voxels_.block_size;
    out += fmt::format("]}},\"BlockSize\":[{},{},{}],\"MaxLabel\":{{", b.x, b.y, b.z);
    bool first = true;
    // Go writes map keys sorted as strings.
    std::map<std::string, std::uint64_t> by_text;
    for (const auto& [version, label] : max_label_) by_text[std::to_string(version)] = label;
    for (const auto& [version, label] : by_text) {
      out += fmt::format("{}\"{}\":{}", first ? "" : ",", version, label);
      first = false;
    }
    return out + fmt::format("}},\"MaxRepoLabel\":{}}}}}", max_repo_label_);
  }

  std::uint64_t index_block(VersionedStore& store, VersionId version, const Point3& block,
                            std::string_view labels,
                            std::optional<std::string_view> previous) override {
    auto runs = runs_by_label(labels, block, voxels_.block_size);
    if (previous)
      for (const auto& [label, ignored] : runs_by_label(*previous, block, voxels_.block_size))
        if (!runs.contains(label)) store.erase(id(), version, runs_key(label, block));
    std::uint64_t largest = 0;
    for (auto& [label, label_runs] : runs) {
      largest = std::max(largest, label);
      store.put(id(), version, runs_key(label, block),
                std::make_shared<const std::string>(std::move(label_runs)));
    }
    return largest;
  }

  void note_max_label(VersionId version, std::uint64_t label) override {
    if (label == 0) return;
    std::lock_guard lock(labels_mutex_);
    auto [it, added] = max_label_.emplace(version, label);
    if (!added) it->second = std::max(it->second, label);
    max_repo_label_ = std::max(max_repo_label_, label);
  }

  HttpResponse serve(InstanceRequest& request) override {
    const std::string& keyword = request.keyword();
    if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
    if (keyword == "info") return HttpResponse::json(info_json());
    if (keyword == "sync") return sync(request);
    if (keyword == "sparsevol") return sparse_volume(request);
    if (keyword == "sparsevol-coarse") return coarse_sparse_volume(request);
    if (keyword == "maxlabel") return max_label(request);
    if (keyword == "nextlabel") return next_label(request);
    return bad_api_call(request);
  }

 private:
  HttpResponse sync(const InstanceRequest& request) {
    if (request.http.method != "POST")
      return bad_request(request.http, "Only POST allowed to sync endpoint");
    auto self = std::dynamic_pointer_cast<LabelIndexer>(
        request.registry.find_instance(request.version, name()));
    std::vector<std::string> names;
    for (const auto& instance : synced_instances(request)) {
      auto* labelblk = dynamic_cast<LabelblkInstance*>(instance.get());
      if (!labelblk)
        throw DvidError("Unable to sync " + name() + " with " + instance->name() +
                        " since datatype " + go_json_string(instance->type().name()) +
                        " is not supported.");
      if (!(labelblk->block_size() == voxels_.block_size))
        throw DvidError("labelvol " + go_json_string(name()) + " block size " +
                        to_string(voxels_.block_size) + " does not equal labelblk " +
                        go_json_string(instance->name()) + " block size " +
                        to_string(labelblk->block_size()));
      labelblk->add_indexer(self);
      names.push_back(instance->name());
    }
    set_syncs(names, request.http.query_value("replace") == "true");
    return HttpResponse{};
  }

  static std::uint64_t parse_label(const InstanceRequest& request, std::string_view command) {
    if (request.parts.size() < 5) {
      const std::string prefix = command == "sparsevol" ? "ERROR: " : "";
      throw DvidError(prefix + "DVID requires label ID to follow '" + std::string(command) +
                      "' command");
    }
    const std::uint64_t label = parse_go_uint64(request.parts[4]);
    if (label == 0)
      throw DvidError(
          "Label 0 is protected background value and cannot be used as sparse volume.\n");
    return label;
  }

  // The label's runs per block, in z, y, x block order.
  std::vector<KeyValueEntry> label_blocks(const InstanceRequest& request,
                                          std::uint64_t label) const {
    const std::string prefix = label_prefix(label);
    return request.store.scan(id(), request.ancestry, prefix,
                              std::string_view(prefix + std::string(kBlockKeySize, '\xff')));
  }

  // dvid.OptionalBoundsFromQueryString: minx, maxx, miny, maxy, minz, maxz.
  static VoxelBounds bounds_of(const HttpRequest& http) {
    VoxelBounds bounds;
    static constexpr std::string_view kAxes = "xyz";
    for (int axis = 0; axis < 3; ++axis)
      for (const bool is_min : {true, false}) {
        const std::string key = (is_min ? "min" : "max") + std::string(1, kAxes[axis]);
        if (!http.has_query(key)) continue;
        try {
          const auto value = static_cast<std::int32_t>(parse_go_int(http.query_value(key), 32));
          (is_min ? bounds.min : bounds.max)[axis] = value;
        } catch (const DvidError& error) {
          throw DvidError(std::string("Error parsing bounds from query string: ") + error.what() +
                          "\n");
        }
      }
    return bounds;
  }

  // DVID turns voxel bounds into block bounds with Go's truncating division
  // (dvid/volumes.go OptionalBounds.Divide), so negative bounds round toward zero.
  bool block_inside_axis(const Point3& block, const VoxelBounds& bounds, int axis) const {
    const std::int32_t coord[3] = {block.x, block.y, block.z};
    const std::int32_t size[3] = {voxels_.block_size.x, voxels_.block_size.y, voxels_.block_size.z};
    if (bounds.min[axis] && coord[axis] < *bounds.min[axis] / size[axis]) return false;
    if (bounds.max[axis] && coord[axis] > *bounds.max[axis] / size[axis]) return false;
    return true;
  }

  HttpResponse sparse_volume(const InstanceRequest& request) {
    const HttpRequest& http = request.http;
    const std::uint64_t label = parse_label(request, "sparsevol");
    const VoxelBounds bounds = bounds_of(http);
    const bool exact = http.query_value("exact") != "false";
    const std::string compression = http.query_value("compression");
    // DVID reads the label's blocks in the Z range, counts them, then skips those outside in X
    // or Y: a label with blocks in that Z range answers 200 even when none are left.
    std::vector<KeyValueEntry> blocks = label_blocks(request, label);
    std::erase_if(blocks, [&](const KeyValueEntry& entry) {
      return !block_inside_axis(block_of_key(entry.key), bounds, 2);
    });
    const bool any_in_z_range = !blocks.empty();
    std::erase_if(blocks, [&](const KeyValueEntry& entry) {
      const Point3 block = block_of_key(entry.key);
      return !block_inside_axis(block, bounds, 0) || !block_inside_axis(block, bounds, 1);
    });
    if (http.method == "HEAD") {
      HttpResponse response;
      response.status = blocks.empty() ? 204 : 200;
      response.content_type = "text/html";
      return response;
    }
    if (http.method == "POST")
      return bad_request(http, "POST of sparsevol not currently implemented\n");
    if (http.method != "GET")
      return bad_request(http, "Unable to handle HTTP action " + ascii_lower(http.method) +
                                   " on sparsevol endpoint");
    if (!any_in_z_range) return not_found();
    std::string runs;
    for (const KeyValueEntry& entry : blocks)
      runs += exact && !bounds.empty() ? clip_runs(*entry.value, bounds) : *entry.value;
    std::string body = rle_header(static_cast<std::uint32_t>(runs.size() / kRunBytes)) + runs;
    if (compression == "lz4") {
      std::string compressed(codecs::lz4_block_bound(body.size()), '\0');
      auto written = codecs::compress_lz4_block(body, compressed);
      if (!written) throw DvidError(written.error().message);
      compressed.resize(*written);
      body = std::move(compressed);
    } else if (compression == "gzip") {
      auto gzipped = codecs::gzip_compress(body);
      if (!gzipped) throw DvidError(gzipped.error().message);
      body = std::move(*gzipped);
    } else if (!compression.empty()) {
      return bad_request(http, "unknown compression type " + go_json_string(compression));
    }
    return HttpResponse::octets(std::move(body));
  }

  HttpResponse coarse_sparse_volume(const InstanceRequest& request) {
    const std::uint64_t label = parse_label(request, "sparsevol-coarse");
    const std::vector<KeyValueEntry> blocks = label_blocks(request, label);
    if (blocks.empty()) return not_found();
    // Blocks arrive in z, y, x order: extend the current run while the next block follows it.
    std::vector<std::array<std::int32_t, 4>> runs;  // x, y, z, length
    for (const KeyValueEntry& entry : blocks) {
      const Point3 block = block_of_key(entry.key);
      if (!runs.empty()) {
        auto& run = runs.back();
        if (run[1] == block.y && run[2] == block.z && run[0] + run[3] == block.x) {
          ++run[3];
          continue;
        }
      }
      runs.push_back({block.x, block.y, block.z, 1});
    }
    std::string body = rle_header(static_cast<std::uint32_t>(runs.size()));
    for (const auto& run : runs)
      for (std::int32_t value : run) append_int32_le(body, value);
    return HttpResponse::octets(std::move(body));
  }

  HttpResponse max_label(const InstanceRequest& request) {
    const HttpRequest& http = request.http;
    if (http.method != "GET")
      return bad_request(http, "Unknown action " + go_json_string(ascii_lower(http.method)) +
                                   " requested: " + http.target + "\n");
    std::lock_guard lock(labels_mutex_);
    // DVID copies a parent's max label to each new child, so the nearest ancestor's answers.
    for (VersionId version : request.ancestry)
      if (auto it = max_label_.find(version); it != max_label_.end())
        return HttpResponse::json(fmt::format("{{\"maxlabel\": {}}}", it->second));
    return bad_request(
        http, fmt::format("No maximum label found for {} version {}\n", name(), request.version));
  }

  HttpResponse next_label(const InstanceRequest& request) {
    const HttpRequest& http = request.http;
    if (http.method == "POST") return bad_request(http, "POST on maxlabel is not supported yet.\n");
    if (http.method != "GET")
      return bad_request(http, "Unknown action " + go_json_string(ascii_lower(http.method)) +
                                   " requested: " + http.target + "\n");
    std::lock_guard lock(labels_mutex_);
    return HttpResponse::json(fmt::format("{{\"nextlabel\": {}}}", max_repo_label_ + 1));
  }

  const VoxelSettings voxels_;
  mutable std::mutex labels_mutex_;  // guards the max labels
  std::map<VersionId, std::uint64_t> max_label_;
  std::uint64_t max_repo_label_ = 0;
};

}  // namespace

std::unique_ptr<DataInstance> LabelvolType::create(InstanceIdentity identity,
                                                   const DvidConfig& config) const {
  CommonSettings settings = parse_common_settings(config, "LZ4 compression, level -1");
  return std::make_unique<LabelvolInstance>(*this, std::move(identity), std::move(settings),
                                            parse_voxel_settings(config));
}

}  // namespace dvidxfer::server
