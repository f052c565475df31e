#include "numpy_volume.hpp"

#include <memory>
#include <string>
#include <utility>

#include "dvidxfer/errors.hpp"

namespace dvidxfer::python {

namespace {

template <class Voxel>
std::string dtype_name() {
  return py::str(py::dtype::of<Voxel>());
}

template <class Voxel>
std::string expected_layout(const char* argument) {
  return std::string(argument) + " must be a numpy.ndarray of dtype " + dtype_name<Voxel>() +
         " with shape (z, y, x) in C order (C-contiguous)";
}

}  // namespace

template <class Voxel>
Volume<Voxel> new_volume(const Shape3& shape_zyx) {
  for (const auto size : shape_zyx)
    if (size < 0)
      throw ArgumentError("shape_zyx sizes must not be negative, got (" +
                          std::to_string(shape_zyx[0]) + ", " + std::to_string(shape_zyx[1]) +
                          ", " + std::to_string(shape_zyx[2]) + ")");
  return Volume<Voxel>(shape_zyx);
}

template <class Voxel>
py::array_t<Voxel, py::array::c_style> adopt_volume(Volume<Voxel>&& volume) {
  auto owned = std::make_unique<Volume<Voxel>>(std::move(volume));
  const py::capsule owner(owned.get(),
                          [](void* doomed) { delete static_cast<Volume<Voxel>*>(doomed); });
  const auto* voxels = owned.release();  // the capsule owns it now
  const auto& shape = voxels->shape();
  return py::array_t<Voxel, py::array::c_style>({shape[0], shape[1], shape[2]}, voxels->data(),
                                                owner);
}

py::array_t<std::uint8_t, py::array::c_style> adopt_image(GrayImage&& image) {
  auto owned = std::make_unique<GrayImage>(std::move(image));
  const py::capsule owner(owned.get(),
                          [](void* doomed) { delete static_cast<GrayImage*>(doomed); });
  const auto* pixels = owned.release();  // the capsule owns it now
  return py::array_t<std::uint8_t, py::array::c_style>({pixels->height, pixels->width},
                                                       pixels->pixels.data(), owner);
}

template <class Voxel>
VolumeArgument<Voxel>::VolumeArgument(const py::handle& volume, const char* argument) {
  if (!py::isinstance<py::array>(volume))
    throw py::type_error(expected_layout<Voxel>(argument) + "; got " +
                         std::string(py::str(py::type::handle_of(volume).attr("__name__"))));
  array_ = py::reinterpret_borrow<py::array>(volume);
  if (!py::isinstance<py::array_t<Voxel>>(array_))
    throw py::type_error(
        expected_layout<Voxel>(argument) + "; got dtype " + std::string(py::str(array_.dtype())) +
        " (convert explicitly, e.g. volume.astype(numpy." + dtype_name<Voxel>() + "))");
  if (array_.ndim() != 3)
    throw py::value_error(expected_layout<Voxel>(argument) + "; got " +
                          std::to_string(array_.ndim()) + " dimensions");
  if (!(array_.flags() & py::array::c_style))
    throw py::value_error(
        expected_layout<Voxel>(argument) + "; got a non-contiguous array (a view with strides " +
        std::string(py::str(array_.attr("strides"))) + "): pass numpy.ascontiguousarray(volume)");
  shape_zyx_ = {array_.shape(0), array_.shape(1), array_.shape(2)};
  voxels_ = {static_cast<const Voxel*>(array_.data()), static_cast<std::size_t>(array_.size())};
}

template Volume<std::uint8_t> new_volume<std::uint8_t>(const Shape3&);
template Volume<std::uint64_t> new_volume<std::uint64_t>(const Shape3&);
template py::array_t<std::uint8_t, py::array::c_style> adopt_volume<std::uint8_t>(
    Volume<std::uint8_t>&&);
template py::array_t<std::uint64_t, py::array::c_style> adopt_volume<std::uint64_t>(
    Volume<std::uint64_t>&&);
template class VolumeArgument<std::uint8_t>;
template class VolumeArgument<std::uint64_t>;

}  // namespace dvidxfer::python
