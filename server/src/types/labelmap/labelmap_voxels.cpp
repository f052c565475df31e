// LabelmapInstance's voxel reads and writes: GET|POST /raw, GET /isotropic, GET /label and GET
// /labels (dvid-api.md 5.4, 5.6).
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "gocompat/go_format.hpp"
#include "types/labelmap/labelmap_instance.hpp"
#include "types/labelmap/labelmap_requests.hpp"
#include "types/roi/roi_instance.hpp"
#include "types/voxels/label_requests.hpp"
#include "types/voxels/parallel_lz4.hpp"

namespace dvidxfer::server {

HttpResponse LabelmapInstance::raw(InstanceRequest& request) {
  const HttpRequest& http = request.http;
  if (request.parts.size() < 7)
    return bad_request(http, "'" + request.keyword() + "' must be followed by shape/size/offset");
  if (parse_data_shape(request.parts[4]) != DataShape::volume) {
    if (http.method != "GET")
      return bad_request(http, "DVID does not permit 2d mutations, only 3d block-aligned stores");
    return bad_request(http,
                       "2-D label images are not served by this server; read a 3-D "
                       "volume one voxel thick instead");
  }
  ThrottleClaim throttle = claim_throttle(request);
  if (throttle.refusal) return *throttle.refusal;
  const Box box = parse_subvolume(request.parts[5], request.parts[6]);
  return http.method == "GET" ? read_raw(request, box) : write_raw(request, box);
}

// A request of exactly one stored block has no special path here: DVID's fast path for it
// answers a missing block with a 400 (compression= set) or a nil-pointer 500 (not set), while
// this server reads a missing block as zeros, as for every other box.
HttpResponse LabelmapInstance::read_raw(InstanceRequest& request, const Box& box) {
  const HttpRequest& http = request.http;
  const std::uint8_t scale = scale_of(http, "bad scale specified: ");
  const std::int64_t bytes = box.voxels() * std::int64_t{8};
  if (flavor_ == LabelFlavor::labelarray) {
    readable_box(request);  // imageblk's capitalised texts, which labelarray keeps
  } else if (box.size.x <= 0 || box.size.y <= 0 || box.size.z <= 0) {
    throw DvidError("illegal geometry requested: " + describe_subvolume(box));
  } else if (bytes > kMaxDataRequest) {
    throw DvidError(
        fmt::format("requested payload ({} bytes) exceeds this DVID server's set limit ({})", bytes,
                    kMaxDataRequest));
  }
  const std::optional<BlockFilter> roi = roi_block_filter(request);
  if (roi && scale != 0)
    throw DvidError("DVID does not currently support ROI masks on lower-scale GETs");
  const std::string compression = http.query_value("compression");
  check_label_read_compression(compression);
  request.http.reserve_response(static_cast<std::uint64_t>(bytes));  // 503 before allocating
  std::string volume(static_cast<std::size_t>(bytes), '\0');
  // std::string storage is allocated with operator new, aligned for uint64.
  labels_.read_box(request.store, request.ancestry, scale, supervoxels_of(http), box,
                   reinterpret_cast<std::uint64_t*>(volume.data()), roi.value_or(BlockFilter{}));
  if (compression == "lz4") {
    try {
      return HttpResponse::octets(compress_lz4_block_parallel(volume));
    } catch (const std::runtime_error& error) {
      throw DvidError(error.what());
    }
  }
  if (compression == "gzip") {
    auto gzipped = codecs::gzip_compress(volume);
    if (!gzipped) throw DvidError(gzipped.error().message);
    return HttpResponse::octets(std::move(*gzipped));
  }
  return HttpResponse::octets(std::move(volume));
}

// Always at scale 0, as in DVID, whose raw POST ignores scale=.
HttpResponse LabelmapInstance::write_raw(InstanceRequest& request, const Box& box) {
  const HttpRequest& http = request.http;
  if (request.keyword() == "isotropic")
    return bad_request(http, "can only POST 'raw' not 'isotropic' images");
  const std::int64_t expected = box.voxels() * std::int64_t{8};
  std::string decompressed;
  std::string_view body = posted_labels(http, expected, decompressed);
  if (!block_aligned(box, block_size()))
    throw DvidError(
        fmt::format("cannot store labels for data {} in non-block aligned geometry "
                    "{} -> {}",
                    go_json_string(name()), to_string(box.offset), to_string(box.end())));
  if (static_cast<std::int64_t>(body.size()) != expected)
    throw DvidError(
        fmt::format("expected {} bytes for data {} label PUT but only received {} bytes", expected,
                    go_json_string(name()), body.size()));
  std::string aligned;
  if (reinterpret_cast<std::uintptr_t>(body.data()) % alignof(std::uint64_t) != 0) {
    aligned.assign(body);
    body = aligned;
  }
  const auto* voxels = reinterpret_cast<const std::uint64_t*>(body.data());
  const std::optional<BlockFilter> roi = roi_block_filter(request);
  std::lock_guard lock(write_mutex_);
  grow_extents(request, box);
  std::vector<Point3> written;
  try {
    written = labels_.write_box(request.store, request.version, 0, box, voxels,
                                roi.value_or(BlockFilter{}));
  } catch (const std::runtime_error& error) {
    throw DvidError(error.what());
  }
  // The max label of what was stored: every voxel when nothing was skipped by the ROI.
  const std::size_t count = static_cast<std::size_t>(box.voxels());
  std::uint64_t max = 0;
  if (!roi) {
    max = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, count), std::uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& range, std::uint64_t found) {
          for (std::size_t i = range.begin(); i < range.end(); ++i)
            found = std::max(found, voxels[i]);
          return found;
        },
        [](std::uint64_t a, std::uint64_t b) { return std::max(a, b); });
  } else {
    const Point3& size = block_size();
    for (const Point3& block : written)
      for (std::int32_t z = 0; z < size.z; ++z)
        for (std::int32_t y = 0; y < size.y; ++y) {
          const std::size_t row =
              (static_cast<std::size_t>(block.z * size.z + z - box.offset.z) * box.size.y +
               static_cast<std::size_t>(block.y * size.y + y - box.offset.y)) *
                  box.size.x +
              static_cast<std::size_t>(block.x * size.x - box.offset.x);
          max = std::max(max, *std::max_element(voxels + row, voxels + row + size.x));
        }
  }
  counters_.raise(request.ancestry, max);
  downres(request, std::move(written));
  return HttpResponse{};
}

HttpResponse LabelmapInstance::label_at(const InstanceRequest& request) const {
  const HttpRequest& http = request.http;
  if (request.parts.size() < 5)
    return bad_request(http, "DVID requires coord to follow 'label' command");
  const Point3 point = parse_point3(request.parts[4], "_");
  const std::uint8_t scale = scale_of(http, "bad scale specified: ");
  const std::vector<std::uint64_t> found =
      labels_.labels_at(request.store, request.ancestry, scale, supervoxels_of(http), {&point, 1});
  return HttpResponse::json(fmt::format("{{\"Label\": {}}}", found[0]));
}

HttpResponse LabelmapInstance::labels(const InstanceRequest& request) const {
  const HttpRequest& http = request.http;
  if (http.method != "GET") return bad_request(http, "Batch labels query must be a GET request");
  const std::uint8_t scale = scale_of(http, "bad scale specified: ");
  const std::vector<Point3> points = label_query_points(http);
  const std::vector<std::uint64_t> found =
      labels_.labels_at(request.store, request.ancestry, scale, supervoxels_of(http), points);
  std::string out = "[";
  for (std::uint64_t label : found) {
    if (out.size() > 1) out += ',';
    out += std::to_string(label);
  }
  return HttpResponse::json(out + "]");
}

}  // namespace dvidxfer::server
