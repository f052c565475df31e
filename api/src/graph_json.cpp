#include "graph_json.hpp"

#include <fmt/format.h>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/json_document.hpp"

namespace dvidxfer::api {

std::string encode_graph(std::span<const Vertex> vertices, std::span<const Edge> edges) {
  std::string json = "{\"Vertices\":[";
  for (std::size_t i = 0; i < vertices.size(); ++i)
    json += fmt::format("{}{{\"Id\":{},\"Weight\":{}}}", i ? "," : "", vertices[i].id,
                        vertices[i].weight);
  json += "],\"Edges\":[";
  for (std::size_t i = 0; i < edges.size(); ++i)
    json += fmt::format("{}{{\"Id1\":{},\"Id2\":{},\"Weight\":{}}}", i ? "," : "", edges[i].id1,
                        edges[i].id2, edges[i].weight);
  json += "]}";
  return json;
}

namespace {

// A JSON number as double (DVID writes weights as floats or integers).
double number(simdjson::dom::element element) {
  double value = 0;
  if (!element.get_double().get(value)) return value;
  std::int64_t integer = 0;
  if (!element.get_int64().get(integer)) return static_cast<double>(integer);
  std::uint64_t unsigned_integer = 0;
  if (!element.get_uint64().get(unsigned_integer)) return static_cast<double>(unsigned_integer);
  return 0;
}

std::uint64_t id(simdjson::dom::element element, const char* field, const std::string& url) {
  std::uint64_t value = 0;
  if (element[field].get_uint64().get(value))
    throw DecodeError(fmt::format("a graph element from {} has no integer \"{}\"", url, field),
                      url);
  return value;
}

}  // namespace

Graph decode_graph(std::string_view json, const std::string& url) {
  const auto document = JsonDocument::parse(std::string(json), url);
  Graph graph;
  simdjson::dom::array vertices, edges;
  // DVID writes null for an empty list.
  if (!document.root()["Vertices"].get_array().get(vertices))
    for (auto vertex : vertices) {
      simdjson::dom::element weight;
      graph.vertices.push_back(
          {id(vertex, "Id", url), vertex["Weight"].get(weight) ? 0.0 : number(weight)});
    }
  if (!document.root()["Edges"].get_array().get(edges))
    for (auto edge : edges) {
      simdjson::dom::element weight;
      graph.edges.push_back({id(edge, "Id1", url), id(edge, "Id2", url),
                             edge["Weight"].get(weight) ? 0.0 : number(weight)});
    }
  return graph;
}

}  // namespace dvidxfer::api
