// Running client code without the GIL, so that other Python threads run meanwhile and calls from
// several threads transfer in parallel.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <utility>

namespace dvidxfer::python {

namespace py = pybind11;

// `call()` with the GIL released; it must not touch Python objects.
template <class Call>
auto without_gil(Call&& call) {
  py::gil_scoped_release release;
  return std::forward<Call>(call)();
}

// Constructs a T (constructors connect to a server) with the GIL released, owned by a shared_ptr
// whose deleter releases the GIL too: destructors join the client's threads, which may be waiting
// for the GIL to report progress. Hold it as the pybind11 class's holder, so the deleter runs
// from Python's deallocation with the GIL held.
template <class T, class... Args>
std::shared_ptr<T> make_shared_without_gil(Args&&... args) {
  T* object = without_gil([&] { return new T(std::forward<Args>(args)...); });
  return std::shared_ptr<T>(object, [](T* doomed) {
    py::gil_scoped_release release;
    delete doomed;
  });
}

}  // namespace dvidxfer::python
