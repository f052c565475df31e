// Request bodies that DVID decodes with encoding/json into string and []string fields (node
// notes and logs, commit, newversion, branch, tag, sync), with Go's acceptance rules.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::server {

enum class JsonFieldKind { string, string_list, ignored };

struct JsonFields {
  std::map<std::string, std::string> strings;
  std::map<std::string, std::vector<std::string>> lists;

  bool has(const std::string& name) const { return strings.contains(name) || lists.contains(name); }
  std::string string(const std::string& name) const {
    auto it = strings.find(name);
    return it == strings.end() ? std::string() : it->second;
  }
  std::vector<std::string> list(const std::string& name) const {
    auto it = lists.find(name);
    return it == lists.end() ? std::vector<std::string>() : it->second;
  }
};

struct JsonBodyRules {
  // What each member must be; members are looked up lower-cased when `struct_target` (Go
  // matches struct fields case-insensitively), by their exact name otherwise (Go maps).
  std::function<JsonFieldKind(std::string_view name)> kind_of;
  bool struct_target = true;
  // json.Decoder treats an empty body as EOF, which DVID ignores; json.Unmarshal rejects it.
  bool blank_is_empty = true;
};

// The error is Go's text, which DVID prefixes with "Malformed JSON request in body: ".
Result<JsonFields, std::string> parse_json_body(std::string_view body, const JsonBodyRules& rules);

}  // namespace dvidxfer::server
