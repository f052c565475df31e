// DVIDNodeService's labelarray/labelmap calls with libdvid's Python names, signatures and
// defaults: create_labelarray, create_labelmap, get_labelarray_blocks3D, put_labelblocks3D,
// get_specificblocks3D, and get_labels_by_location (many points in one request). Volumes and
// blocks are numpy arrays indexed [z, y, x]; coordinates are (z, y, x). Calls release the GIL.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "dvidxfer/errors.hpp"
#include "numpy_volume.hpp"
#include "python_transfer.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

namespace {

template <class T>
using Rows = py::array_t<T, py::array::c_style | py::array::forcecast>;

// (N, 3) z, y, x rows (a numpy array or a list of triples) as coordinates; an empty list is
// none. `argument` names it in the ArgumentError.
std::vector<std::array<std::int64_t, 3>> zyx_rows(const Rows<std::int64_t>& rows,
                                                  const char* argument) {
  if (rows.size() == 0) return {};
  if (rows.ndim() != 2 || rows.shape(1) != 3)
    throw ArgumentError(std::string(argument) +
                        " must be an (N, 3) array (or list) of z, y, x coordinates");
  std::vector<std::array<std::int64_t, 3>> out(static_cast<std::size_t>(rows.shape(0)));
  const auto view = rows.unchecked<2>();
  for (py::ssize_t i = 0; i < rows.shape(0); ++i) out[i] = {view(i, 0), view(i, 1), view(i, 2)};
  return out;
}

// libdvid's answer: (coords_zyx, blocks), coords an (N, 3) int32 array of each block's first
// voxel (block coordinate times block size), z, y, x; blocks the decoded arrays, in that order.
template <class Voxel>
py::tuple blocks_tuple(const std::vector<BlockZYX>& coords, std::vector<Volume<Voxel>>&& blocks) {
  Rows<std::int32_t> corners({static_cast<py::ssize_t>(coords.size()), py::ssize_t{3}});
  auto view = corners.template mutable_unchecked<2>();
  py::list arrays;
  for (std::size_t i = 0; i < coords.size(); ++i) {
    const auto& side = blocks[i].shape();
    for (int axis = 0; axis < 3; ++axis)
      view(static_cast<py::ssize_t>(i), axis) =
          static_cast<std::int32_t>(coords[i][axis] * side[axis]);
    arrays.append(adopt_volume(std::move(blocks[i])));
  }
  return py::make_tuple(corners, arrays);
}

void bind_creation(NodeServiceClass& cls) {
  cls.def(
      "create_labelarray",
      [](NodeService& node, const std::string& instance_name, int blocksize) {
        return without_gil([&] { return node.create_labelarray(instance_name, blocksize); });
      },
      py::arg("instance_name"), py::arg("blocksize") = 64,
      "Creates a uint64 labelarray instance with cubic blocks of blocksize (stored gzip'd, "
      "DVID's default). True if created, False if an instance of that name exists.");
  def_async(cls, "create_labelarray");

  cls.def(
      "create_labelmap",
      [](NodeService& node, const std::string& instance_name, int blocksize) {
        return without_gil([&] { return node.create_labelmap(instance_name, blocksize); });
      },
      py::arg("instance_name"), py::arg("blocksize") = 64,
      "Creates a uint64 labelmap instance with cubic blocks of blocksize (a multiple of 16). "
      "True if created, False if an instance of that name exists. For lower scales, create it "
      "with create_instance('labelmap', name, {'BlockSize': '64,64,64', 'MaxDownresLevel': "
      "'2'}).");
  def_async(cls, "create_labelmap");
}

void bind_blocks(NodeServiceClass& cls) {
  cls.def(
      "get_labelarray_blocks3D",
      [](NodeService& node, const std::string& instance_name, const Shape3& shape_zyx,
         const Point3& offset_zyx, bool throttle, int scale, bool supervoxels) {
        return adopt_volume(without_gil([&] {
          return node.get_labelarray_blocks3D(instance_name, shape_zyx, offset_zyx, throttle, scale,
                                              supervoxels);
        }));
      },
      py::arg("instance_name"), py::arg("shape_zyx"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("scale") = 0, py::arg("supervoxels") = false,
      "The uint64 labels of the box of shape_zyx at offset_zyx of a labelarray or labelmap "
      "instance, read as DVID's stored gzip'd blocks (decoded in parallel here), as a numpy "
      "array indexed [z, y, x]. scale: the resolution level (shape and offset in its voxels). "
      "supervoxels: the stored supervoxel ids, not their bodies (labelmap). Unlike libdvid, "
      "any alignment.");
  def_async(cls, "get_labelarray_blocks3D");

  cls.def(
      "put_labelblocks3D",
      [](NodeService& node, const std::string& instance_name, const py::object& label_vol_zyx,
         const Point3& offset_zyx, bool throttle, int scale, bool noindexing,
         const py::object& progress, const std::optional<CancellationToken>& cancel,
         std::size_t max_in_flight, std::uint64_t chunk_bytes) {
        LabelWriteOptions label_options;
        label_options.scale = scale;
        label_options.noindexing = noindexing;
        const VolumeArgument<std::uint64_t> volume(label_vol_zyx, "label_vol_zyx");
        // put_labels3D with these options is put_labelblocks3D, reading the array in place.
        PythonTransfer(progress, cancel, max_in_flight, chunk_bytes)
            .run([&](const TransferOptions& options) {
              node.put_labels3D(instance_name, volume.voxels(), volume.shape_zyx(), offset_zyx,
                                throttle, true, "", false, options, label_options);
            });
      },
      py::arg("instance_name"), py::arg("label_vol_zyx"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("scale") = 0, py::arg("noindexing") = false,
      py::kw_only(), py::arg("progress") = py::none(), py::arg("cancel") = py::none(),
      py::arg("max_in_flight") = 0, py::arg("chunk_bytes") = 0,
      "Writes label_vol_zyx (uint64, [z, y, x], C-contiguous; shape and offset block aligned) "
      "to a labelarray or labelmap instance as gzip'd compressed blocks (POST /blocks, encoded "
      "in parallel here). scale: the level written (shape and offset in its voxels). "
      "noindexing: DVID skips the label indices (ingestion that loads them later). Keywords: "
      "progress, cancel, max_in_flight, chunk_bytes, as for put_labels3D.");
  def_async(cls, "put_labelblocks3D");

  cls.def(
      "get_specificblocks3D",
      [](NodeService& node, const std::string& instance, bool gray,
         const Rows<std::int64_t>& blockcoords_zyx, int scale, bool uncompressed,
         bool supervoxels) {
        const auto coords = zyx_rows(blockcoords_zyx, "blockcoords_zyx");
        auto blocks = without_gil([&] {
          return node.get_specificblocks3D(instance, gray, coords, scale, uncompressed,
                                           supervoxels);
        });
        return gray ? blocks_tuple(blocks.coords_zyx, std::move(blocks.gray))
                    : blocks_tuple(blocks.coords_zyx, std::move(blocks.labels));
      },
      py::arg("instance"), py::arg("gray"), py::arg("blockcoords_zyx"), py::arg("scale") = 0,
      py::arg("uncompressed") = false, py::arg("supervoxels") = false,
      "The blocks at blockcoords_zyx, an (N, 3) int32 array of z, y, x block coordinates (at "
      "scale), in one GET .../specificblocks, decoded. gray: a uint8blk instance (scale 0), "
      "else labelarray/labelmap; it must match the instance. uncompressed: DVID sends expanded "
      "voxels instead of its stored form (the result is decoded either way). supervoxels: "
      "labelmap's stored ids. Returns (coords_zyx, blocks) as libdvid does: coords_zyx an "
      "(M, 3) int32 array of each block's first voxel (block coordinate times block size), "
      "blocks a list of M arrays indexed [z, y, x], sorted by z, y, x; blocks DVID does not have "
      "are left out.");
  def_async(cls, "get_specificblocks3D");

  cls.def(
      "get_labels_by_location",
      [](NodeService& node, const std::string& instance_name, const Rows<std::int64_t>& points_zyx,
         bool supervoxels) {
        const auto points = zyx_rows(points_zyx, "points_zyx");
        const auto labels = without_gil(
            [&] { return node.get_labels_by_location(instance_name, points, supervoxels); });
        Rows<std::uint64_t> out(static_cast<py::ssize_t>(labels.size()));
        std::copy(labels.begin(), labels.end(), out.mutable_data());
        return out;
      },
      py::arg("instance_name"), py::arg("points_zyx"), py::arg("supervoxels") = false,
      "The labels at the voxel points_zyx (an (N, 3) array or a list of (z, y, x)), in order, as "
      "a uint64 numpy array, in one GET .../labels; 0 where nothing was written. supervoxels: "
      "the stored supervoxel ids, not their bodies (labelmap).");
  def_async(cls, "get_labels_by_location");
}

}  // namespace

void bind_node_labelmap(NodeServiceClass& node_service) {
  bind_creation(node_service);
  bind_blocks(node_service);
}

}  // namespace dvidxfer::python
