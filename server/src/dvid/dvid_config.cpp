#include "dvid/dvid_config.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "gocompat/go_json_errors.hpp"

namespace dvidxfer::server {
namespace {

// Go's %v of a value decoded into interface{}: maps print sorted as map[k:v], slices as [a b].
std::string go_value_string(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::STRING:
      return std::string(std::string_view(element.get_string()));
    case element_type::BOOL:
      return bool(element.get_bool()) ? "true" : "false";
    case element_type::NULL_VALUE:
      return "<nil>";
    case element_type::INT64:
      return go_float_string(static_cast<double>(int64_t(element.get_int64())));
    case element_type::UINT64:
      return go_float_string(static_cast<double>(uint64_t(element.get_uint64())));
    case element_type::DOUBLE:
      return go_float_string(double(element.get_double()));
    case element_type::ARRAY: {
      std::string out = "[";
      bool first = true;
      for (simdjson::dom::element item : element.get_array()) {
        if (!first) out += ' ';
        out += go_value_string(item);
        first = false;
      }
      return out + "]";
    }
    case element_type::OBJECT: {
      std::map<std::string, std::string> fields;
      for (simdjson::dom::key_value_pair field : element.get_object())
        fields[std::string(field.key)] = go_value_string(field.value);
      std::string out = "map[";
      bool first = true;
      for (const auto& [key, value] : fields) {
        if (!first) out += ' ';
        out += key + ":" + value;
        first = false;
      }
      return out + "]";
    }
  }
  return {};
}

}  // namespace

Result<DvidConfig, std::string> DvidConfig::parse(std::string_view body) {
  DvidConfig config;
  if (std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); }))
    return config;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    return fail(std::string(simdjson::error_message(error)));
  if (root.is_null()) return config;
  if (!root.is_object())
    return fail(go_unmarshal_error(root, "Go value of type map[string]interface {}"));
  for (simdjson::dom::key_value_pair field : root.get_object()) {
    Value value;
    if (field.value.is_string()) {
      value.kind = Kind::string;
    } else if (field.value.is_bool()) {
      value.kind = Kind::boolean;
    }
    value.text = go_value_string(field.value);
    config.values_[ascii_lower(field.key)] = std::move(value);
  }
  return config;
}

Result<std::optional<std::string>, std::string> DvidConfig::get_string(std::string_view key) const {
  auto it = values_.find(ascii_lower(key));
  if (it == values_.end()) return std::optional<std::string>{};
  if (it->second.kind != Kind::string)
    return fail("Setting for '" + std::string(key) + "' was not a string: " + it->second.text);
  return std::optional<std::string>{it->second.text};
}

Result<std::optional<long long>, std::string> DvidConfig::get_int(std::string_view key) const {
  auto text = get_string(key);
  if (!text) return fail(std::move(text).error());
  if (!text->has_value()) return std::optional<long long>{};
  const std::string& digits = **text;
  // strconv.Atoi: optional sign, then decimal digits only.
  std::size_t start = !digits.empty() && (digits[0] == '+' || digits[0] == '-') ? 1 : 0;
  const bool valid = digits.size() > start &&
                     std::all_of(digits.begin() + static_cast<std::ptrdiff_t>(start), digits.end(),
                                 [](unsigned char c) { return std::isdigit(c); });
  if (!valid) return fail("strconv.Atoi: parsing " + go_json_string(digits) + ": invalid syntax");
  errno = 0;
  const long long value = std::strtoll(digits.c_str(), nullptr, 10);
  if (errno == ERANGE)
    return fail("strconv.Atoi: parsing " + go_json_string(digits) + ": value out of range");
  return std::optional<long long>{value};
}

std::optional<bool> DvidConfig::get_json_bool(std::string_view key) const {
  auto it = values_.find(ascii_lower(key));
  if (it == values_.end() || it->second.kind != Kind::boolean) return std::nullopt;
  return it->second.text == "true";
}

std::string DvidConfig::go_string() const {
  std::string out = "{map[";
  bool first = true;
  for (const auto& [key, value] : values_) {
    if (!first) out += ' ';
    out += key + ":" + value.text;
    first = false;
  }
  return out + "]}";
}

}  // namespace dvidxfer::server
