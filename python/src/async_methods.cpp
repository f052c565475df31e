#include "async_methods.hpp"

namespace dvidxfer::python {

namespace {
// Calls in flight through `_async` at once; more wait in the executor's queue.
constexpr int async_workers = 32;
}  // namespace

void create_async_executor(py::module_& module) {
  using namespace pybind11::literals;
  module.attr("_executor") = py::module_::import("concurrent.futures")
                                 .attr("ThreadPoolExecutor")("max_workers"_a = async_workers,
                                                             "thread_name_prefix"_a = "dvidxfer");
}

py::object submit_async(const py::object& call, const py::args& args, const py::kwargs& kwargs) {
  const auto executor = py::module_::import("dvidxfer").attr("_executor");
  return executor.attr("submit")(call, *args, **kwargs);
}

}  // namespace dvidxfer::python
