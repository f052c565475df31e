#include "types/imagetile/imagetile_instance.hpp"

#include <fmt/format.h>

#include <cmath>

#include "dvid/dvid_errors.hpp"
#include "dvid/repo_registry.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "images/jpeg_image.hpp"
#include "images/png_image.hpp"
#include "types/imagetile/imagetile_generation.hpp"
#include "types/imagetile/imagetile_images.hpp"
#include "types/imagetile/imagetile_keys.hpp"
#include "types/imagetile/imagetile_metadata.hpp"
#include "types/imagetile/serialized_tile_image.hpp"
#include "types/imagetile/tile_decoding.hpp"
#include "types/imagetile/tile_encoding.hpp"
#include "types/voxels/voxels_instance.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for 'imagetile' datatype (github.com/janelia-flyem/dvid/datatype/imagetile)\n"
    "served by the dvidxfer embedded server: info, metadata (GET, POST),\n"
    "tile/{plane}/{scale}/{tx_ty_tz}[/{format}][?noblanks=true] (GET, POST),\n"
    "tilekey/{plane}/{scale}/{tx_ty_tz}, raw|isotropic/{plane}/{w_h}/{x_y_z}[/{format}] (images\n"
    "stitched from level-0 tiles), and generate (POST, a dvidxfer extension: builds every\n"
    "tile from the Source uint8blk; body {\"planes\":[\"xy\"],\"scales\":N,\"tilesize\":512,\n"
    "\"format\":\"png\",\"quality\":80,\"bounds\":{\"MinPoint\":[x,y,z],\"MaxPoint\":[x,y,z]}}).\n";

constexpr std::string_view kNoMetadata =
    "Tile metadata has not been POSTed yet.  GET requests require metadata to be POST.";

// imagetile.Format: how stored tiles are encoded; the number is what info reports.
enum class TileEncoding { lz4 = 0, png = 1, jpg = 2 };

struct ImagetileSettings {
  std::string source;
  bool placeholder = false;
  TileEncoding encoding = TileEncoding::png;
  bool crc32 = false;  // the instance's Checksum, which lz4 tiles carry
};

std::string point_json(const Point3& point) {
  return fmt::format("[{},{},{}]", point.x, point.y, point.z);
}

class ImagetileInstance final : public DataInstance {
 public:
  ImagetileInstance(const DataType& type, InstanceIdentity identity, CommonSettings common,
                    ImagetileSettings settings)
      : DataInstance(type, std::move(identity), std::move(common)),
        settings_(std::move(settings)) {}

  std::string info_json() const override {
    std::lock_guard lock(mutex_);
    std::string out = "{\"Base\":" + base_json() + ",\"Extended\":{\"Source\":";
    append_go_json_string(out, settings_.source);
    out += ",\"MinTileCoord\":" + point_json(metadata_.min_tile_coord) +
           ",\"MaxTileCoord\":" + point_json(metadata_.max_tile_coord) +
           ",\"Levels\":" + metadata_.levels_json() +
           fmt::format(",\"Placeholder\":{},\"Encoding\":{},\"Quality\":{}}}}}",
                       settings_.placeholder ? "true" : "false",
                       static_cast<int>(settings_.encoding), quality_);
    return out;
  }

  HttpResponse serve(InstanceRequest& request) override {
    const HttpRequest& http = request.http;
    const bool get = http.method == "GET";
    if (!get && http.method != "POST")
      return bad_request(http, "Can only handle GET or POST HTTP verbs");
    const std::string& keyword = request.keyword();
    if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
    if (keyword == "info") return HttpResponse::json(info_json());
    if (keyword == "metadata") return get ? metadata() : set_metadata(http.body);
    if (keyword == "tile") return get ? get_tile(request) : post_tile(request);
    if (keyword == "tilekey") {
      if (!get) return bad_request(http, "Cannot use HTTP post for tilekey endpoint");
      const TileAddress address = parse_tile_address(request.parts);
      std::string hex;
      for (unsigned char byte : address.storage_key(id(), request.version))
        hex += fmt::format("{:02x}", byte);
      return HttpResponse::json("{\"key\": \"" + hex + "\"}");
    }
    if (keyword == "raw" || keyword == "isotropic") return image(request);
    if (keyword == "generate") {
      if (get) return bad_request(http, "generate only supports POST");
      return generate(request);
    }
    return bad_api_call(request);
  }

 private:
  HttpResponse metadata() const {
    std::lock_guard lock(mutex_);
    if (metadata_.levels.empty())
      throw DvidError("tile metadata for imagetile " + go_json_string(name()) + " was not set\n");
    return HttpResponse::json(metadata_.json());
  }

  HttpResponse set_metadata(std::string_view body) {
    TileMetadata parsed = parse_tile_metadata(body);
    std::lock_guard lock(mutex_);
    metadata_ = std::move(parsed);
    return HttpResponse{};
  }

  // The tile size of a level along the plane's axes, or nullopt for a level not in the metadata.
  std::optional<std::pair<std::size_t, std::size_t>> tile_dimensions(
      const TileAddress& address) const {
    std::lock_guard lock(mutex_);
    if (address.scale >= metadata_.levels.size()) return std::nullopt;
    const Point3& size = metadata_.levels[address.scale].tile_size;
    const PlaneAxes axes = axes_of(address.plane);
    const std::array<std::int32_t, 3> xyz{size.x, size.y, size.z};
    return std::pair{static_cast<std::size_t>(std::max(xyz[axes.across], 0)),
                     static_cast<std::size_t>(std::max(xyz[axes.down], 0))};
  }

  bool has_metadata() const {
    std::lock_guard lock(mutex_);
    return !metadata_.levels.empty();
  }

  HttpResponse get_tile(const InstanceRequest& request) const {
    const HttpRequest& http = request.http;
    if (!has_metadata()) throw DvidError(std::string(kNoMetadata));
    const TileAddress address = parse_tile_address(request.parts);
    const auto dimensions = tile_dimensions(address);
    const std::string format = request.parts.size() >= 8 ? request.parts[7] : "";
    // DVID never reads a tile with a negative coordinate: it is always missing.
    const bool negative = address.coord.x < 0 || address.coord.y < 0 || address.coord.z < 0;
    const StoredValue stored =
        negative ? nullptr : request.store.get(id(), request.ancestry, address.tkey());
    if (!stored || stored->empty()) {
      if (http.query_value("noblanks") == "true") return page_not_found();
      if (!dimensions)
        throw DvidError(
            fmt::format("Could not extract tiles for unspecified scale level {}", address.scale));
      const auto [width, height] = *dimensions;
      EncodedImage blank =
          encode_gray8_image(std::string(width * height, '\0'), width, height, format);
      HttpResponse response = HttpResponse::octets(std::move(blank.bytes));
      response.content_type = std::move(blank.content_type);
      return response;
    }
    if (settings_.encoding == TileEncoding::lz4) {
      // DVID decodes lz4 tiles and sends them as PNG.
      const std::optional<Gray8Image> tile = deserialize_gray8_tile(*stored);
      if (!tile) throw DvidError("stored tile is not a serialized 8-bit DVID image");
      HttpResponse response =
          HttpResponse::octets(encode_gray8_png(tile->pixels, tile->width, tile->height));
      response.content_type = "image/png";
      return response;
    }
    HttpResponse response = HttpResponse::octets(*stored);
    response.content_type = settings_.encoding == TileEncoding::jpg ? "image/jpeg" : "image/png";
    return response;
  }

  HttpResponse post_tile(const InstanceRequest& request) {
    TileAddress address;
    try {
      address = parse_tile_address(request.parts);
    } catch (const DvidError& error) {
      throw DvidError("Error in posting tile with URL " +
                      go_json_string(std::string_view(request.http.path).substr(5)) + ": " +
                      error.what() + "\n");
    }
    request.store.put(id(), request.version, address.tkey(),
                      std::make_shared<const std::string>(request.http.body));
    return HttpResponse{};
  }

  // The uint8blk named by Source; nullptr when the repo has no instance of that name, DvidError
  // with DVID's text when it is not a uint8blk.
  std::shared_ptr<VoxelsInstance> source_instance(const InstanceRequest& request) const {
    std::shared_ptr<DataInstance> found =
        request.registry.find_instance(request.version, settings_.source);
    if (!found) return nullptr;
    auto voxels = std::dynamic_pointer_cast<VoxelsInstance>(found);
    if (!voxels || found->type().name() != "uint8blk")
      throw DvidError("Cannot construct imagetile for non-voxels data: " + settings_.source);
    return voxels;
  }

  // A tile as an image, for stitching: nullopt when missing (DVID never reads negative
  // coordinates) or not decodable, which DVID also left black.
  std::optional<Gray8Image> tile_image(const InstanceRequest& request,
                                       const TileAddress& address) const {
    if (address.coord.x < 0 || address.coord.y < 0 || address.coord.z < 0) return std::nullopt;
    const StoredValue stored = request.store.get(id(), request.ancestry, address.tkey());
    if (!stored || stored->empty()) return std::nullopt;
    if (settings_.encoding == TileEncoding::jpg || settings_.encoding == TileEncoding::png)
      return decode_tile_image(*stored);
    return deserialize_gray8_tile(*stored);
  }

  // GET .../raw|isotropic/{plane}/{w_h}/{x_y_z}[/{format}]: an image stitched from level-0 tiles.
  HttpResponse image(const InstanceRequest& request) const {
    const HttpRequest& http = request.http;
    const std::string& keyword = request.keyword();
    if (http.method == "POST")
      return bad_request(http, "imagetile '" + name() + "' can only PUT tiles not images");
    if (request.parts.size() < 7)
      return bad_request(http, go_json_string(keyword) + " must be followed by shape/size/offset");
    const DataShape shape = parse_data_shape(request.parts[4]);
    if (shape == DataShape::volume)
      return bad_request(http, "Quadtrees can only return 2d images not 3d volume");
    const TilePlane plane = parse_tile_plane(request.parts[4]);
    const Point3 offset = parse_point3(request.parts[6], "_");
    const auto [width, height] = parse_point2(request.parts[5]);
    if (width <= 0 || height <= 0)
      throw DvidError("Illegal geometry requested: " +
                      describe_slice(shape, offset, width, height));
    check_payload_size(std::int64_t{width} * height);
    const std::shared_ptr<VoxelsInstance> source = source_instance(request);
    if (!source) throw DvidError("invalid data instance name");
    std::size_t tile_width = 0, tile_height = 0;
    {
      std::lock_guard lock(mutex_);
      if (metadata_.levels.empty()) throw DvidError(std::string(kNoMetadata));
      const Point3& size = metadata_.levels[0].tile_size;
      const PlaneAxes axes = axes_of(plane);
      const std::array<std::int32_t, 3> xyz{size.x, size.y, size.z};
      if (xyz[axes.across] <= 0 || xyz[axes.down] <= 0)
        throw DvidError("level 0 of the tile metadata has no tile size in this plane");
      tile_width = static_cast<std::size_t>(xyz[axes.across]);
      tile_height = static_cast<std::size_t>(xyz[axes.down]);
    }
    // Isotropic images read the slice at the finer of the plane's two resolutions, then stretch
    // it to the requested size (dvid.Isotropy2D).
    std::size_t read_width = static_cast<std::size_t>(width);
    std::size_t read_height = static_cast<std::size_t>(height);
    if (keyword == "isotropic") {
      const PlaneAxes axes = axes_of(plane);
      const auto across = static_cast<float>(source->voxel_size()[axes.across]);
      const auto down = static_cast<float>(source->voxel_size()[axes.down]);
      if (across < down) {
        read_height = static_cast<std::size_t>(static_cast<float>(height) * across / down + 0.5f);
      } else if (down < across) {
        read_width = static_cast<std::size_t>(static_cast<float>(width) * down / across + 0.5f);
      }
      if (read_width == 0 || read_height == 0)
        throw DvidError(
            fmt::format("Attempted to interpolate to {} x {} pixels", read_width, read_height));
    }
    std::string pixels =
        stitch_tiles(plane, offset, read_width, read_height, tile_width, tile_height,
                     [&](const TileAddress& address) { return tile_image(request, address); });
    pixels = resample_gray8(pixels, read_width, read_height, static_cast<std::size_t>(width),
                            static_cast<std::size_t>(height));
    EncodedImage encoded = encode_gray8_image(pixels, static_cast<std::size_t>(width),
                                              static_cast<std::size_t>(height),
                                              request.parts.size() >= 8 ? request.parts[7] : "");
    HttpResponse response = HttpResponse::octets(std::move(encoded.bytes));
    response.content_type = std::move(encoded.content_type);
    return response;
  }

  // The metadata to generate with: the instance's, or DVID's default spec (each level twice the
  // previous level's resolution) written to the instance when it has none.
  TileMetadata generation_metadata(const TileGenerationSettings& generation, const Box& volume,
                                   const std::array<double, 3>& voxel_size) {
    std::lock_guard lock(mutex_);
    if (!metadata_.levels.empty()) {
      if (generation.scales && *generation.scales > metadata_.levels.size())
        throw DvidError(fmt::format("generate asks for {} scales but the metadata has {} levels",
                                    *generation.scales, metadata_.levels.size()));
      for (std::size_t scale = 0; scale + 1 < metadata_.levels.size(); ++scale)
        if (level_magnification(metadata_, scale) != std::array<std::int32_t, 3>{2, 2, 2})
          throw DvidError(fmt::format(
              "generate needs each level at twice the resolution of the previous one; levels {} "
              "and {} are not",
              scale, scale + 1));
      return metadata_;
    }
    const std::int32_t tile = generation.tile_size;
    std::size_t levels = 1;
    if (generation.scales) {
      levels = *generation.scales;
    } else {
      // DVID's DefaultTileSpec: enough levels for one tile to cover the extent of every axis.
      const Box aligned = tiled_region(volume, {Point3{tile, tile, tile}});
      for (std::int32_t size : {aligned.size.x, aligned.size.y, aligned.size.z})
        if (size > tile)
          levels = std::max(
              levels,
              static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(size) / tile))) + 1);
    }
    TileMetadata created;
    for (std::size_t scale = 0; scale < levels; ++scale) {
      TileLevel level;
      for (double size : voxel_size)
        level.resolution.push_back(static_cast<float>(std::ldexp(size, static_cast<int>(scale))));
      level.tile_size = {tile, tile, tile};
      created.levels.push_back(std::move(level));
    }
    const std::int64_t coarsest = std::int64_t{tile} << (levels - 1);
    const Point3 last = volume.end();
    auto tile_of = [&](std::int32_t voxel) {
      return static_cast<std::int32_t>(
          voxel >= 0 ? voxel / coarsest : -((-std::int64_t{voxel} + coarsest - 1) / coarsest));
    };
    created.min_tile_coord = {tile_of(volume.offset.x), tile_of(volume.offset.y),
                              tile_of(volume.offset.z)};
    created.max_tile_coord = {tile_of(last.x), tile_of(last.y), tile_of(last.z)};
    metadata_ = created;
    return created;
  }

  HttpResponse generate(const InstanceRequest& request) {
    const TileGenerationSettings generation = parse_generation_settings(request.http.body);
    const std::string_view format = settings_.encoding == TileEncoding::jpg   ? "jpg"
                                    : settings_.encoding == TileEncoding::lz4 ? "lz4"
                                                                              : "png";
    if (generation.format && *generation.format != format &&
        !(format == "jpg" && *generation.format == "jpeg"))
      throw DvidError("generate format " + go_json_string(*generation.format) +
                      " differs from this instance's Format " + go_json_string(format));

    const std::shared_ptr<VoxelsInstance> source = source_instance(request);
    if (!source)
      throw DvidError(
          fmt::format("Cannot get source {} for {} tile construction: invalid data instance name",
                      go_json_string(settings_.source), go_json_string(name())));
    // The source is read at the URL's node even when this instance is unversioned.
    const VersionId node = request.registry.resolve(request.uuid).version;
    const InstanceRequest source_request{
        request.http,  request.parts,    request.uuid,    node, request.registry.ancestry(node),
        request.store, request.registry, request.throttle};
    Box volume;
    if (generation.bounds) {
      volume = *generation.bounds;
    } else {
      const VoxelExtents extents = source->extents_seen_by(source_request);
      if (!extents.min_point || !extents.max_point)
        throw DvidError("source " + go_json_string(settings_.source) + " has no voxels to tile");
      volume = {*extents.min_point,
                {extents.max_point->x - extents.min_point->x + 1,
                 extents.max_point->y - extents.min_point->y + 1,
                 extents.max_point->z - extents.min_point->z + 1}};
    }

    const TileMetadata metadata = generation_metadata(generation, volume, source->voxel_size());
    const std::size_t levels = generation.scales.value_or(metadata.levels.size());
    std::vector<Point3> tile_sizes;
    for (std::size_t scale = 0; scale < levels; ++scale)
      tile_sizes.push_back(metadata.levels[scale].tile_size);
    for (const Point3& size : tile_sizes)
      if (size.x <= 0 || size.y <= 0 || size.z <= 0)
        throw DvidError("generate needs positive tile sizes in the metadata");
    int quality = 0;
    {
      std::lock_guard lock(mutex_);
      if (generation.quality) quality_ = *generation.quality;
      quality = quality_ == 0 ? kDefaultJpegQuality : quality_;
    }

    const Box region = tiled_region(volume, tile_sizes);
    const auto read = [&](const Box& box) { return source->voxels_seen_by(source_request, box); };
    const auto store = [&](const TileAddress& address, std::string_view pixels, std::size_t width,
                           std::size_t height) {
      std::string bytes = format == "jpg" ? encode_gray8_jpeg(pixels, width, height, quality)
                          : format == "lz4"
                              ? serialize_gray8_tile(pixels, width, height, settings_.crc32)
                              : encode_gray8_png(pixels, width, height);
      request.store.put(id(), request.version, address.tkey(),
                        std::make_shared<const std::string>(std::move(bytes)));
    };
    std::size_t tiles = 0;
    std::string planes;
    for (TilePlane plane : generation.planes) {
      const PlaneAxes axes = axes_of(plane);
      const std::array<std::int32_t, 3> block{source->block_size().x, source->block_size().y,
                                              source->block_size().z};
      tiles +=
          generate_plane_tiles(plane, volume, region, tile_sizes, block[axes.normal], read, store);
      planes += (planes.empty() ? "\"" : ",\"") + std::string(plane_name(plane)) + "\"";
    }
    return HttpResponse::json(
        fmt::format(R"({{"Planes":[{}],"Levels":{},"Tiles":{},"MinPoint":{},"MaxPoint":{}}})",
                    planes, levels, tiles, point_json(region.offset), point_json(region.end())));
  }

  const ImagetileSettings settings_;
  mutable std::mutex mutex_;  // guards the metadata and quality, which DVID keeps per instance
  TileMetadata metadata_;
  int quality_ = 0;
};

}  // namespace

std::unique_ptr<DataInstance> ImagetileType::create(InstanceIdentity identity,
                                                    const DvidConfig& config) const {
  auto text = [&](std::string_view key) {
    auto value = config.get_string(key);
    if (!value) throw DvidError(value.error());
    return *value;
  };
  ImagetileSettings settings;
  settings.source = text("Source").value_or("");
  if (auto placeholder = text("Placeholder")) {
    const std::string value = ascii_lower(*placeholder);
    if (value == "true" || value == "1") {
      settings.placeholder = true;
    } else if (value != "false" && value != "0") {
      throw DvidError("Cannot parse '" + *placeholder +
                      "' as a boolean.  Use 'true', 'false', '0', or '1'.");
    }
  }
  const std::optional<std::string> format = text("Format");
  if (format) {
    const std::string value = ascii_lower(*format);
    if (value == "lz4") {
      settings.encoding = TileEncoding::lz4;
    } else if (value == "jpg") {
      settings.encoding = TileEncoding::jpg;
    } else if (value != "png") {
      throw DvidError("Unknown encoding specified: '" + *format +
                      "' (should be 'lz4', 'png', or 'jpg'");
    }
  }
  // The stored tiles' format dictates the compression; a contradicting setting is refused.
  const std::string compression = settings.encoding == TileEncoding::lz4 ? "lz4" : "none";
  if (auto requested = text("Compression"); requested && ascii_lower(*requested) != compression)
    throw DvidError("Conflict between specified compression '" + *requested + "' and format '" +
                    format.value_or("") + "'.  Suggest not dictating compression.");
  CommonSettings common = parse_common_settings(
      config, compression == "lz4" ? "LZ4 compression, level -1" : "No compression, level -1");
  settings.crc32 = common.checksum == "CRC32 checksum";
  return std::make_unique<ImagetileInstance>(*this, std::move(identity), std::move(common),
                                             std::move(settings));
}

}  // namespace dvidxfer::server
