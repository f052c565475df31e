// DVIDNodeService's ROI calls. Blocks and points are (z, y, x) tuples; substacks are
// (size, z, y, x) tuples; get_roi3D's mask is a uint8 numpy array indexed [z, y, x].
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "numpy_volume.hpp"
#include "python_transfer.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

namespace {

py::list zyx_tuples(const std::vector<BlockZYX>& blocks) {
  py::list list;
  for (const auto& block : blocks) list.append(py::make_tuple(block[0], block[1], block[2]));
  return list;
}

}  // namespace

void bind_node_roi(NodeServiceClass& cls) {
  cls.def(
      "post_roi",
      [](NodeService& node, const std::string& roi_name, const std::vector<BlockZYX>& blocks_zyx) {
        without_gil([&] { node.post_roi(roi_name, blocks_zyx); });
      },
      py::arg("roi_name"), py::arg("blocks_zyx"),
      "Loads the ROI from a list of (z, y, x) block coordinates, in any order.");
  def_async(cls, "post_roi");

  cls.def(
      "get_roi",
      [](NodeService& node, const std::string& roi) {
        return zyx_tuples(without_gil([&] { return node.get_roi(roi); }));
      },
      py::arg("roi"), "The ROI's blocks as (z, y, x) tuples, sorted by z, then y, then x.");
  def_async(cls, "get_roi");

  cls.def(
      "get_roi_partition",
      [](NodeService& node, const std::string& roi, int partition_size) {
        const auto partition =
            without_gil([&] { return node.get_roi_partition(roi, partition_size); });
        py::list substacks;
        for (const auto& substack : partition.substacks)
          substacks.append(py::make_tuple(substack.size, substack.z, substack.y, substack.x));
        return py::make_tuple(substacks, partition.packing_factor);
      },
      py::arg("roi"), py::arg("partition_size"),
      "(substacks, packing_factor): the (size, z, y, x) substacks of partition_size blocks a "
      "side covering the ROI, sorted by z, y, x, and the fraction of their blocks in the ROI.");
  def_async(cls, "get_roi_partition");

  cls.def(
      "roi_ptquery",
      [](NodeService& node, const std::string& roi, const std::vector<PointZYX>& point_list_zyx) {
        return without_gil([&] { return node.roi_ptquery(roi, point_list_zyx); });
      },
      py::arg("roi"), py::arg("point_list_zyx"),
      "For each (z, y, x) point, in order, whether it lies in the ROI (a list of bool).");
  def_async(cls, "roi_ptquery");

  cls.def(
      "get_roi3D",
      [](NodeService& node, const std::string& instance_name, const Shape3& dims_zyx,
         const Point3& offset_zyx, bool throttle, bool compress, const py::object& progress,
         const std::optional<CancellationToken>& cancel, std::size_t max_in_flight,
         std::uint64_t chunk_bytes) {
        Grayscale3D mask;
        PythonTransfer(progress, cancel, max_in_flight, chunk_bytes)
            .run([&](const TransferOptions& options) {
              mask =
                  node.get_roi3D(instance_name, dims_zyx, offset_zyx, throttle, compress, options);
            });
        return adopt_volume(std::move(mask));
      },
      py::arg("instance_name"), py::arg("dims_zyx"), py::arg("offset_zyx"),
      py::arg("throttle") = true, py::arg("compress") = false, py::kw_only(),
      py::arg("progress") = py::none(), py::arg("cancel") = py::none(),
      py::arg("max_in_flight") = 0, py::arg("chunk_bytes") = 0,
      "The ROI as a mask of the box: a uint8 numpy array indexed [z, y, x], 1 inside the ROI, "
      "0 outside. progress, cancel, max_in_flight, chunk_bytes: as get_gray3D.");
  def_async(cls, "get_roi3D");
}

}  // namespace dvidxfer::python
