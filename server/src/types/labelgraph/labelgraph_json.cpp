#include "types/labelgraph/labelgraph_json.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "dvid/dvid_errors.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_json_errors.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kInvalid = "JSON did not pass validation";

std::uint64_t json_uint64(simdjson::dom::element value, std::string_view field) {
  std::uint64_t number = 0;
  if (value.get_uint64().get(number)) {
    std::string shown = value.is_number() ? std::string(simdjson::minify(value)) : "";
    throw DvidError("json: cannot unmarshal " + std::string(go_json_kind(value.type())) +
                    (shown.empty() ? "" : " " + shown) + " into Go struct field " +
                    std::string(field) + " of type dvid.VertexID");
  }
  return number;
}

double json_float64(simdjson::dom::element value, std::string_view field) {
  double number = 0;
  if (value.get_double().get(number))
    throw DvidError(
        go_unmarshal_error(value, "Go struct field " + std::string(field) + " of type float64"));
  return number;
}

// The members of each item of a list, matched case-insensitively as Go matches struct fields.
template <typename Item, typename Decode>
std::vector<Item> decode_list(simdjson::dom::element value, std::string_view list_field,
                              std::string_view item_type, const Decode& decode) {
  std::vector<Item> items;
  if (value.is_null()) return items;
  simdjson::dom::array list;
  if (value.get_array().get(list))
    throw DvidError(go_unmarshal_error(value, "Go struct field LabelGraph." +
                                                  std::string(list_field) + " of type []" +
                                                  std::string(item_type)));
  for (simdjson::dom::element element : list) {
    Item item;
    if (!element.is_null()) {
      simdjson::dom::object object;
      if (element.get_object().get(object))
        throw DvidError(go_unmarshal_error(element, "Go value of type " + std::string(item_type)));
      for (auto member : object) decode(item, ascii_lower(member.key), member.value);
    }
    items.push_back(item);
  }
  return items;
}

// DVID's schema for one list: an array whose items are objects holding the required numeric
// members (and numeric optional ones), all distinct.
bool valid_list(simdjson::dom::element value, std::initializer_list<std::string_view> required,
                std::initializer_list<std::string_view> optional_numbers) {
  simdjson::dom::array list;
  if (value.get_array().get(list)) return false;
  std::set<std::string> seen;
  for (simdjson::dom::element item : list) {
    simdjson::dom::object object;
    if (item.get_object().get(object)) return false;
    for (std::string_view name : required) {
      simdjson::dom::element member;
      if (object.at_key(name).get(member) || !member.is_number()) return false;
    }
    for (std::string_view name : optional_numbers) {
      simdjson::dom::element member;
      if (!object.at_key(name).get(member) && !member.is_number()) return false;
    }
    if (!seen.insert(std::string(simdjson::minify(item))).second) return false;
  }
  return true;
}

bool passes_schema(simdjson::dom::object root) {
  simdjson::dom::element vertices, edges, transactions;
  if (root.at_key("Vertices").get(vertices) || root.at_key("Edges").get(edges)) return false;
  if (!valid_list(vertices, {"Id"}, {"Weight"})) return false;
  if (!valid_list(edges, {"Id1", "Id2"}, {"Weight"})) return false;
  if (!root.at_key("Transactions").get(transactions) && !transactions.is_null() &&
      !valid_list(transactions, {"Id", "Trans"}, {}))
    return false;
  return true;
}

}  // namespace

LabelGraph parse_label_graph(std::string_view body, bool validate) {
  LabelGraph graph;
  if (body.empty()) return graph;
  if (std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); }))
    throw DvidError("unexpected end of JSON input");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    throw DvidError(std::string(simdjson::error_message(error)));
  if (root.is_null()) {
    if (validate) throw DvidError(std::string(kInvalid));
    return graph;
  }
  simdjson::dom::object object;
  if (root.get_object().get(object))
    throw DvidError(go_unmarshal_error(root, "Go value of type labelgraph.LabelGraph"));
  for (auto member : object) {
    const std::string name = ascii_lower(member.key);
    if (name == "transactions") {
      graph.transactions = decode_list<GraphTransaction>(
          member.value, "Transactions", "labelgraph.transactionItem",
          [](GraphTransaction& item, const std::string& field, simdjson::dom::element value) {
            if (field == "id") item.id = json_uint64(value, "transactionItem.Transactions.Id");
            if (field == "trans")
              item.trans = json_uint64(value, "transactionItem.Transactions.Trans");
          });
    } else if (name == "vertices") {
      graph.vertices = decode_list<GraphVertex>(
          member.value, "Vertices", "labelgraph.labelVertex",
          [](GraphVertex& item, const std::string& field, simdjson::dom::element value) {
            if (field == "id") item.id = json_uint64(value, "labelVertex.Vertices.Id");
            if (field == "weight") item.weight = json_float64(value, "labelVertex.Vertices.Weight");
          });
    } else if (name == "edges") {
      graph.edges = decode_list<GraphEdge>(
          member.value, "Edges", "labelgraph.labelEdge",
          [](GraphEdge& item, const std::string& field, simdjson::dom::element value) {
            if (field == "id1") item.id1 = json_uint64(value, "labelEdge.Edges.Id1");
            if (field == "id2") item.id2 = json_uint64(value, "labelEdge.Edges.Id2");
            if (field == "weight") item.weight = json_float64(value, "labelEdge.Edges.Weight");
          });
    }
  }
  if (validate && !passes_schema(object)) throw DvidError(std::string(kInvalid));
  return graph;
}

std::string go_json_float64(double value) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  const bool exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21);
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
                              exponent ? std::chars_format::scientific : std::chars_format::fixed);
  std::string text(buffer, result.ptr);
  // Go shortens a two-digit negative exponent: 1e-07 -> 1e-7.
  if (const std::size_t e = text.find("e-0"); e != std::string::npos) text.erase(e + 2, 1);
  return text;
}

std::string label_graph_json(const std::vector<GraphVertex>& vertices,
                             const std::vector<GraphEdge>& edges, LabelGraphJson nulls) {
  std::string out = nulls.transactions_null ? R"({"Transactions":null,"Vertices":[)"
                                            : R"({"Transactions":[],"Vertices":[)";
  for (std::size_t i = 0; i < vertices.size(); ++i)
    out += fmt::format(R"({}{{"Id":{},"Weight":{}}})", i ? "," : "", vertices[i].id,
                       go_json_float64(vertices[i].weight));
  out += "],\"Edges\":";
  if (nulls.edges_null && edges.empty()) return out + "null}";
  out += '[';
  for (std::size_t i = 0; i < edges.size(); ++i)
    out += fmt::format(R"({}{{"Id1":{},"Id2":{},"Weight":{}}})", i ? "," : "", edges[i].id1,
                       edges[i].id2, go_json_float64(edges[i].weight));
  return out + "]}";
}

}  // namespace dvidxfer::server
