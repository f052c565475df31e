// A bytes-like argument (bytes, str as UTF-8, bytearray, memoryview, any C-contiguous buffer, or
// None for no bytes) read in place, as libdvid's Python API took values and payloads.
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string_view>

namespace dvidxfer::python {

namespace py = pybind11;

class BytesArgument {
 public:
  // TypeError naming `argument` for anything else. Construct and destroy with the GIL held; the
  // view stays valid in between, with or without the GIL.
  BytesArgument(const py::handle& value, const char* argument);
  ~BytesArgument();
  BytesArgument(const BytesArgument&) = delete;
  BytesArgument& operator=(const BytesArgument&) = delete;

  std::string_view view() const { return view_; }

 private:
  std::optional<Py_buffer> buffer_;  // held for buffer objects, released on destruction
  std::string_view view_;
};

}  // namespace dvidxfer::python
