// One volume call made from Python: its TransferOptions built from the call's keywords (progress,
// cancel, max_in_flight, chunk_bytes), and the call itself run without the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "dvidxfer/volume.hpp"

namespace dvidxfer::python {

namespace py = pybind11;

class ProgressRelay;

class PythonTransfer {
 public:
  // `progress`: None or a callable taking a TransferProgress, called with the GIL held from the
  // client's threads. `cancel`: the caller's token, or None. Zero limits take the defaults.
  PythonTransfer(const py::object& progress, std::optional<CancellationToken> cancel,
                 std::size_t max_in_flight, std::uint64_t chunk_bytes);

  // Runs `call(options)` with the GIL released. When the progress callback raised, the call was
  // cancelled at that point and the callback's exception is raised in place of the call's outcome.
  template <class Call>
  void run(Call&& call) {
    try {
      py::gil_scoped_release release;
      call(static_cast<const TransferOptions&>(options_));
    } catch (...) {
      raise_progress_error();
      throw;
    }
    raise_progress_error();
  }

 private:
  void raise_progress_error() const;

  std::shared_ptr<ProgressRelay> relay_;
  TransferOptions options_;
};

}  // namespace dvidxfer::python
