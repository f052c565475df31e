// The label graph decoder (subgraph and vertex neighbors: {"Vertices":[{"Id","Weight"}],
// "Edges":[{"Id1","Id2","Weight"}]}): a clean DecodeError or a graph whose encoding
// (api::encode_graph, what update_vertices/update_edges send) decodes to the same graph.
#include "graph_json.hpp"
#include "json_input.hpp"

using namespace dvidxfer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto graph =
      fuzz::decode_or_error([&] { return api::decode_graph(json, fuzz::kAnswerUrl); });
  if (!graph) return 0;
  const std::string encoded = api::encode_graph(graph->vertices, graph->edges);
  const auto again =
      fuzz::decode_or_error([&] { return api::decode_graph(encoded, fuzz::kAnswerUrl); });
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->vertices == graph->vertices);
  FUZZ_CHECK(again->edges == graph->edges);
  return 0;
}
