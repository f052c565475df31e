#include "python_transfer.hpp"

#include <exception>
#include <utility>

namespace dvidxfer::python {

// Hands the client's progress reports to a Python callable. Copies of the call's TransferOptions
// may outlive it on the client's threads, so the callable is only touched with the GIL held, and
// the first exception it raises is kept (and the call cancelled) instead of escaping into them.
class ProgressRelay {
 public:
  ProgressRelay(py::object callback, CancellationToken cancel)
      : callback_(std::move(callback)), cancel_(std::move(cancel)) {}

  ~ProgressRelay() {
    py::gil_scoped_acquire acquire;
    callback_ = py::object();
  }

  ProgressRelay(const ProgressRelay&) = delete;
  ProgressRelay& operator=(const ProgressRelay&) = delete;

  void report(const TransferProgress& progress) {
    py::gil_scoped_acquire acquire;
    if (error_) return;
    try {
      callback_(progress);
    } catch (...) {
      error_ = std::current_exception();
      cancel_.cancel();
    }
  }

  // The callback's exception, if it raised; read with the GIL held.
  std::exception_ptr error() const { return error_; }

 private:
  py::object callback_;
  CancellationToken cancel_;
  std::exception_ptr error_;  // guarded by the GIL
};

PythonTransfer::PythonTransfer(const py::object& progress, std::optional<CancellationToken> cancel,
                               std::size_t max_in_flight, std::uint64_t chunk_bytes) {
  if (cancel) options_.cancel = *cancel;
  options_.max_in_flight = max_in_flight;
  options_.chunk_bytes = chunk_bytes;
  if (progress.is_none()) return;
  if (!PyCallable_Check(progress.ptr()))
    throw py::type_error("progress must be a callable taking a dvidxfer.TransferProgress, or None");
  relay_ = std::make_shared<ProgressRelay>(progress, options_.cancel);
  options_.progress = [relay = relay_](const TransferProgress& report) { relay->report(report); };
}

void PythonTransfer::raise_progress_error() const {
  if (relay_ && relay_->error()) std::rethrow_exception(relay_->error());
}

}  // namespace dvidxfer::python
