#include "types/labelmap/labelmap_instance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"
#include "types/labelmap/labelmap_requests.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for label map data type (github.com/janelia-flyem/dvid/datatype/labelmap and\n"
    "labelarray) served by the dvidxfer embedded server: info, metadata, extents, resolution,\n"
    "raw|isotropic 3-D GET and block-aligned POST (compression=lz4|gzip, scale, supervoxels,\n"
    "roi, throttle), label/{x_y_z}, labels, blocks/{size}/{offset} GET and blocks POST,\n"
    "specificblocks, ingest-supervoxels (labelmap), maxlabel and nextlabel.\n";

// dvid.Config.GetBool: "true"/"false"/"1"/"0" in any case.
bool bool_setting(const DvidConfig& config, std::string_view key, bool fallback) {
  auto value = config.get_string(key);
  if (!value) throw DvidError(value.error());
  if (!value->has_value()) return fallback;
  std::string lower = **value;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0") return false;
  throw DvidError("Cannot parse '" + **value +
                  "' as a boolean.  Use 'true', 'false', '0', or '1'.");
}

std::string point_json(const std::optional<Point3>& point) {
  return point ? fmt::format("[{},{},{}]", point->x, point->y, point->z) : "null";
}

}  // namespace

std::string_view LabelmapType::name() const {
  return flavor_ == LabelFlavor::labelmap ? "labelmap" : "labelarray";
}

std::string_view LabelmapType::url() const {
  return flavor_ == LabelFlavor::labelmap ? "github.com/janelia-flyem/dvid/datatype/labelmap"
                                          : "github.com/janelia-flyem/dvid/datatype/labelarray";
}

std::unique_ptr<DataInstance> LabelmapType::create(InstanceIdentity identity,
                                                   const DvidConfig& config) const {
  auto block_size = config.get_string("BlockSize");
  if (!block_size) throw DvidError(block_size.error());
  if (flavor_ == LabelFlavor::labelmap && block_size->has_value()) {
    // DVID's own check, with Go's fmt.Sscanf("%d,%d,%d") leaving unparsed sides at 0.
    int nx = 0, ny = 0, nz = 0;
    std::sscanf((*block_size)->c_str(), "%d,%d,%d", &nx, &ny, &nz);
    if (nx % 16 != 0 || ny % 16 != 0 || nz % 16 != 0)
      throw DvidError("BlockSize must be multiples of 16");
  }
  CommonSettings common = parse_common_settings(config, "gzip compression, level -1");
  VoxelSettings voxels = parse_voxel_settings(config);
  if (!block_size->has_value()) voxels.block_size = {64, 64, 64};
  LabelSettings labels;
  labels.indexed_labels = bool_setting(config, "IndexedLabels", true);
  if (flavor_ == LabelFlavor::labelarray)
    labels.count_labels = bool_setting(config, "CountLabels", true);
  auto levels = config.get_int("MaxDownresLevel");
  if (!levels) throw DvidError(levels.error());
  if (levels->has_value()) {
    if (**levels < 0 || **levels > 255)
      throw DvidError(fmt::format(
          "illegal number of down-res levels specified ({}): must be 0 <= n <= 255", **levels));
    labels.max_downres_level = static_cast<std::uint8_t>(**levels);
  }
  labels.compression_format = common.compression.substr(0, common.compression.find(", level"));
  return std::make_unique<LabelmapInstance>(*this, std::move(identity), std::move(common),
                                            std::move(voxels), flavor_, std::move(labels));
}

LabelmapInstance::LabelmapInstance(const DataType& type, InstanceIdentity identity,
                                   CommonSettings settings, VoxelSettings voxels,
                                   LabelFlavor flavor, LabelSettings labels)
    : VoxelsInstance(
          type, identity, std::move(settings), std::move(voxels),
          {"uint64", flavor == LabelFlavor::labelmap ? "labelmap" : "labelarray", 8, false}),
      flavor_(flavor),
      settings_(std::move(labels)),
      max_downres_level_(settings_.max_downres_level),
      labels_(identity.id, block_size()) {}

std::string LabelmapInstance::info_json() const {
  return info_with(instance_extents());
}

std::string LabelmapInstance::info_with(const VoxelExtents& extents) const {
  // DVID's propsJSON embeds imageblk's Properties, so its fields continue that object.
  std::string properties = properties_json(extents);
  properties.pop_back();
  std::string out =
      "{\"Base\":" + base_json() + ",\"Extended\":" + properties + ',' + counters_.info_json();
  // NextLabel is only ever set by set-nextlabel, which this server does not serve.
  if (flavor_ == LabelFlavor::labelmap) out += ",\"NextLabel\":0";
  out += fmt::format(",\"IndexedLabels\":{}", settings_.indexed_labels);
  if (flavor_ == LabelFlavor::labelarray)
    out += fmt::format(",\"CountLabels\":{}", settings_.count_labels);
  out += fmt::format(",\"MaxDownresLevel\":{}}},\"Extents\":{{\"MinPoint\":{},\"MaxPoint\":{}}}}}",
                     max_downres_level_.load(), point_json(extents.min_point),
                     point_json(extents.max_point));
  return out;
}

HttpResponse LabelmapInstance::post_info(const InstanceRequest& request) {
  auto config = DvidConfig::parse(request.http.body);
  if (!config) throw DvidError("Malformed JSON request in body: " + config.error());
  auto levels = config->get_string("MaxDownresLevel");
  if (!levels) throw DvidError(levels.error());
  if (levels->has_value()) {
    const std::uint64_t level = parse_go_uint64(**levels);
    if (level > 255)
      throw DvidError("strconv.ParseUint: parsing " + go_json_string(**levels) +
                      ": value out of range");
    max_downres_level_ = static_cast<std::uint8_t>(level);
  }
  return HttpResponse::text(200, "Changed '" + name() + "' based on received configuration:\n" +
                                     config->go_string() + "\n");
}

HttpResponse LabelmapInstance::serve(InstanceRequest& request) {
  const HttpRequest& http = request.http;
  const std::string& keyword = request.keyword();
  if (!settings_.indexed_labels) {
    static constexpr std::array<std::string_view, 9> kLabelmapIndexed{
        "sparsevol", "sparsevol-by-point", "sparsevol-coarse", "maxlabel",
        "nextlabel", "split-supervoxel",   "cleave",           "merge",
        "fvdb"};
    static constexpr std::array<std::string_view, 8> kLabelarrayIndexed{
        "sparsevol",        "sparsevol-by-point",
        "sparsevol-coarse", "maxlabel",
        "nextlabel",        "split",
        "split-coarse",     "merge"};
    const bool indexed =
        flavor_ == LabelFlavor::labelmap
            ? std::ranges::find(kLabelmapIndexed, keyword) != kLabelmapIndexed.end()
            : std::ranges::find(kLabelarrayIndexed, keyword) != kLabelarrayIndexed.end();
    if (indexed)
      return bad_request(
          http, fmt::format("data {} is not label indexed (IndexedLabels=false): {} endpoint is "
                            "not supported",
                            go_json_string(name()), go_json_string(keyword)));
  }
  if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
  if (keyword == "metadata") return metadata(request);
  if (keyword == "extents") {
    set_versioned_extents(request);
    return HttpResponse{};
  }
  if (keyword == "resolution") {
    set_resolution(request);
    return HttpResponse{};
  }
  if (keyword == "info") {
    if (http.method == "POST" && flavor_ == LabelFlavor::labelmap) return post_info(request);
    return HttpResponse::json(info_with(versioned_extents(request)));
  }
  if (keyword == "specificblocks") return specific_blocks(request);
  if (keyword == "label") return label_at(request);
  if (keyword == "labels") return labels(request);
  if (keyword == "blocks") return blocks(request);
  if (keyword == "ingest-supervoxels" && flavor_ == LabelFlavor::labelmap)
    return write_blocks(request, true);
  if (keyword == "raw" || keyword == "isotropic") return raw(request);
  if (keyword == "maxlabel") return max_label(request);
  if (keyword == "nextlabel") return next_label(request);
  return bad_api_call(request);
}

HttpResponse LabelmapInstance::max_label(const InstanceRequest& request) const {
  const HttpRequest& http = request.http;
  if (http.method != "GET")
    // labelmap's admin-only POST /maxlabel/{N} is not served.
    return bad_request(http, fmt::format("Unknown action {} requested: {}\n",
                                         go_json_string(http.method), http.target));
  const std::optional<std::uint64_t> max = flavor_ == LabelFlavor::labelmap
                                               ? counters_.inherited_max(request.ancestry)
                                               : counters_.own_max(request.version);
  if (!max)
    return bad_request(
        http, fmt::format("No maximum label found for {} version {}\n", name(), request.version));
  return HttpResponse::json(fmt::format("{{\"maxlabel\": {}}}", *max));
}

HttpResponse LabelmapInstance::next_label(const InstanceRequest& request) {
  const HttpRequest& http = request.http;
  if (http.method == "GET")
    return HttpResponse::json(fmt::format("{{\"nextlabel\": {}}}", counters_.repo_max() + 1));
  if (http.method != "POST")
    return bad_request(http, fmt::format("Unknown action {} requested: {}\n",
                                         go_json_string(http.method), http.target));
  if (flavor_ == LabelFlavor::labelarray)
    return bad_request(http, "POST on maxlabel is not supported yet.\n");
  if (request.parts.size() < 5)
    return bad_request(http, "DVID requires number of requested labels to follow POST /nextlabel");
  const std::uint64_t count = parse_go_uint64(request.parts[4]);
  const auto [start, end] = counters_.allocate(request.ancestry, count, name());
  return HttpResponse::json(fmt::format("{{\"start\": {}, \"end\": {}}}", start, end));
}

}  // namespace dvidxfer::server
