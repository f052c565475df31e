// DVID's JSON answers as Python values (dicts, lists, str, int, float, bool, None).
#pragma once

#include <pybind11/pybind11.h>

#include "dvidxfer/json_document.hpp"

namespace dvidxfer::python {

namespace py = pybind11;

// json.loads of the document's text, as received.
py::object json_to_python(const JsonDocument& document);

}  // namespace dvidxfer::python
