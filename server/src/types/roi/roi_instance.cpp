#include "types/roi/roi_instance.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <climits>
#include <memory>
#include <mutex>

#include "dvid/dvid_errors.hpp"
#include "dvid/repo_registry.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "gocompat/go_json_errors.hpp"
#include "gocompat/go_json_syntax.hpp"
#include "types/roi/roi_query_requests.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kSpansKey = "spans";
constexpr std::size_t kSpansPerBatch = 10000;  // PutSpans' BATCH_SIZE

constexpr std::string_view kHelp =
    "API for 'roi' datatype (github.com/janelia-flyem/dvid/datatype/roi)\n"
    "served by the dvidxfer embedded server: info, and roi (GET, POST, DELETE) with block spans\n"
    "[[z, y, x0, x1], ...]; mask/0_1_2/{size}/{offset} (GET), ptquery (POST [[x, y, z], ...]),\n"
    "partition?batchsize=N[&optimized=true]. Voxel types mask reads and writes with ?roi=<name>.\n";

// POST .../roi bodies: a JSON array of [z, y, x0, x1] int32 arrays, read as Go's json.Unmarshal
// into []dvid.Span would (short arrays leave zeros, extra elements are dropped).
std::vector<RoiSpan> parse_spans(std::string_view body) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (const auto syntax_error = go_json_syntax_error(body))
    throw DvidError("Error trying to parse POSTed JSON: " + *syntax_error);
  if (const auto error = parser.parse(padded).get(root))
    throw DvidError(std::string("Error trying to parse POSTed JSON: ") +
                    simdjson::error_message(error));
  if (root.is_null()) return {};
  simdjson::dom::array list;
  if (root.get_array().get(list))
    throw DvidError("Error trying to parse POSTed JSON: " +
                    go_unmarshal_error(root, "Go value of type []dvid.Span"));
  std::vector<RoiSpan> spans;
  for (simdjson::dom::element item : list) {
    simdjson::dom::array values;
    if (item.get_array().get(values))
      throw DvidError("Error trying to parse POSTed JSON: " +
                      go_unmarshal_error(item, "Go value of type dvid.Span"));
    RoiSpan span{};
    std::size_t index = 0;
    for (simdjson::dom::element value : values) {
      // Go skips elements past the array's length unchecked; null leaves the zero value.
      if (index >= 4 || value.is_null()) {
        ++index;
        continue;
      }
      std::int64_t number = 0;
      if (value.get_int64().get(number) || number < INT32_MIN || number > INT32_MAX)
        throw DvidError("Error trying to parse POSTed JSON: " +
                        go_unmarshal_error(value, "Go value of type int32"));
      span[index++] = static_cast<std::int32_t>(number);
    }
    spans.push_back(span);
  }
  return spans;
}

class RoiInstance final : public DataInstance {
 public:
  RoiInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings,
              Point3 block_size)
      : DataInstance(type, std::move(identity), std::move(settings)), block_size_(block_size) {}

  std::vector<RoiSpan> spans(const VersionedStore& store,
                             std::span<const VersionId> ancestry) const {
    const StoredValue value = store.get(id(), ancestry, kSpansKey);
    return value ? deserialize_spans(*value) : std::vector<RoiSpan>{};
  }

  std::string info_json() const override {
    std::lock_guard lock(mutex_);
    return fmt::format(R"({{"Base":{},"Extended":{{"BlockSize":[{},{},{}],"MinZ":{},"MaxZ":{}}}}})",
                       base_json(), block_size_.x, block_size_.y, block_size_.z, min_z_, max_z_);
  }

  // DVID lets point queries through on committed nodes.
  bool is_mutation_request(std::string_view method, std::string_view keyword) const override {
    if (keyword == "ptquery" && ascii_lower(method) == "post") return false;
    return DataInstance::is_mutation_request(method, keyword);
  }

  HttpResponse serve(InstanceRequest& request) override {
    const HttpRequest& http = request.http;
    const std::string& keyword = request.keyword();
    if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
    if (keyword == "info") return HttpResponse::json(info_json());
    if (keyword == "mask") return serve_roi_mask(request, query_input(request));
    if (keyword == "ptquery") return serve_roi_ptquery(request, query_input(request));
    if (keyword == "partition") return serve_roi_partition(request, query_input(request));
    if (keyword != "roi") return bad_api_call(request);
    if (http.method == "GET") return HttpResponse::json(spans_json(request));
    if (http.method == "POST") {
      replace_spans(request);
      return HttpResponse{};
    }
    if (http.method == "DELETE") {
      request.store.erase(id(), request.version, kSpansKey);
      std::lock_guard lock(mutex_);
      reset_z_extent();
    }
    return HttpResponse{};  // DVID answers other verbs with an empty 200 too
  }

 private:
  RoiQueryInput query_input(const InstanceRequest& request) const {
    RoiQueryInput input{spans(request.store, request.ancestry), {}, block_size_};
    sort_spans(input.spans);
    std::lock_guard lock(mutex_);
    input.extent = {min_z_, max_z_};
    return input;
  }

  std::string spans_json(const InstanceRequest& request) const {
    std::vector<RoiSpan> sorted = spans(request.store, request.ancestry);
    sort_spans(sorted);
    std::string out = "[";
    for (std::size_t i = 0; i < sorted.size(); ++i)
      fmt::format_to(std::back_inserter(out), "{}[{},{},{},{}]", i ? "," : "", sorted[i][0],
                     sorted[i][1], sorted[i][2], sorted[i][3]);
    return out + "]";
  }

  // DVID's Delete, which every POST runs first too: the Z extent starts over.
  void reset_z_extent() {
    min_z_ = INT32_MAX;
    max_z_ = INT32_MIN;
  }

  // DVID clears the old spans, then writes the new ones in batches of 10,000 committed as they
  // fill, stopping at a reversed span: the full batches before it stay written, the spans of
  // the batch it is in are dropped.
  void replace_spans(const InstanceRequest& request) {
    const std::vector<RoiSpan> posted = parse_spans(request.http.body);
    std::vector<RoiSpan> kept;
    kept.reserve(posted.size());
    std::optional<RoiSpan> weird;
    {
      std::lock_guard lock(mutex_);
      reset_z_extent();
      for (const RoiSpan& span : posted) {
        min_z_ = std::min(min_z_, span[0]);
        max_z_ = std::max(max_z_, span[0]);
        if (span[3] < span[2]) {
          weird = span;
          kept.resize(kept.size() / kSpansPerBatch * kSpansPerBatch);
          break;
        }
        kept.push_back(span);
      }
    }
    request.store.put(id(), request.version, kSpansKey,
                      std::make_shared<const std::string>(serialize_spans(kept)));
    if (weird)
      throw DvidError(fmt::format("Got weird span [{} {} {} {}].  span[3] (X1) < span[2] (X0)",
                                  (*weird)[0], (*weird)[1], (*weird)[2], (*weird)[3]));
  }

  const Point3 block_size_;
  mutable std::mutex mutex_;  // guards the Z extents, which DVID keeps per instance
  std::int32_t min_z_ = INT32_MAX;
  std::int32_t max_z_ = INT32_MIN;
};

}  // namespace

std::unique_ptr<DataInstance> RoiType::create(InstanceIdentity identity,
                                              const DvidConfig& config) const {
  auto block_size = config.get_string("BlockSize");
  if (!block_size) throw DvidError(block_size.error());
  const Point3 size =
      block_size->has_value() ? parse_block_size_setting(**block_size) : Point3{32, 32, 32};
  return std::make_unique<RoiInstance>(
      *this, std::move(identity), parse_common_settings(config, "LZ4 compression, level -1"), size);
}

std::optional<BlockFilter> roi_block_filter(const InstanceRequest& request) {
  const std::string name = request.http.query_value("roi");
  if (name.empty()) return std::nullopt;
  const std::shared_ptr<DataInstance> instance =
      request.registry.find_instance(request.version, name);
  if (!instance)
    throw DvidError("Can't get ROI with name " + go_json_string(name) +
                    ": invalid data instance name");
  const auto* roi = dynamic_cast<const RoiInstance*>(instance.get());
  if (!roi) throw DvidError("Data name " + go_json_string(name) + " was not of roi data type\n");
  auto blocks = std::make_shared<const RoiBlockSet>(roi->spans(request.store, request.ancestry));
  return BlockFilter([blocks](const Point3& block) { return blocks->contains(block); });
}

}  // namespace dvidxfer::server
