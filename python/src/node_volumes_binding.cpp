// DVIDNodeService's volume calls. Arrays come back as new C-order numpy arrays over the memory
// the client wrote in place (no copy); arrays given are read in place. The label calls serve
// labelblk, labelarray and labelmap alike (labelmap's own calls: node_labelmap_binding.cpp).
// Beyond the seed's arguments, keyword-only:
//   progress       callable(TransferProgress), called with the GIL held as chunks start and end;
//                  if it raises, the call is cancelled and raises that exception
//   cancel         a CancellationToken; cancel() from another thread stops the call
//   max_in_flight  parallel chunk requests (0: ClientOptions.max_connections)
//   chunk_bytes    uncompressed bytes per chunk (0: chosen from the shape)
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "dvidxfer/errors.hpp"
#include "numpy_volume.hpp"
#include "python_transfer.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

namespace {

// A volume call's docstring: `what` it does, then the keywords beyond the seed's arguments.
std::string volume_doc(const char* what) {
  return std::string(what) +
         " progress: callable(dvidxfer.TransferProgress), called as chunks start and end; if it "
         "raises, the call is cancelled and raises that. cancel: a dvidxfer.CancellationToken. "
         "max_in_flight: parallel chunk requests (0: ClientOptions.max_connections). chunk_bytes: "
         "uncompressed bytes per chunk (0: chosen from the shape).";
}

void bind_grayscale(NodeServiceClass& cls) {
  cls.def(
      "get_gray3D",
      [](NodeService& node, const std::string& instance_name, const Shape3& shape_zyx,
         const Point3& offset_zyx, bool throttle, bool compress,
         const std::optional<std::string>& roi, const py::object& progress,
         const std::optional<CancellationToken>& cancel, std::size_t max_in_flight,
         std::uint64_t chunk_bytes) {
        auto volume = new_volume<std::uint8_t>(shape_zyx);
        PythonTransfer(progress, cancel, max_in_flight, chunk_bytes)
            .run([&](const TransferOptions& options) {
              node.get_gray3D(instance_name, shape_zyx, offset_zyx, volume.span(), throttle,
                              compress, roi.value_or(""), options);
            });
        return adopt_volume(std::move(volume));
      },
      py::arg("instance_name"), py::arg("shape_zyx"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("compress") = false, py::arg("roi") = py::none(),
      py::kw_only(), py::arg("progress") = py::none(), py::arg("cancel") = py::none(),
      py::arg("max_in_flight") = 0, py::arg("chunk_bytes") = 0,
      volume_doc("The uint8 voxels of the box of shape_zyx at offset_zyx as a numpy array indexed "
                 "[z, y, x] (any alignment). throttle: DVID's throttle=on, backing off on 503. "
                 "compress: fetch DVID's lz4 blocks. roi: zero the voxels outside that ROI.")
          .c_str());
  def_async(cls, "get_gray3D");

  cls.def(
      "put_gray3D",
      [](NodeService& node, const std::string& instance_name, const py::object& grayscale_vol,
         const Point3& offset_zyx, bool throttle, bool compress, const py::object& progress,
         const std::optional<CancellationToken>& cancel, std::size_t max_in_flight,
         std::uint64_t chunk_bytes) {
        const VolumeArgument<std::uint8_t> volume(grayscale_vol, "grayscale_vol");
        PythonTransfer(progress, cancel, max_in_flight, chunk_bytes)
            .run([&](const TransferOptions& options) {
              node.put_gray3D(instance_name, volume.voxels(), volume.shape_zyx(), offset_zyx,
                              throttle, compress, options);
            });
      },
      py::arg("instance_name"), py::arg("grayscale_vol"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("compress") = false, py::kw_only(),
      py::arg("progress") = py::none(), py::arg("cancel") = py::none(),
      py::arg("max_in_flight") = 0, py::arg("chunk_bytes") = 0,
      volume_doc(
          "Writes grayscale_vol (uint8, [z, y, x], C-contiguous) at offset_zyx; shape and offset "
          "must be block aligned.")
          .c_str());
  def_async(cls, "put_gray3D");
}

// "blocks" or "raw": how a labelarray/labelmap read travels (LabelWire).
LabelWire label_wire(const std::string& wire) {
  if (wire == "blocks") return LabelWire::stored_blocks;
  if (wire == "raw") return LabelWire::raw;
  throw ArgumentError("wire must be 'blocks' or 'raw', not '" + wire + "'");
}

void bind_labels(NodeServiceClass& cls) {
  cls.def(
      "get_labels3D",
      [](NodeService& node, const std::string& instance_name, const Shape3& shape_zyx,
         const Point3& offset_zyx, bool throttle, bool compress,
         const std::optional<std::string>& roi, bool supervoxels, int scale,
         const std::string& wire, const py::object& progress,
         const std::optional<CancellationToken>& cancel, std::size_t max_in_flight,
         std::uint64_t chunk_bytes) {
        LabelReadOptions label_options;
        label_options.scale = scale;
        label_options.supervoxels = supervoxels;
        label_options.wire = label_wire(wire);
        auto volume = new_volume<std::uint64_t>(shape_zyx);
        PythonTransfer(progress, cancel, max_in_flight, chunk_bytes)
            .run([&](const TransferOptions& options) {
              node.get_labels3D(instance_name, shape_zyx, offset_zyx, volume.span(), throttle,
                                compress, roi.value_or(""), options, label_options);
            });
        return adopt_volume(std::move(volume));
      },
      py::arg("instance_name"), py::arg("shape_zyx"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("compress") = true, py::arg("roi") = py::none(),
      py::arg("supervoxels") = false, py::kw_only(), py::arg("scale") = 0,
      py::arg("wire") = "blocks", py::arg("progress") = py::none(), py::arg("cancel") = py::none(),
      py::arg("max_in_flight") = 0, py::arg("chunk_bytes") = 0,
      volume_doc(
          "The uint64 labels of the box of shape_zyx at offset_zyx as a numpy array indexed "
          "[z, y, x]. compress: move dense labels lz4-compressed. roi: zero the labels outside "
          "that ROI. labelarray and labelmap only: supervoxels: the stored supervoxel ids, not "
          "the bodies they map to (labelmap); scale: the resolution level (shape and offset in "
          "its voxels); wire: 'blocks' (DVID's stored gzip'd blocks, decoded here) or 'raw' "
          "(dense voxels decoded by DVID).")
          .c_str());
  def_async(cls, "get_labels3D");

  cls.def(
      "put_labels3D",
      [](NodeService& node, const std::string& instance_name, const py::object& label_vol_zyx,
         const Point3& offset_zyx, bool throttle, bool compress,
         const std::optional<std::string>& roi, bool mutate, int scale, bool downres,
         bool noindexing, bool ingest_supervoxels, const py::object& progress,
         const std::optional<CancellationToken>& cancel, std::size_t max_in_flight,
         std::uint64_t chunk_bytes) {
        LabelWriteOptions label_options;
        label_options.scale = scale;
        label_options.downres = downres;
        label_options.noindexing = noindexing;
        label_options.ingest_supervoxels = ingest_supervoxels;
        const VolumeArgument<std::uint64_t> volume(label_vol_zyx, "label_vol_zyx");
        PythonTransfer(progress, cancel, max_in_flight, chunk_bytes)
            .run([&](const TransferOptions& options) {
              node.put_labels3D(instance_name, volume.voxels(), volume.shape_zyx(), offset_zyx,
                                throttle, compress, roi.value_or(""), mutate, options,
                                label_options);
            });
      },
      py::arg("instance_name"), py::arg("label_vol_zyx"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("compress") = true, py::arg("roi") = py::none(),
      py::arg("mutate") = false, py::kw_only(), py::arg("scale") = 0, py::arg("downres") = false,
      py::arg("noindexing") = false, py::arg("ingest_supervoxels") = false,
      py::arg("progress") = py::none(), py::arg("cancel") = py::none(),
      py::arg("max_in_flight") = 0, py::arg("chunk_bytes") = 0,
      volume_doc(
          "Writes label_vol_zyx (uint64, [z, y, x], C-contiguous) at offset_zyx; shape and offset "
          "must be block aligned. labelblk only: roi: skip blocks outside it; mutate: the labels "
          "overwrite earlier ones (synced labelvols drop the old bodies). labelarray and labelmap "
          "only (gzip'd blocks encoded here): scale: the level written; downres: DVID recomputes "
          "the lower levels from this write (before the call returns); noindexing: DVID skips "
          "the label indices; "
          "ingest_supervoxels: POST /ingest-supervoxels (labelmap), no indexing or downres.")
          .c_str());
  def_async(cls, "put_labels3D");

  cls.def(
      "get_label_by_location",
      [](NodeService& node, const std::string& instance_name, const Point3& point_zyx,
         bool supervoxels) {
        return without_gil(
            [&] { return node.get_label_by_location(instance_name, point_zyx, supervoxels); });
      },
      py::arg("instance_name"), py::arg("point_zyx"), py::arg("supervoxels") = false,
      "The label at the (z, y, x) point; 0 where nothing was written. supervoxels: the stored "
      "supervoxel id, not its body (labelmap).");
  def_async(cls, "get_label_by_location");
}

}  // namespace

void bind_node_volumes(NodeServiceClass& node_service) {
  bind_grayscale(node_service);
  bind_labels(node_service);
}

}  // namespace dvidxfer::python
