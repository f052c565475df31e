#include "types/roi/roi_query_requests.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <stdexcept>

#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"
#include "gocompat/go_json_errors.hpp"
#include "gocompat/go_json_syntax.hpp"

namespace dvidxfer::server {
namespace {

// strconv.Atoi with its error texts (no trimming; int is 64 bits wide).
std::int64_t go_atoi(std::string_view text) {
  std::string_view digits = text;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  const bool valid = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (!valid) throw DvidError("strconv.Atoi: parsing " + go_json_string(text) + ": invalid syntax");
  std::uint64_t magnitude = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  const std::uint64_t limit = std::uint64_t{INT64_MAX} + (negative ? 1 : 0);
  if (error != std::errc() || end != digits.data() + digits.size() || magnitude > limit)
    throw DvidError("strconv.Atoi: parsing " + go_json_string(text) + ": value out of range");
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

// "number <literal>" as encoding/json names a number it cannot store in an int32.
std::string go_number_text(simdjson::dom::element value) {
  std::int64_t integer = 0;
  if (!value.get_int64().get(integer)) return fmt::format("number {}", integer);
  std::uint64_t unsigned_integer = 0;
  if (!value.get_uint64().get(unsigned_integer)) return fmt::format("number {}", unsigned_integer);
  return "number " + go_float_string(value.get_double().value_unsafe());
}

std::int32_t point_coordinate(simdjson::dom::element value) {
  if (value.is_null()) return 0;  // null leaves Go's zero value
  std::int64_t number = 0;
  if (!value.is_number()) throw DvidError(go_unmarshal_error(value, "Go value of type int32"));
  if (value.get_int64().get(number) || number < INT32_MIN || number > INT32_MAX)
    throw DvidError("json: cannot unmarshal " + go_number_text(value) +
                    " into Go value of type int32");
  return static_cast<std::int32_t>(number);
}

// The ptquery body as json.Unmarshal reads it into []dvid.Point3d: null is no points, a null
// point is (0,0,0), short points are zero-filled and extra coordinates dropped.
std::vector<Point3> parse_voxel_points(std::string_view body) {
  if (const auto syntax_error = go_json_syntax_error(body)) throw DvidError(*syntax_error);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  // Valid for Go but beyond simdjson (nesting deeper than 1024, numbers beyond a double).
  if (const auto error = parser.parse(padded).get(root))
    throw DvidError(simdjson::error_message(error));
  if (root.is_null()) return {};
  simdjson::dom::array list;
  if (root.get_array().get(list))
    throw DvidError(go_unmarshal_error(root, "Go value of type []dvid.Point3d"));
  std::vector<Point3> points;
  points.reserve(list.size());
  for (simdjson::dom::element item : list) {
    Point3 point;
    if (!item.is_null()) {
      simdjson::dom::array coordinates;
      if (item.get_array().get(coordinates))
        throw DvidError(go_unmarshal_error(item, "Go value of type dvid.Point3d"));
      // Go skips elements past the array's length unchecked.
      std::int32_t* axes[3] = {&point.x, &point.y, &point.z};
      std::size_t axis = 0;
      for (simdjson::dom::element value : coordinates)
        if (axis < 3) *axes[axis++] = point_coordinate(value);
    }
    points.push_back(point);
  }
  return points;
}

// json.MarshalIndent(..., "", "    ") writes every array element on its own line.
void append_point(std::string& out, std::string_view name, const Point3& point, int depth) {
  const std::string indent(static_cast<std::size_t>(depth) * 4, ' ');
  fmt::format_to(std::back_inserter(out),
                 "{0}\"{1}\": [\n{0}    {2},\n{0}    {3},\n{0}    {4}\n{0}]", indent, name, point.x,
                 point.y, point.z);
}

std::string partition_json(const RoiPartition& partition) {
  std::string out = "{\n";
  fmt::format_to(std::back_inserter(out),
                 "    \"NumTotalBlocks\": {},\n    \"NumActiveBlocks\": {},\n"
                 "    \"NumSubvolumes\": {},\n    \"ROI\": {{\n",
                 partition.total_blocks, partition.active_blocks,
                 static_cast<std::int32_t>(partition.subvolumes.size()));
  append_point(out, "MinChunk", partition.roi_min_chunk, 2);
  out += ",\n";
  append_point(out, "MaxChunk", partition.roi_max_chunk, 2);
  out += "\n    },\n    \"Subvolumes\": [";
  for (std::size_t i = 0; i < partition.subvolumes.size(); ++i) {
    const RoiSubvolume& subvolume = partition.subvolumes[i];
    out += i ? ",\n        {\n" : "\n        {\n";
    append_point(out, "MinPoint", subvolume.min_point, 3);
    out += ",\n";
    append_point(out, "MaxPoint", subvolume.max_point, 3);
    out += ",\n";
    append_point(out, "MinChunk", subvolume.min_chunk, 3);
    out += ",\n";
    append_point(out, "MaxChunk", subvolume.max_chunk, 3);
    fmt::format_to(std::back_inserter(out),
                   ",\n            \"TotalBlocks\": {},\n            \"ActiveBlocks\": {}\n"
                   "        }}",
                   subvolume.total_blocks, subvolume.active_blocks);
  }
  out += partition.subvolumes.empty() ? "]\n}" : "\n    ]\n}";
  return out;
}

}  // namespace

HttpResponse serve_roi_mask(const InstanceRequest& request, const RoiQueryInput& roi) {
  if (request.http.method != "GET") throw DvidError("ROI mask only supports GET");
  if (request.parts.size() < 7)
    throw DvidError("\"" + request.keyword() + "\" must be followed by shape/size/offset");
  if (parse_data_shape(request.parts[4]) != DataShape::volume)
    throw DvidError("Currently only 3d masks ('0_1_2' shape) is supported");
  const Box box = parse_subvolume(request.parts[5], request.parts[6]);
  return HttpResponse::octets(roi_mask(roi.spans, roi.block_size, box));
}

HttpResponse serve_roi_ptquery(const InstanceRequest& request, const RoiQueryInput& roi) {
  if (request.http.method == "GET") throw DvidError("ptquery requires POST with list of points");
  if (request.http.method != "POST") return HttpResponse{};
  const std::vector<bool> inside =
      roi_contains_points(roi.spans, roi.block_size, parse_voxel_points(request.http.body));
  std::string out = "[";
  for (std::size_t i = 0; i < inside.size(); ++i) {
    if (i) out += ',';
    out += inside[i] ? "true" : "false";
  }
  return HttpResponse::json(out + "]");
}

HttpResponse serve_roi_partition(const InstanceRequest& request, const RoiQueryInput& roi) {
  if (request.http.method != "GET") throw DvidError("partition only supports GET request");
  std::int64_t requested = 0;
  try {
    requested = go_atoi(request.http.query_value("batchsize"));
  } catch (const DvidError& error) {
    throw DvidError(std::string("Error reading batchsize query string: ") + error.what());
  }
  const auto batchsize = static_cast<std::int32_t>(requested);  // DVID's int32(batchsize)
  // Go panics dividing by zero; the router answers like DVID's panic handler.
  if (batchsize == 0) throw std::domain_error("runtime error: integer divide by zero");
  // For a negative size DVID's loops step backwards through the whole int32 range (billions of
  // steps) to list nothing; refuse it instead.
  if (batchsize < 0)
    throw DvidError(fmt::format("batchsize {} must be positive to partition an ROI", batchsize));
  const std::string optimized = request.http.query_value("optimized");
  const RoiPartition partition =
      optimized == "true" || optimized == "on"
          ? optimized_partition(roi.spans, roi.extent, roi.block_size, batchsize)
          : simple_partition(roi.spans, roi.extent, roi.block_size, batchsize);
  return HttpResponse::json(partition_json(partition));
}

}  // namespace dvidxfer::server
