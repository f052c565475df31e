#include "baseline_transfer.hpp"

#include <fmt/format.h>

#include <chrono>

#include "dvid_axis_order.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::cli {

namespace {

using Clock = std::chrono::steady_clock;

bool lz4_on_wire(VolumeType type, const BaselineSwitches& switches) {
  return switches.compress && is_label_type(type);
}

// libdvid's endpoint for a 3-D box: /<name>/raw/0_1_2/<nx_ny_nz>/<x_y_z>?throttle=on&...
std::string raw_endpoint(const std::string& instance, VolumeType type, Shape3 shape_zyx,
                         Point3 offset_zyx, const BaselineSwitches& switches, bool put) {
  std::string endpoint =
      fmt::format("/{}/raw/0_1_2/{}/{}", instance, dvid_xyz(shape_zyx), dvid_xyz(offset_zyx));
  char separator = '?';
  const auto add = [&](std::string_view parameter) {
    endpoint += separator;
    endpoint += parameter;
    separator = '&';
  };
  if (switches.throttle) add("throttle=on");
  if (lz4_on_wire(type, switches)) add("compression=lz4");
  if (put && switches.mutate) add("mutate=true");
  if (!put && switches.scale != 0) add(fmt::format("scale={}", switches.scale));
  if (!put && switches.supervoxels) add("supervoxels=true");
  return endpoint;
}

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

std::string baseline_get(NodeService& node, const std::string& instance, VolumeType type,
                         Shape3 shape_zyx, Point3 offset_zyx, const BaselineSwitches& switches,
                         BaselineExchange& exchange) {
  const auto endpoint = raw_endpoint(instance, type, shape_zyx, offset_zyx, switches, false);
  const auto sent = Clock::now();
  std::string body = node.custom_request(endpoint, {}, ConnectionMethod::GET);
  exchange.request_ms = milliseconds_since(sent);
  exchange.wire_bytes = body.size();
  if (!lz4_on_wire(type, switches)) return body;

  std::string voxels(volume_bytes(type, shape_zyx), '\0');
  if (auto decoded = codecs::decompress_lz4_block(body, voxels); !decoded)
    throw DecodeError(fmt::format("baseline lz4 answer: {}", decoded.error().message), endpoint);
  return voxels;
}

void baseline_put(NodeService& node, const std::string& instance, VolumeType type, Shape3 shape_zyx,
                  Point3 offset_zyx, std::span<const char> voxels, const BaselineSwitches& switches,
                  BaselineExchange& exchange) {
  const auto endpoint = raw_endpoint(instance, type, shape_zyx, offset_zyx, switches, true);
  const std::string_view raw(voxels.data(), voxels.size());
  std::string body;
  if (lz4_on_wire(type, switches)) {
    std::string compressed(codecs::lz4_block_bound(raw.size()), '\0');
    const auto written = codecs::compress_lz4_block(raw, compressed);
    if (!written)
      throw ArgumentError(fmt::format("baseline lz4 compression: {}", written.error().message));
    body.assign(compressed.data(), *written);  // libdvid copies into a new BinaryData
  } else {
    body.assign(raw);  // libdvid wraps the volume in a new BinaryData (a copy)
  }
  const auto sent = Clock::now();
  node.custom_request(endpoint, body, ConnectionMethod::POST);
  exchange.request_ms = milliseconds_since(sent);
  exchange.wire_bytes = body.size();
}

}  // namespace dvidxfer::cli
