#include "dvid/json_body.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "gocompat/ascii_case.hpp"
#include "gocompat/go_json_errors.hpp"

namespace dvidxfer::server {

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
  if (!root.is_object())
    return fail(go_unmarshal_error(
        root, rules.struct_target ? "Go value of type struct" : "Go value of type map"));
  for (simdjson::dom::key_value_pair member : root.get_object()) {
    std::string name(member.key);
    if (rules.struct_target) name = ascii_lower(name);
    simdjson::dom::element value = member.value;
    switch (rules.kind_of(name)) {
      case JsonFieldKind::ignored:
        break;
      case JsonFieldKind::string:
        if (value.is_null()) break;
        if (!value.is_string()) return fail(go_unmarshal_error(value, "Go value of type string"));
        fields.strings[name] = std::string_view(value.get_string());
        break;
      case JsonFieldKind::string_list: {
        if (value.is_null()) {
          fields.lists[name];
          break;
        }
        if (!value.is_array()) return fail(go_unmarshal_error(value, "Go value of type []string"));
        std::vector<std::string>& list = fields.lists[name];
        for (simdjson::dom::element item : value.get_array()) {
          if (!item.is_string() && !item.is_null())
            return fail(go_unmarshal_error(item, "Go value of type string"));
          list.emplace_back(item.is_string() ? std::string_view(item.get_string()) : "");
        }
        break;
      }
    }
  }
  return fields;
}

}  // namespace dvidxfer::server
