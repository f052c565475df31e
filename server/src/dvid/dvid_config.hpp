// DVID's dvid.Config: the JSON object of instance-creation and settings requests, with keys
// compared case-insensitively and values that must be JSON strings (dvid/command.go).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::server {

class DvidConfig {
 public:
  // Parses a request body. An empty or blank body is an empty config (Go's decoder reports EOF,
  // which DVID ignores). The error is the text DVID puts after "Malformed JSON request in body: ".
  static Result<DvidConfig, std::string> parse(std::string_view body);

  // The string value of `key`, nullopt when absent; a non-string value fails with DVID's
  // "Setting for 'key' was not a string: <value>".
  Result<std::optional<std::string>, std::string> get_string(std::string_view key) const;
  // The string value parsed as Go's strconv.Atoi does, with its error texts.
  Result<std::optional<long long>, std::string> get_int(std::string_view key) const;
  // The value when it is a JSON true/false (only `versioned` accepts one).
  std::optional<bool> get_json_bool(std::string_view key) const;

  // Go's %v of the config, as DVID writes it in the repo log: "{map[k1:v1 k2:v2]}".
  std::string go_string() const;

 private:
  enum class Kind { string, boolean, other };
  struct Value {
    Kind kind = Kind::other;
    std::string text;  // the string, or Go's %v of the value
  };
  std::map<std::string, Value> values_;  // lower-cased keys, sorted as Go prints maps
};

}  // namespace dvidxfer::server
