// The `dvidxfer` Python module: libdvid-cpp's Python API (DVIDNodeService, DVIDServerService,
// ConnectionMethod, Slice2D, Vertex, Edge, DVIDException) over dvidxfer's parallel client, plus
// `_async` forms, progress callbacks, ClientOptions and an embedded DVID-compatible server.
#include <pybind11/pybind11.h>

#include "async_methods.hpp"
#include "bindings.hpp"

PYBIND11_MODULE(dvidxfer, module) {
  namespace python = dvidxfer::python;
  module.doc() =
      "Fast DVID client with libdvid-cpp's Python API. Volumes are numpy arrays in (z, y, x) "
      "order; every network call releases the GIL; every call has an `_async` form returning a "
      "concurrent.futures.Future.";
  python::bind_errors(module);
  python::bind_client_options(module);
  python::bind_transfer_types(module);
  auto node_service = python::bind_node_service(module);
  python::bind_node_volumes(node_service);
  python::bind_node_labelmap(node_service);
  python::bind_node_roi(node_service);
  python::bind_node_tiles(module, node_service);
  python::bind_node_graph(module, node_service);
  python::bind_server_service(module);
  python::bind_embedded_server(module);
  python::create_async_executor(module);
}
