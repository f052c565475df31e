#include "json_answers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "dvid_coordinates.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::api {

std::vector<std::string> decode_string_list(const JsonDocument& document, const std::string& url) {
  simdjson::dom::array array;
  if (document.root().get_array().get(array))
    throw DecodeError(fmt::format("expected a JSON array of strings from {}", url), url);
  std::vector<std::string> out;
  out.reserve(array.size());
  for (auto element : array) {
    std::string_view text;
    if (element.get_string().get(text))
      throw DecodeError(fmt::format("expected only strings in the JSON array from {}", url), url);
    out.emplace_back(text);
  }
  return out;
}

Shape3 decode_block_size(const JsonDocument& info, const std::string& instance,
                         const std::string& url) {
  simdjson::dom::array xyz;
  if (info.root()["Extended"]["BlockSize"].get_array().get(xyz) || xyz.size() != 3)
    throw DecodeError(
        fmt::format("instance '{}' has no Extended.BlockSize [x,y,z] in its info", instance), url);
  std::array<std::int64_t, 3> values{};
  std::size_t i = 0;
  for (auto element : xyz) {
    std::int64_t v = 0;
    if (element.get_int64().get(v) || v <= 0)
      throw DecodeError(
          fmt::format("instance '{}' reports a block size that is not a positive integer",
                      instance),
          url);
    values[i++] = v;
  }
  return Shape3{values[2], values[1], values[0]};  // DVID's x,y,z as (z,y,x)
}

int decode_max_downres_level(const JsonDocument& info) {
  std::int64_t levels = 0;
  if (info.root()["Extended"]["MaxDownresLevel"].get_int64().get(levels)) return 0;
  return static_cast<int>(std::clamp<std::int64_t>(levels, 0, 255));  // DVID keeps a uint8
}

std::string decode_type_name(const JsonDocument& info, const std::string& instance,
                             const std::string& url) {
  std::string_view type_name;
  if (info.root()["Base"]["TypeName"].get_string().get(type_name))
    throw DecodeError(
        fmt::format("instance '{}' has no Base.TypeName string in its info", instance), url);
  return std::string(type_name);
}

std::vector<std::uint64_t> decode_label_list(const JsonDocument& document, std::size_t count,
                                             const std::string& url) {
  simdjson::dom::array values;
  if (document.root().get_array().get(values) || values.size() != count)
    throw DecodeError(fmt::format("expected a JSON array of {} labels", count), url);
  std::vector<std::uint64_t> labels;
  labels.reserve(count);
  for (auto value : values) {
    std::uint64_t label = 0;
    if (value.get_uint64().get(label))
      throw DecodeError("a label in the answer is not an unsigned integer", url);
    labels.push_back(label);
  }
  return labels;
}

RoiPartition decode_roi_partition(const JsonDocument& document, std::int64_t substack_voxels,
                                  const std::string& url) {
  RoiPartition partition;
  simdjson::dom::array subvolumes;
  std::int64_t active = 0, total = 0;
  if (document.root()["Subvolumes"].get_array().get(subvolumes) ||
      document.root()["NumActiveBlocks"].get_int64().get(active) ||
      document.root()["NumTotalBlocks"].get_int64().get(total))
    throw DecodeError(
        fmt::format("the partition from {} lacks Subvolumes, NumActiveBlocks or NumTotalBlocks",
                    url),
        url);
  for (auto subvolume : subvolumes) {
    simdjson::dom::array min_point;
    if (subvolume["MinPoint"].get_array().get(min_point) || min_point.size() != 3)
      throw DecodeError(fmt::format("a subvolume from {} has no MinPoint [x, y, z]", url), url);
    std::array<std::int64_t, 3> xyz{};
    std::size_t i = 0;
    for (auto value : min_point)
      if (value.get_int64().get(xyz[i++]))
        throw DecodeError(fmt::format("a subvolume MinPoint from {} is not integral", url), url);
    const auto zyx = zyx_from_dvid(xyz[0], xyz[1], xyz[2]);
    partition.substacks.push_back({substack_voxels, zyx[0], zyx[1], zyx[2]});
  }
  std::sort(partition.substacks.begin(), partition.substacks.end());
  partition.packing_factor =
      total > 0 ? static_cast<double>(active) / static_cast<double>(total) : 0.0;
  return partition;
}

std::vector<bool> decode_ptquery(const JsonDocument& document, std::size_t count,
                                 const std::string& url) {
  simdjson::dom::array answers;
  if (document.root().get_array().get(answers) || answers.size() != count)
    throw DecodeError(
        fmt::format("ptquery from {} did not answer one bool per point ({} asked)", url, count),
        url);
  std::vector<bool> inside;
  inside.reserve(count);
  for (auto answer : answers) {
    bool value = false;
    if (answer.get_bool().get(value))
      throw DecodeError(fmt::format("ptquery from {} answered a non-bool", url), url);
    inside.push_back(value);
  }
  return inside;
}

std::string decode_repo_root(const JsonDocument& document, const std::string& url) {
  std::string_view root;
  if (document.root()["root"].get(root))
    throw DecodeError("POST /api/repos answered without a \"root\" uuid: " + document.text(), url);
  return std::string(root);
}

}  // namespace dvidxfer::api
