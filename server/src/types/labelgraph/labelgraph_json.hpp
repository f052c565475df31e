// The JSON a labelgraph exchanges (datatype/labelgraph LabelGraph): transactions, vertices and
// edges, decoded as Go's encoding/json does and checked against DVID's JSON schema.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dvidxfer::server {

struct GraphVertex {
  std::uint64_t id = 0;
  double weight = 0;
};

struct GraphEdge {
  std::uint64_t id1 = 0;
  std::uint64_t id2 = 0;
  double weight = 0;
};

struct GraphTransaction {
  std::uint64_t id = 0;
  std::uint64_t trans = 0;
};

struct LabelGraph {
  std::vector<GraphTransaction> transactions;
  std::vector<GraphVertex> vertices;
  std::vector<GraphEdge> edges;
};

// DVID's ExtractGraph: an empty body is an empty graph; otherwise the body is decoded (Go's
// errors) and, when `validate`, must pass DVID's schema: "Vertices" and "Edges" present as arrays
// of unique items with their ids, else "JSON did not pass validation". Throws DvidError.
LabelGraph parse_label_graph(std::string_view body, bool validate);

// encoding/json's float64: shortest digits, exponent form outside [1e-6, 1e21).
std::string go_json_float64(double value);

// {"Transactions":...,"Vertices":[...],"Edges":[...]}; null lists are written as null, as Go
// writes nil slices.
struct LabelGraphJson {
  bool transactions_null = false;
  bool edges_null = false;
};
std::string label_graph_json(const std::vector<GraphVertex>& vertices,
                             const std::vector<GraphEdge>& edges, LabelGraphJson nulls);

}  // namespace dvidxfer::server
