#include "types/voxels/voxels_instance.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <tbb/parallel_for.h>

#include <charconv>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "gocompat/go_format.hpp"
#include "gocompat/go_json_errors.hpp"
#include "store/block_key.hpp"
#include "types/roi/roi_instance.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kExtentsKey =
    "\x02"
    "extents";

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  while (true) {
    const std::size_t comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

std::string point_json(const std::optional<Point3>& point) {
  return point ? fmt::format("[{},{},{}]", point->x, point->y, point->z) : "null";
}

std::optional<Point3> block_of(const std::optional<Point3>& point, const Point3& block_size) {
  if (!point) return std::nullopt;
  return Point3{floor_div(point->x, block_size.x), floor_div(point->y, block_size.y),
                floor_div(point->z, block_size.z)};
}

std::string serialize_extents(const VoxelExtents& extents) {
  std::string out;
  for (const auto& point : {extents.min_point, extents.max_point}) {
    out += point ? '1' : '0';
    const Point3 p = point.value_or(Point3{});
    for (std::int32_t value : {p.x, p.y, p.z}) append_ordered_int32(out, value);
  }
  return out;
}

VoxelExtents deserialize_extents(std::string_view bytes) {
  VoxelExtents extents;
  for (std::optional<Point3>* point : {&extents.min_point, &extents.max_point}) {
    if (bytes[0] == '1')
      *point = Point3{read_ordered_int32(bytes.substr(1)), read_ordered_int32(bytes.substr(5)),
                      read_ordered_int32(bytes.substr(9))};
    bytes.remove_prefix(13);
  }
  return extents;
}

// A JSON [x, y, z] of an extents POST, as Go decodes it into a dvid.Point3d.
std::optional<Point3> json_point(simdjson::dom::element value) {
  if (value.is_null()) return std::nullopt;
  simdjson::dom::array list;
  if (value.get_array().get(list))
    throw DvidError("json: cannot unmarshal into Go value of type dvid.Point3d");
  std::array<std::int32_t, 3> xyz{};
  std::size_t index = 0;
  for (simdjson::dom::element item : list) {
    std::int64_t number = 0;
    if (item.get_int64().get(number) || number < INT32_MIN || number > INT32_MAX)
      throw DvidError("json: cannot unmarshal into Go value of type int32");
    if (index < 3) xyz[index] = static_cast<std::int32_t>(number);
    ++index;
  }
  return Point3{xyz[0], xyz[1], xyz[2]};
}

}  // namespace

VoxelSettings parse_voxel_settings(const DvidConfig& config) {
  VoxelSettings settings;
  auto text = [&](std::string_view key) {
    auto value = config.get_string(key);
    if (!value) throw DvidError(value.error());
    return *value;
  };
  if (auto block_size = text("BlockSize"))
    settings.block_size = parse_block_size_setting(*block_size);
  if (auto voxel_size = text("VoxelSize")) {
    const auto parts = split_commas(*voxel_size);
    if (parts.size() != 3) throw DvidError("Illegal voxel size specified: " + *voxel_size);
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string& part = parts[i];
      double value = 0;
      auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
      if (error != std::errc() || end != part.data() + part.size())
        throw DvidError("strconv.ParseFloat: parsing " + go_json_string(part) + ": invalid syntax");
      settings.voxel_size[i] = value;
    }
  }
  if (auto units = text("VoxelUnits")) {
    const auto parts = split_commas(*units);
    for (std::size_t i = 0; i < 3; ++i) settings.voxel_units[i] = parts[parts.size() == 3 ? i : 0];
  }
  auto background = config.get_int("Background");
  if (!background) throw DvidError(background.error());
  if (background->has_value()) {
    if (**background < 0 || **background > 255)
      throw DvidError(fmt::format("Background value {} is not a uint8", **background));
    settings.background = static_cast<std::uint8_t>(**background);
  }
  return settings;
}

bool VoxelExtents::grow(const Box& box) {
  const Point3 first = box.offset;
  const Point3 last = box.end();
  const VoxelExtents before = *this;
  min_point = min_point ? Point3{std::min(min_point->x, first.x), std::min(min_point->y, first.y),
                                 std::min(min_point->z, first.z)}
                        : first;
  max_point = max_point ? Point3{std::max(max_point->x, last.x), std::max(max_point->y, last.y),
                                 std::max(max_point->z, last.z)}
                        : last;
  return before.min_point != min_point || before.max_point != max_point;
}

VoxelsInstance::VoxelsInstance(const DataType& type, InstanceIdentity identity,
                               CommonSettings settings, VoxelSettings voxels,
                               VoxelValueType value_type)
    : DataInstance(type, identity, std::move(settings)),
      voxels_(std::move(voxels)),
      value_type_(value_type),
      blocks_(identity.id, voxels_.block_size, value_type.bytes, voxels_.encoding),
      voxel_size_(voxels_.voxel_size) {}

std::array<double, 3> VoxelsInstance::voxel_size() const {
  std::lock_guard lock(extents_mutex_);
  return voxel_size_;
}

void VoxelsInstance::set_resolution(const InstanceRequest& request) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(request.http.body);
  simdjson::dom::array list;
  if (parser.parse(padded).get_array().get(list))
    throw DvidError("json: cannot unmarshal resolution into Go value of type dvid.NdFloat32");
  std::array<double, 3> size{};
  std::size_t index = 0;
  for (simdjson::dom::element value : list) {
    double number = 0;
    if (value.get_double().get(number))
      throw DvidError(go_unmarshal_error(value, "Go value of type float32"));
    if (index < 3) size[index] = static_cast<float>(number);  // DVID keeps float32
    ++index;
  }
  if (index != 3) throw DvidError("resolution needs 3 voxel sizes, got " + std::to_string(index));
  std::lock_guard lock(extents_mutex_);
  voxel_size_ = size;
}

VoxelsInstance::ThrottleClaim VoxelsInstance::claim_throttle(InstanceRequest& request) {
  const std::string throttle = request.http.query_value("throttle");
  if (throttle != "true" && throttle != "on") return {};
  HttpResponse refusal;
  std::optional<Throttle::Slot> slot = request.throttle.try_acquire(refusal);
  if (!slot) return {std::nullopt, std::move(refusal)};
  return {std::move(slot), std::nullopt};
}

std::string VoxelsInstance::properties_json(const VoxelExtents& extents) const {
  const Point3& b = voxels_.block_size;
  const std::array<double, 3> size = voxel_size();
  std::string out = fmt::format(
      R"({{"Values":[{{"DataType":"{}","Label":"{}"}}],"Interpolable":{},"BlockSize":[{},{},{}],)",
      value_type_.data_type, value_type_.label, value_type_.interpolable ? "true" : "false", b.x,
      b.y, b.z);
  out += fmt::format(R"("VoxelSize":[{},{},{}],"VoxelUnits":[)", go_float_string(size[0]),
                     go_float_string(size[1]), go_float_string(size[2]));
  for (std::size_t i = 0; i < 3; ++i) {
    if (i) out += ',';
    append_go_json_string(out, voxels_.voxel_units[i]);
  }
  out += fmt::format(
      R"(],"MinPoint":{},"MaxPoint":{},"MinIndex":{},"MaxIndex":{},"Background":{},"GridStore":"","ScaleLevel":0}})",
      point_json(extents.min_point), point_json(extents.max_point),
      point_json(block_of(extents.min_point, b)), point_json(block_of(extents.max_point, b)),
      voxels_.background);
  return out;
}

VoxelExtents VoxelsInstance::instance_extents() const {
  std::lock_guard lock(extents_mutex_);
  return extents_;
}

VoxelExtents VoxelsInstance::versioned_extents(const InstanceRequest& request) const {
  const StoredValue value = request.store.get(id(), request.ancestry, kExtentsKey);
  return value ? deserialize_extents(*value) : VoxelExtents{};
}

HttpResponse VoxelsInstance::metadata(const InstanceRequest& request) const {
  const VoxelExtents extents = versioned_extents(request);
  Point3 size{}, offset{};
  if (extents.min_point && extents.max_point) {
    offset = *extents.min_point;
    size = {extents.max_point->x - offset.x + 1, extents.max_point->y - offset.y + 1,
            extents.max_point->z - offset.z + 1};
  }
  std::string out = R"({"Axes":[)";
  const std::array<std::int32_t, 3> sizes{size.x, size.y, size.z};
  const std::array<std::int32_t, 3> offsets{offset.x, offset.y, offset.z};
  const std::array<double, 3> resolution = voxel_size();
  for (std::size_t i = 0; i < 3; ++i) {
    out += fmt::format(R"({}{{"Label":"{}","Resolution":{},"Units":)", i ? "," : "", "XYZ"[i],
                       go_float_string(static_cast<float>(resolution[i])));
    append_go_json_string(out, voxels_.voxel_units[i]);
    out += fmt::format(R"(,"Size":{},"Offset":{}}})", sizes[i], offsets[i]);
  }
  out += "],\"Properties\":" + properties_json(extents) + "}\n";
  HttpResponse response = HttpResponse::json(std::move(out));
  response.content_type = "application/vnd.dvid-nd-data+json";
  return response;
}

void VoxelsInstance::set_versioned_extents(const InstanceRequest& request) const {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(request.http.body);
  simdjson::dom::object object;
  if (parser.parse(padded).get_object().get(object))
    throw DvidError("invalid character in extents JSON");
  VoxelExtents extents;
  for (auto field : object) {
    std::string key(field.key);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "minpoint") extents.min_point = json_point(field.value);
    if (key == "maxpoint") extents.max_point = json_point(field.value);
  }
  request.store.put(id(), request.version, kExtentsKey,
                    std::make_shared<const std::string>(serialize_extents(extents)));
}

Box VoxelsInstance::readable_box(const InstanceRequest& request) const {
  const Box box = parse_subvolume(request.parts[5], request.parts[6]);
  if (box.size.x <= 0 || box.size.y <= 0 || box.size.z <= 0)
    throw DvidError("Illegal geometry requested: " + describe_subvolume(box));
  check_payload_size(box.voxels() * static_cast<std::int64_t>(value_type_.bytes));
  return box;
}

std::string VoxelsInstance::read_volume(const InstanceRequest& request, const Box& box,
                                        const std::optional<BlockFilter>& roi, char outside,
                                        unsigned attenuation) const {
  const std::size_t bytes = static_cast<std::size_t>(box.voxels()) * value_type_.bytes;
  request.http.reserve_response(bytes);
  std::string out(bytes, '\0');
  blocks_.read_box(request.store, request.ancestry, box, out.data(), roi.value_or(BlockFilter{}),
                   outside, attenuation);
  return out;
}

void VoxelsInstance::write_volume(InstanceRequest& request, const Box& box, std::string_view voxels,
                                  const std::optional<BlockFilter>& roi,
                                  const VoxelBlockStore::OnBlockWritten& on_written) {
  if (!block_aligned(box, voxels_.block_size))
    throw DvidError("cannot store voxels in non-block aligned geometry " + to_string(box.offset) +
                    " -> " + to_string(box.end()));
  grow_extents(request, box);
  blocks_.write_box(request.store, request.version, box, voxels.data(), roi.value_or(BlockFilter{}),
                    on_written);
}

void VoxelsInstance::grow_extents(const InstanceRequest& request, const Box& box) {
  std::lock_guard lock(extents_mutex_);
  extents_.grow(box);
  VoxelExtents versioned = versioned_extents(request);
  if (versioned.grow(box))
    request.store.put(id(), request.version, kExtentsKey,
                      std::make_shared<const std::string>(serialize_extents(versioned)));
}

Box VoxelsInstance::block_aligned_box(const InstanceRequest& request) const {
  const Box box = parse_subvolume(request.parts[4], request.parts[5]);
  if (!block_aligned(box, voxels_.block_size))
    throw DvidError("cannot use labels via 'block' endpoint in non-block aligned geometry " +
                    to_string(box.offset) + " -> " + to_string(box.end()));
  return box;
}

std::string VoxelsInstance::block_records(const InstanceRequest& request, const Box& box,
                                          const PayloadOf& payload_of) const {
  const std::vector<StoredBlock> stored =
      blocks_.existing(request.store, request.ancestry, blocks_covering(box, voxels_.block_size));
  std::vector<std::string> payloads(stored.size());
  tbb::parallel_for(std::size_t{0}, stored.size(),
                    [&](std::size_t i) { payloads[i] = payload_of(stored[i]); });
  std::size_t total = 0;
  for (const std::string& payload : payloads) total += 16 + payload.size();
  std::string out;
  out.reserve(total);
  for (std::size_t i = 0; i < stored.size(); ++i)
    codecs::append_block_record(out, {stored[i].coord.x, stored[i].coord.y, stored[i].coord.z},
                                payloads[i]);
  return out;
}

std::string VoxelsInstance::decoded(const StoredValue& value) const {
  std::string voxels(blocks_.block_bytes(), '\0');
  blocks_.decode(value, voxels);
  return voxels;
}

}  // namespace dvidxfer::server
