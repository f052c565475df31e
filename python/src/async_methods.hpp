// The `_async` forms: the blocking call (which releases the GIL) run on a thread pool owned by the
// module, `dvidxfer._executor`, returning its concurrent.futures.Future.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace dvidxfer::python {

namespace py = pybind11;

// Creates dvidxfer._executor, the ThreadPoolExecutor every `_async` call runs on. Its threads
// only wait on the network (the GIL is released), so it is sized for many calls in flight.
void create_async_executor(py::module_& module);

// Submits `call(*args, **kwargs)` to dvidxfer._executor; returns the Future.
py::object submit_async(const py::object& call, const py::args& args, const py::kwargs& kwargs);

// Adds `<name>_async` to `cls`: the method `name` with the same arguments and keywords, run on
// dvidxfer._executor. Call it after `name` is defined.
template <class Class>
void def_async(Class& cls, const std::string& name) {
  const std::string doc = name + "_async(*args, **kwargs) -> concurrent.futures.Future\n\n" +
                          "Runs " + name +
                          " with the same arguments on dvidxfer's thread pool; the Future's "
                          "result() is its result or raises its exception.";
  cls.def((name + "_async").c_str(),
          [name](const py::object& self, const py::args& args, const py::kwargs& kwargs) {
            return submit_async(self.attr(name.c_str()), args, kwargs);
          },
          doc.c_str());
}

}  // namespace dvidxfer::python
