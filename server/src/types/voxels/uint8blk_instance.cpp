#include "types/voxels/uint8blk_instance.hpp"

#include <fmt/format.h>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "gocompat/go_format.hpp"
#include "images/jpeg_image.hpp"
#include "images/png_image.hpp"
#include "types/roi/roi_instance.hpp"
#include "types/voxels/voxels_instance.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for 'uint8blk' datatype (github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go)\n"
    "served by the dvidxfer embedded server: info, metadata, extents (POST), raw|isotropic\n"
    "(3-D GET at any alignment, block-aligned 3-D POST, 2-D PNG GET), blocks/{bx_by_bz}/{spanX},\n"
    "subvolblocks/{size}/{offset}, specificblocks?blocks=x,y,z,... and rawkey.\n";

class Uint8blkInstance final : public VoxelsInstance {
 public:
  Uint8blkInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings,
                   VoxelSettings voxels)
      : VoxelsInstance(type, std::move(identity), std::move(settings), std::move(voxels),
                       {"uint8", "uint8", 1, true}) {}

  std::string info_json() const override { return info_at(nullptr); }

  HttpResponse serve(InstanceRequest& request) override {
    const HttpRequest& http = request.http;
    const bool get = http.method == "GET";
    if (!get && http.method != "POST")
      return bad_request(
          http, "Data " + go_json_string(name()) + " can only handle GET or POST HTTP verbs");
    const unsigned attenuation = attenuation_of(http);
    const std::string& keyword = request.keyword();
    if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
    if (keyword == "metadata") return metadata(request);
    if (keyword == "extents") {
      if (get) return bad_request(http, "extents endpoint only supports POST HTTP verb");
      set_versioned_extents(request);
      return HttpResponse{};
    }
    if (keyword == "resolution") {
      if (get) return bad_request(http, "resolution endpoint only supports POST HTTP verb");
      set_resolution(request);
      return HttpResponse{};
    }
    if (keyword == "info") {
      if (!get) return bad_request(http, "info endpoint only supports GET HTTP verb");
      return HttpResponse::json(info_at(&request));
    }
    if (keyword == "rawkey") return HttpResponse{};  // DVID's handler does nothing
    if (keyword == "specificblocks") {
      if (!get)
        return bad_request(http,
                           "DVID does not accept the post action on the 'specificblocks' "
                           "endpoint");
      return specific_blocks(request);
    }
    if (keyword == "subvolblocks") return subvolume_blocks(request);
    if (keyword == "blocks") return block_span(request);
    if (keyword == "raw" || keyword == "isotropic") return raw(request, attenuation);
    return bad_api_call(request);
  }

 private:
  // Info with the extents of the request's node, or of no node (none yet) for the repo listing.
  std::string info_at(const InstanceRequest* request) const {
    const VoxelExtents extents = request ? versioned_extents(*request) : instance_extents();
    return "{\"Base\":" + base_json() + ",\"Extended\":" + properties_json(extents) +
           ",\"Extents\":{\"MinPoint\":" + point_text(extents.min_point) +
           ",\"MaxPoint\":" + point_text(extents.max_point) + "}}";
  }

  static std::string point_text(const std::optional<Point3>& point) {
    return point ? fmt::format("[{},{},{}]", point->x, point->y, point->z) : "null";
  }

  // The payload DVID sends for a stored block: the stored value minus its 1-byte format header
  // (this store keeps DVID's LZ4 value or the JPEG file without that byte), or the raw voxels.
  // JPEG can be sent only as stored.
  std::string block_payload(const StoredBlock& block, const std::string& compression) const {
    if (compression == "jpeg" && blocks_.encoding() != BlockEncoding::jpeg)
      throw DvidError(
          "can't encode JPEG: expected internal block data to be JPEG, was LZ4 compression "
          "instead");
    if (compression == "uncompressed") return decoded(block.value);
    return *block.value;
  }

  HttpResponse subvolume_blocks(InstanceRequest& request) {
    if (request.parts.size() < 6)
      return bad_request(request.http, "'subvolblocks' must be followed by size/offset");
    ThrottleClaim throttle = claim_throttle(request);
    if (throttle.refusal) return *throttle.refusal;
    const std::string compression = request.http.query_value("compression");
    const Box box = block_aligned_box(request);
    if (request.http.method != "GET")
      return bad_request(request.http,
                         "DVID does not accept the post action on the 'blocks' endpoint");
    // DVID checks the value before reading; a jpeg request fails at the first existing block.
    if (!compression.empty() && compression != "uncompressed" && compression != "jpeg")
      throw DvidError("don't understand 'compression' query string value: " + compression);
    return HttpResponse::octets(block_records(
        request, box, [&](const StoredBlock& block) { return block_payload(block, compression); }));
  }

  HttpResponse specific_blocks(InstanceRequest& request) {
    const std::string compression = request.http.query_value("compression");
    if (compression != "uncompressed" && compression != "jpeg" && !compression.empty())
      throw DvidError("don't understand 'compression' query string value: " + compression);
    const std::string list = request.http.query_value("blocks");
    const std::string prefetch = request.http.query_value("prefetch");
    std::string out;
    if (list.empty() || prefetch == "on" || prefetch == "true")
      return HttpResponse::octets(std::move(out));
    std::vector<std::int32_t> numbers;
    std::string_view rest = list;
    while (true) {
      const std::size_t comma = rest.find(',');
      numbers.push_back(static_cast<std::int32_t>(go_atoi(rest.substr(0, comma))));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (numbers.size() % 3 != 0)
      throw DvidError("block query string should be three coordinates per block");
    for (std::size_t i = 0; i < numbers.size(); i += 3) {
      const Point3 coord{numbers[i], numbers[i + 1], numbers[i + 2]};
      const StoredValue value = blocks_.get(request.store, request.ancestry, coord);
      // DVID only logs a block it cannot encode as asked (jpeg from an LZ4 store) and goes on.
      if (!value || (compression == "jpeg" && blocks_.encoding() != BlockEncoding::jpeg)) continue;
      codecs::append_block_record(out, {coord.x, coord.y, coord.z},
                                  block_payload({coord, value}, compression));
    }
    return HttpResponse::octets(std::move(out));
  }

  // strconv.Atoi for the specificblocks list.
  static long long go_atoi(std::string_view text) {
    std::string_view digits = text;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
      throw DvidError("strconv.Atoi: parsing " + go_json_string(text) + ": invalid syntax");
    return parse_go_int(text, 64);
  }

  HttpResponse block_span(InstanceRequest& request) {
    if (request.parts.size() < 6)
      return bad_request(request.http, "\"blocks\" must be followed by block-coord/span-x");
    const Point3 start = parse_chunk_point3(request.parts[4], "_");
    const auto span = static_cast<std::int32_t>(parse_go_int(request.parts[5], 64));
    const std::size_t block_bytes = blocks_.block_bytes();
    if (request.http.method == "GET") {
      std::string out(block_bytes * static_cast<std::size_t>(std::max(span, 0)),
                      static_cast<char>(voxels_.background));
      for (std::int32_t i = 0; i < span; ++i)
        if (StoredValue value =
                blocks_.get(request.store, request.ancestry, {start.x + i, start.y, start.z}))
          blocks_.decode(value, std::span<char>(out.data() + i * block_bytes, block_bytes));
      return HttpResponse::octets(std::move(out));
    }
    const std::string& body = request.http.body;
    for (std::int32_t i = 0; i < span; ++i) {
      const std::size_t at = static_cast<std::size_t>(i) * block_bytes;
      if (at >= body.size()) throw DvidError("block data ceased before all block data read");
      if (body.size() - at < block_bytes) throw DvidError("error reading blocks: unexpected EOF");
      const Point3 coord{start.x + i, start.y, start.z};
      const Box box{{coord.x * block_size().x, coord.y * block_size().y, coord.z * block_size().z},
                    block_size()};
      blocks_.write_box(request.store, request.version, box, body.data() + at, {}, {});
    }
    return HttpResponse{};
  }

  // attenuation=n (1..7, read only with roi=): stored blocks outside the ROI come back shifted
  // right by n bits instead of as the background.
  static unsigned attenuation_of(const HttpRequest& http) {
    if (http.query_value("roi").empty()) return 0;
    const std::string text = http.query_value("attenuation");
    if (text.empty()) return 0;
    const long long value = go_atoi(text);
    if (value < 1 || value > 7)
      throw DvidError("Attenuation should be from 1 to 7 (divides by 2^n)");
    return static_cast<unsigned>(value);
  }

  HttpResponse raw(InstanceRequest& request, unsigned attenuation) {
    const HttpRequest& http = request.http;
    if (request.parts.size() < 7)
      return bad_request(http,
                         "\"" + request.keyword() + "\" must be followed by shape/size/offset");
    const DataShape shape = parse_data_shape(request.parts[4]);
    if (shape != DataShape::volume) return slice(request, shape, attenuation);
    ThrottleClaim throttle = claim_throttle(request);
    if (throttle.refusal) return *throttle.refusal;
    const Box box = parse_subvolume(request.parts[5], request.parts[6]);
    if (http.method == "GET") {
      readable_box(request);
      const std::optional<BlockFilter> roi = roi_block_filter(request);
      std::string voxels =
          read_volume(request, box, roi, static_cast<char>(voxels_.background), attenuation);
      if (request.parts.size() >= 8 && (request.parts[7] == "jpg" || request.parts[7] == "jpeg")) {
        // DVID's 3-D JPEG: one image nx wide, the z-slices stacked (ny * nz high).
        HttpResponse response = HttpResponse::octets(encode_gray8_jpeg(
            voxels, static_cast<std::size_t>(box.size.x),
            static_cast<std::size_t>(box.size.y) * box.size.z, kDefaultJpegQuality));
        response.content_type = "image/jpeg";
        return response;
      }
      return HttpResponse::octets(std::move(voxels));
    }
    if (request.keyword() == "isotropic")
      return bad_request(http, "can only POST 'raw' not 'isotropic' images");
    const std::int64_t expected = box.voxels();
    if (static_cast<std::int64_t>(http.body.size()) != expected)
      throw DvidError(fmt::format("voxels data was {} bytes, expected {} bytes for {}",
                                  http.body.size(), expected, describe_subvolume(box)));
    const std::optional<BlockFilter> roi = roi_block_filter(request);
    write_volume(request, box, http.body, roi, {});
    return HttpResponse{};
  }

  HttpResponse slice(InstanceRequest& request, DataShape shape, unsigned attenuation) {
    const Point3 offset = parse_point3(request.parts[6], "_");
    const auto [width, height] = parse_point2(request.parts[5]);
    if (request.http.method != "GET")
      return bad_request(request.http,
                         "DVID does not permit 2d mutations, only 3d block-aligned stores");
    if (std::int64_t{width} * height <= 0 || width <= 0)
      throw DvidError("Illegal geometry requested: " +
                      describe_slice(shape, offset, width, height));
    check_payload_size(std::int64_t{width} * height);
    const std::string format = request.parts.size() >= 8 ? request.parts[7] : "png";
    if (format != "png" && !format.empty())
      return bad_request(request.http, "only PNG slices are served by this server, not " + format);
    const Box box = slice_box(shape, offset, width, height);
    const std::optional<BlockFilter> roi = roi_block_filter(request);
    const std::string pixels =
        read_volume(request, box, roi, static_cast<char>(voxels_.background), attenuation);
    HttpResponse response = HttpResponse::octets(encode_gray8_png(
        pixels, static_cast<std::size_t>(width), static_cast<std::size_t>(height)));
    response.content_type = "image/png";
    return response;
  }
};

}  // namespace

std::unique_ptr<DataInstance> Uint8blkType::create(InstanceIdentity identity,
                                                   const DvidConfig& config) const {
  CommonSettings settings = parse_common_settings(config, "LZ4 compression, level -1");
  VoxelSettings voxels = parse_voxel_settings(config);
  if (settings.compression.starts_with("jpeg")) voxels.encoding = BlockEncoding::jpeg;
  return std::make_unique<Uint8blkInstance>(*this, std::move(identity), std::move(settings),
                                            std::move(voxels));
}

}  // namespace dvidxfer::server
