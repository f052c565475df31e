#include "bytes_argument.hpp"

#include <string>

namespace dvidxfer::python {

BytesArgument::BytesArgument(const py::handle& value, const char* argument) {
  if (value.is_none()) return;
  if (PyUnicode_Check(value.ptr())) {
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
    if (text == nullptr) throw py::error_already_set();
    view_ = {text, static_cast<std::size_t>(size)};
    return;
  }
  Py_buffer buffer;
  if (PyObject_GetBuffer(value.ptr(), &buffer, PyBUF_C_CONTIGUOUS) != 0) {
    PyErr_Clear();
    throw py::type_error(std::string(argument) +
                         " must be bytes, str, None or a C-contiguous buffer; got " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))));
  }
  buffer_ = buffer;
  view_ = {static_cast<const char*>(buffer.buf), static_cast<std::size_t>(buffer.len)};
}

BytesArgument::~BytesArgument() {
  if (buffer_) PyBuffer_Release(&*buffer_);
}

}  // namespace dvidxfer::python
