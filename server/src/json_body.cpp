#include "json_body.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

namespace dvidxfer::server {
namespace {

std::string_view go_kind(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  switch (type) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "bool";
    default:
      return "number";
  }
}

std::string mismatch(simdjson::dom::element value, std::string_view target) {
  return "json: cannot unmarshal " + std::string(go_kind(value.type())) +
         " into Go value of type " + std::string(target);
}

}  // namespace

Result<JsonFields, std::string> parse_json_body(std::string_view body, const JsonBodyRules& rules) {
  JsonFields fields;
  if (std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); })) {
    if (rules.blank_is_empty) return fields;
    return fail(std::string("unexpected end of JSON input"));
  }
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    return fail(std::string(simdjson::error_message(error)));
  if (root.is_null()) return fields;
  if (!root.is_object()) return fail(mismatch(root, rules.struct_target ? "struct" : "map"));
  for (simdjson::dom::key_value_pair member : root.get_object()) {
    std::string name(member.key);
    if (rules.struct_target)
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    simdjson::dom::element value = member.value;
    switch (rules.kind_of(name)) {
      case JsonFieldKind::ignored:
        break;
      case JsonFieldKind::string:
        if (value.is_null()) break;
        if (!value.is_string()) return fail(mismatch(value, "string"));
        fields.strings[name] = std::string_view(value.get_string());
        break;
      case JsonFieldKind::string_list: {
        if (value.is_null()) {
          fields.lists[name];
          break;
        }
        if (!value.is_array()) return fail(mismatch(value, "[]string"));
        std::vector<std::string>& list = fields.lists[name];
        for (simdjson::dom::element item : value.get_array()) {
          if (!item.is_string() && !item.is_null()) return fail(mismatch(item, "string"));
          list.emplace_back(item.is_string() ? std::string_view(item.get_string()) : "");
        }
        break;
      }
    }
  }
  return fields;
}

}  // namespace dvidxfer::server
