// Label graphs: Vertex, Edge and Graph, and DVIDNodeService's labelgraph calls.
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

namespace {

void bind_graph_types(py::module_& module) {
  py::class_<Vertex>(module, "Vertex",
                     "A vertex: its unique id and its weight (typically the body's size in "
                     "voxels).")
      .def(py::init([](std::uint64_t id, double weight) {
             return Vertex{id, weight};
           }),
           py::arg("id_"), py::arg("weight"))
      .def_readwrite("id", &Vertex::id)
      .def_readwrite("weight", &Vertex::weight)
      .def(py::self == py::self)
      .def("__hash__",
           [](const Vertex& vertex) {
             return std::hash<std::uint64_t>{}(vertex.id) ^
                    (std::hash<double>{}(vertex.weight) << 1);
           })
      .def("__repr__", [](const Vertex& vertex) {
        return py::str("Vertex({}, {})").format(vertex.id, vertex.weight);
      });

  py::class_<Edge>(module, "Edge",
                   "An undirected edge between two vertex ids, with a weight. Edge(a, b, w) equals "
                   "Edge(b, a, w).")
      .def(py::init([](std::uint64_t id1, std::uint64_t id2, double weight) {
             return Edge{id1, id2, weight};
           }),
           py::arg("id1"), py::arg("id2"), py::arg("weight"))
      .def_readwrite("id1", &Edge::id1)
      .def_readwrite("id2", &Edge::id2)
      .def_readwrite("weight", &Edge::weight)
      .def(py::self == py::self)
      .def("__hash__", [](const Edge& edge) { return std::hash<Edge>{}(edge); })
      .def("__repr__", [](const Edge& edge) {
        return py::str("Edge({}, {}, {})").format(edge.id1, edge.id2, edge.weight);
      });

  py::class_<Graph>(module, "Graph", "Vertices and the edges between them.")
      .def_readonly("vertices", &Graph::vertices)
      .def_readonly("edges", &Graph::edges);
}

}  // namespace

void bind_node_graph(py::module_& module, NodeServiceClass& cls) {
  bind_graph_types(module);

  cls.def(
      "create_graph",
      [](NodeService& node, const std::string& name) {
        return without_gil([&] { return node.create_graph(name); });
      },
      py::arg("name"), "Creates a labelgraph instance. True if created, False if it exists.");
  def_async(cls, "create_graph");

  cls.def(
      "update_vertices",
      [](NodeService& node, const std::string& graph_name, const std::vector<Vertex>& vertices) {
        without_gil([&] { node.update_vertices(graph_name, vertices); });
      },
      py::arg("graph_name"), py::arg("vertices"),
      "Adds the vertices (a list of Vertex), or adds their weights to existing ones.");
  def_async(cls, "update_vertices");

  // The seed names update_edges' list of edges `vertices`.
  cls.def(
      "update_edges",
      [](NodeService& node, const std::string& graph_name, const std::vector<Edge>& vertices) {
        without_gil([&] { node.update_edges(graph_name, vertices); });
      },
      py::arg("graph_name"), py::arg("vertices"),
      "Adds the edges (a list of Edge), or adds their weights to existing ones. Their vertices "
      "must exist (update_vertices first).");
  def_async(cls, "update_edges");

  cls.def(
      "get_subgraph",
      [](NodeService& node, const std::string& graph_name, const std::vector<Vertex>& vertices) {
        return without_gil([&] { return node.get_subgraph(graph_name, vertices); });
      },
      py::arg("graph_name"), py::arg("vertices") = std::vector<Vertex>{},
      "The whole graph, or with vertices, those vertices and the edges that touch them.");
  def_async(cls, "get_subgraph");

  cls.def(
      "get_vertex_neighbors",
      [](NodeService& node, const std::string& graph_name, std::uint64_t vertex_id) {
        return without_gil([&] { return node.get_vertex_neighbors(graph_name, vertex_id); });
      },
      py::arg("graph_name"), py::arg("vertex_id"),
      "The vertex, its neighbours and the edges between them, as a Graph.");
  def_async(cls, "get_vertex_neighbors");
}

}  // namespace dvidxfer::python
