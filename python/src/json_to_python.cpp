#include "json_to_python.hpp"

namespace dvidxfer::python {

py::object json_to_python(const JsonDocument& document) {
  return py::module_::import("json").attr("loads")(py::bytes(document.text()));
}

}  // namespace dvidxfer::python
