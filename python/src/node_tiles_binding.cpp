// DVIDNodeService's tile calls on imagetile instances, and Slice2D. tile_numbers is the seed's
// (x, y, z): x and y in tiles of that scale, z the full-resolution slice; scaling 0 is full
// resolution.
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "numpy_volume.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

void bind_node_tiles(py::module_& module, NodeServiceClass& cls) {
  py::enum_<Slice2D>(module, "Slice2D", "Tile planes, as libdvid's Slice2D.")
      .value("XY", Slice2D::XY)
      .value("XZ", Slice2D::XZ)
      .value("YZ", Slice2D::YZ);

  cls.def(
      "get_tile_slice",
      [](NodeService& node, const std::string& instance_name, Slice2D slice_type, unsigned scaling,
         const std::vector<std::int64_t>& tile_numbers) {
        return adopt_image(without_gil(
            [&] { return node.get_tile_slice(instance_name, slice_type, scaling, tile_numbers); }));
      },
      py::arg("instance_name"), py::arg("slice_type"), py::arg("scaling"), py::arg("tile_numbers"),
      "The tile decoded to a 2-D uint8 numpy array indexed [row, column].");
  def_async(cls, "get_tile_slice");

  cls.def(
      "get_tile_slice_binary",
      [](NodeService& node, const std::string& instance_name, Slice2D slice_type, unsigned scaling,
         const std::vector<std::int64_t>& tile_numbers) {
        return py::bytes(without_gil([&] {
          return node.get_tile_slice_binary(instance_name, slice_type, scaling, tile_numbers);
        }));
      },
      py::arg("instance_name"), py::arg("slice_type"), py::arg("scaling"), py::arg("tile_numbers"),
      "The stored tile as DVID holds it (PNG or JPEG bytes).");
  def_async(cls, "get_tile_slice_binary");
}

}  // namespace dvidxfer::python
