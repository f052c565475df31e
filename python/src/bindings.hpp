// The pieces of the `dvidxfer` Python module, each adding its classes and functions to it.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "dvidxfer/node_service.hpp"

namespace dvidxfer::python {

namespace py = pybind11;

using NodeServiceClass = py::class_<NodeService, std::shared_ptr<NodeService>>;

// DVIDException and its subclasses, and the translation of dvidxfer's C++ errors into them.
void bind_errors(py::module_& module);
// ClientOptions: limits and timeouts, taken by the constructors' `options=` keyword.
void bind_client_options(py::module_& module);
// TransferProgress (what a progress callback receives) and CancellationToken.
void bind_transfer_types(py::module_& module);
// DVIDNodeService: construction, key-value, instance creation and the general calls.
NodeServiceClass bind_node_service(py::module_& module);
// DVIDNodeService's grayscale and label volume calls.
void bind_node_volumes(NodeServiceClass& node_service);
// DVIDNodeService's labelarray/labelmap calls (blocks, scales, specific blocks, many points).
void bind_node_labelmap(NodeServiceClass& node_service);
// DVIDNodeService's ROI calls.
void bind_node_roi(NodeServiceClass& node_service);
// Slice2D and DVIDNodeService's tile calls.
void bind_node_tiles(py::module_& module, NodeServiceClass& node_service);
// Vertex, Edge, Graph and DVIDNodeService's label-graph calls.
void bind_node_graph(py::module_& module, NodeServiceClass& node_service);
// DVIDServerService.
void bind_server_service(py::module_& module);
// EmbeddedServer: an in-process DVID-compatible server for testing pipelines.
void bind_embedded_server(py::module_& module);

}  // namespace dvidxfer::python
