// What volume calls take beyond the seed's arguments: the progress a `progress=` callback receives
// and the token `cancel=` takes.
#include "bindings.hpp"
#include "dvidxfer/common/transfer_progress.hpp"

namespace dvidxfer::python {

void bind_transfer_types(py::module_& module) {
  py::class_<TransferProgress>(
      module, "TransferProgress",
      "Where a volume call stands, as its `progress` callback sees it. Chunks are the parallel "
      "requests the volume was split into; bytes are uncompressed voxel bytes.")
      .def_readonly("chunks_planned", &TransferProgress::chunks_planned)
      .def_readonly("chunks_sent", &TransferProgress::chunks_sent)
      .def_readonly("chunks_acknowledged", &TransferProgress::chunks_acknowledged)
      .def_readonly("bytes_planned", &TransferProgress::bytes_planned)
      .def_readonly("bytes_sent", &TransferProgress::bytes_sent)
      .def_readonly("bytes_acknowledged", &TransferProgress::bytes_acknowledged)
      .def("__repr__", [](const TransferProgress& progress) {
        return py::str(
                   "TransferProgress(chunks {}/{}/{} planned/sent/acknowledged, "
                   "bytes {}/{}/{})")
            .format(progress.chunks_planned, progress.chunks_sent, progress.chunks_acknowledged,
                    progress.bytes_planned, progress.bytes_sent, progress.bytes_acknowledged);
      });

  py::class_<CancellationToken>(
      module, "CancellationToken",
      "Pass as `cancel=` to volume calls; cancel() from any thread stops them (they raise "
      "DVIDVolumeTransferError with cancelled=True).")
      .def(py::init<>())
      .def("cancel", &CancellationToken::cancel)
      .def_property_readonly("cancelled", &CancellationToken::cancelled);
}

}  // namespace dvidxfer::python
