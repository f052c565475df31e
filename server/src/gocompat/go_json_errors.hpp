// The "cannot unmarshal" errors of Go's encoding/json, which DVID passes on in its 400 texts.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace dvidxfer::server {

// How encoding/json names the kind of a JSON value.
inline std::string_view go_json_kind(simdjson::dom::element_type type) {
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

// "json: cannot unmarshal <kind> into <target>", target e.g. "Go value of type string".
inline std::string go_unmarshal_error(simdjson::dom::element value, std::string_view target) {
  return "json: cannot unmarshal " + std::string(go_json_kind(value.type())) + " into " +
         std::string(target);
}

}  // namespace dvidxfer::server
