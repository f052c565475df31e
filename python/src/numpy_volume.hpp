// Volumes as numpy arrays: (z, y, x), C order, of exactly the voxel type DVID stores. Arrays the
// module returns own memory allocated as the C++ API's volumes are (a Volume, handed to numpy
// without a copy) and filled in place by the client: numpy's own allocator advises transparent
// huge pages for large arrays, which made first-touch page faults 2-5x slower here (THP defrag
// "madvise"), more than the whole transfer. Arrays it is given are read in place, never converted
// or copied (a wrong dtype, shape or layout raises instead).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>

#include "dvidxfer/tiles.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::python {

namespace py = pybind11;

// A new uninitialized volume of `shape_zyx` for a call to fill; DVIDArgumentError for a
// negative size.
template <class Voxel>
Volume<Voxel> new_volume(const Shape3& shape_zyx);

// A numpy array over the voxels of `volume`, which it takes over: no copy.
template <class Voxel>
py::array_t<Voxel, py::array::c_style> adopt_volume(Volume<Voxel>&& volume);

// A 2-D (height, width) uint8 array over the pixels of `image`, which it takes over: no copy.
py::array_t<std::uint8_t, py::array::c_style> adopt_image(GrayImage&& image);

// A 3-D array given to a call, checked and read in place.
template <class Voxel>
class VolumeArgument {
 public:
  // TypeError unless `volume` is a numpy.ndarray of dtype Voxel; ValueError unless it has three
  // dimensions and is C-contiguous. `argument` names it in the message.
  VolumeArgument(const py::handle& volume, const char* argument);

  std::span<const Voxel> voxels() const { return voxels_; }
  const Shape3& shape_zyx() const { return shape_zyx_; }

 private:
  py::array array_;
  std::span<const Voxel> voxels_;
  Shape3 shape_zyx_{};
};

}  // namespace dvidxfer::python
