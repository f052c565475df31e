// dvidxfer's C++ errors as Python exceptions. DVIDException (libdvid's name) is the base of all;
// its `status` is the HTTP status DVID answered (0 when there was no answer or no HTTP status).
//   DVIDArgumentError(DVIDException, ValueError)  bad input, rejected before anything was sent
//   DVIDHttpError          DVID refused: status, method, url, body (the first bytes of its answer)
//   DVIDTransportError     no answer: kind ('connect', 'timeout', ...), method, url, attempts
//   DVIDDecodeError        an answer that could not be decoded: url
//   DVIDVolumeTransferError  a volume call that did not complete: status, cancelled,
//                          failed_chunks and unsent_chunks as ((z, y, x) offset, (z, y, x) shape)
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::python {

namespace {

struct ExceptionTypes {
  py::handle dvid;
  py::handle argument;
  py::handle http;
  py::handle transport;
  py::handle decode;
  py::handle volume_transfer;
};

// The types live as long as the interpreter: the module holds them, and these handles borrow the
// references PyErr_NewExceptionWithDoc returned (never released).
ExceptionTypes exception_types;

py::handle new_exception_type(py::module_& module, const char* name, py::handle bases,
                              const char* doc) {
  const std::string qualified_name = std::string("dvidxfer.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified_name.c_str(), doc, bases.ptr(), nullptr);
  if (type == nullptr) throw py::error_already_set();
  module.add_object(name, py::handle(type));
  return type;
}

using Attributes = std::vector<std::pair<const char*, py::object>>;

void raise(py::handle type, const char* message, const Attributes& attributes) {
  py::object error = type(message);
  for (const auto& [name, value] : attributes) error.attr(name) = value;
  PyErr_SetObject(type.ptr(), error.ptr());
}

py::list boxes(const std::vector<VoxelBox>& chunks) {
  py::list list;
  for (const auto& chunk : chunks) {
    list.append(py::make_tuple(
        py::make_tuple(chunk.offset_zyx[0], chunk.offset_zyx[1], chunk.offset_zyx[2]),
        py::make_tuple(chunk.shape_zyx[0], chunk.shape_zyx[1], chunk.shape_zyx[2])));
  }
  return list;
}

void translate(std::exception_ptr thrown) {
  const auto& types = exception_types;
  try {
    if (thrown) std::rethrow_exception(thrown);
  } catch (const HttpError& e) {
    raise(types.http, e.what(),
          {{"status", py::int_(e.status())},
           {"method", py::str(e.method())},
           {"url", py::str(e.url())},
           {"body", py::bytes(e.body_excerpt())}});
  } catch (const TransportError& e) {
    raise(types.transport, e.what(),
          {{"kind", py::str(to_string(e.kind()))},
           {"method", py::str(e.method())},
           {"url", py::str(e.url())},
           {"attempts", py::int_(e.attempts())}});
  } catch (const DecodeError& e) {
    raise(types.decode, e.what(), {{"url", py::str(e.url())}});
  } catch (const VolumeTransferError& e) {
    raise(types.volume_transfer, e.what(),
          {{"status", py::int_(e.status())},
           {"cancelled", py::bool_(e.cancelled())},
           {"failed_chunks", boxes(e.failed_chunks())},
           {"unsent_chunks", boxes(e.unsent_chunks())}});
  } catch (const ArgumentError& e) {
    raise(types.argument, e.what(), {});
  } catch (const Error& e) {
    raise(types.dvid, e.what(), {});
  }
}

}  // namespace

void bind_errors(py::module_& module) {
  auto& types = exception_types;
  types.dvid = new_exception_type(
      module, "DVIDException", PyExc_Exception,
      "Base of every dvidxfer error. `status` is DVID's HTTP status, 0 when there was none.");
  py::setattr(types.dvid, "status", py::int_(0));
  types.argument = new_exception_type(
      module, "DVIDArgumentError", py::make_tuple(types.dvid, py::handle(PyExc_ValueError)),
      "Bad input (shape, offset, address, key...) rejected before anything was sent.");
  types.http = new_exception_type(
      module, "DVIDHttpError", types.dvid,
      "DVID refused the request: `status`, `method`, `url`, and `body`, the first bytes of its "
      "answer (DVID's reason).");
  types.transport = new_exception_type(
      module, "DVIDTransportError", types.dvid,
      "DVID could not be reached or the connection failed beyond the retry policy: `kind` "
      "('connect', 'timeout', 'connection', 'protocol', 'cancelled', 'admission', 'tls'), "
      "`method`, "
      "`url`, `attempts`.");
  types.decode = new_exception_type(module, "DVIDDecodeError", types.dvid,
                                    "DVID answered, but the answer could not be decoded: `url`.");
  types.volume_transfer = new_exception_type(
      module, "DVIDVolumeTransferError", types.dvid,
      "A volume call did not complete: `status` of the first failed chunk, `cancelled`, and "
      "`failed_chunks` / `unsent_chunks` as ((z, y, x) offset, (z, y, x) shape) pairs: exactly the "
      "parts of a PUT that did not land.");
  py::register_exception_translator(translate);
}

}  // namespace dvidxfer::python
