// Voxel and block geometry as DVID speaks it: points are x,y,z (X fastest in every voxel array,
// ZYX order), URL points are "x_y_z", block coordinates are floor(voxel / block size), and
// parse errors carry Go's texts (dvid/point.go, dvid/geometry.go).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dvidxfer::server {

struct Point3 {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  friend bool operator==(const Point3&, const Point3&) = default;
};

// Go's %s of a dvid.Point3d / ChunkPoint3d: "(x,y,z)".
std::string to_string(const Point3& point);

// floor(a / b) for b > 0, right for negative a too.
constexpr std::int32_t floor_div(std::int64_t a, std::int32_t b) {
  return static_cast<std::int32_t>(a >= 0 ? a / b : -((-a + b - 1) / b));
}

// The shapes DVID accepts in raw/isotropic URLs.
enum class DataShape { xy, xz, yz, volume };

// dvid.DataShapeString.DataShape(): case-insensitive; throws DvidError
// "Unknown data shape specification (s)".
DataShape parse_data_shape(std::string_view text);

// strconv.ParseInt(text, 10, bits) after TrimSpace; throws DvidError with Go's text.
std::int64_t parse_go_int(std::string_view text, int bits);
// strconv.ParseUint(text, 10, 64); throws DvidError with Go's text.
std::uint64_t parse_go_uint64(std::string_view text);

// dvid.StringToPoint for a point that must be 3-D ("x_y_z"); `what` names it in DVID's error.
Point3 parse_point3(std::string_view text, std::string_view separator);
// dvid.StringToChunkPoint3d.
Point3 parse_chunk_point3(std::string_view text, std::string_view separator);
// "w_h" of a 2-D slice.
std::pair<std::int32_t, std::int32_t> parse_point2(std::string_view text);

// DVID's MaxDataRequest: the largest voxel buffer a GET may ask for.
inline constexpr std::int64_t kMaxDataRequest = 3ll << 30;

// DVID's check before it allocates a GET's voxel (or pixel, or mask) buffer: throws DvidError
// "Requested payload (N bytes) exceeds this DVID server's set limit (M)" past kMaxDataRequest.
void check_payload_size(std::int64_t bytes);

// A box of voxels (or of blocks): offset and size per axis.
struct Box {
  Point3 offset;
  Point3 size;

  Point3 end() const {  // inclusive last point, DVID's EndPoint()
    return {offset.x + size.x - 1, offset.y + size.y - 1, offset.z + size.z - 1};
  }
  std::int64_t voxels() const { return std::int64_t{size.x} * size.y * size.z; }
};

// dvid.NewSubvolumeFromStrings(offset, size, "_") with its error texts.
Box parse_subvolume(std::string_view size_text, std::string_view offset_text);
// Go's %s of a Subvolume: "3d volume (nx,ny,nz) at offset (x,y,z)".
std::string describe_subvolume(const Box& box);

// dvid.BlockAligned: every start is a multiple of the block size and every end + 1 too.
bool block_aligned(const Box& box, const Point3& block_size);

// The blocks a voxel box touches, as a box of block coordinates.
Box blocks_covering(const Box& voxels, const Point3& block_size);

// The box of a 2-D slice of width w and height h at `offset`: xy spans x and y, xz spans x and
// z, yz spans y and z. Its ZYX voxels are the image's rows, top to bottom. Throws DvidError if it
// ends outside the 32-bit coordinate range.
Box slice_box(DataShape shape, const Point3& offset, std::int32_t width, std::int32_t height);
// Go's %s of an OrthogSlice: "XY slice @ offset (x,y,z), size (w, h)" (Point2d has a space).
std::string describe_slice(DataShape shape, const Point3& offset, std::int32_t width,
                           std::int32_t height);

// "x,y,z" creation settings such as BlockSize: three positive integers.
Point3 parse_block_size_setting(std::string_view text);

}  // namespace dvidxfer::server
