#include "config_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "client_arguments.hpp"

namespace dvidxfer::cli {

namespace {

// How a key's JSON value is written; each becomes the text its --option would take.
enum class Kind { on_off, flag, count, count_or_auto, bytes, zyx, word };

const std::vector<std::pair<std::string, Kind>>& schema() {
  static const std::vector<std::pair<std::string, Kind>> keys = [] {
    std::vector<std::pair<std::string, Kind>> table = {{"throttle", Kind::on_off},
                                                       {"compress", Kind::on_off},
                                                       {"mutate", Kind::flag},
                                                       {"baseline", Kind::flag},
                                                       {"concurrency", Kind::count_or_auto},
                                                       {"chunk-bytes", Kind::bytes},
                                                       {"op", Kind::word},
                                                       {"type", Kind::word},
                                                       {"shape", Kind::zyx},
                                                       {"offset", Kind::zyx},
                                                       {"repetitions", Kind::count},
                                                       {"latency-ms", Kind::count},
                                                       {"bandwidth", Kind::bytes},
                                                       {"keys", Kind::count},
                                                       {"value-bytes", Kind::bytes},
                                                       {"volume-shape", Kind::zyx},
                                                       {"bench-repetitions", Kind::count},
                                                       {"scale", Kind::count},
                                                       {"supervoxels", Kind::flag},
                                                       {"wire", Kind::word},
                                                       {"downres", Kind::flag},
                                                       {"noindexing", Kind::flag},
                                                       {"ingest", Kind::flag},
                                                       {"volume", Kind::word},
                                                       {"fixtures", Kind::word}};
    for (const auto& name : client_option_names())
      table.emplace_back(name, name == "max-response-bytes"               ? Kind::bytes
                               : name == "token" || name == "tls-ca-file" ? Kind::word
                                                                          : Kind::count);
    return table;
  }();
  return keys;
}

std::string json_type_name(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return "an integer";
    case simdjson::dom::element_type::DOUBLE:
      return "a fractional number";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "something else";
}

// Refuses a key's value: "FILE: key 'k' expects E, got T".
[[noreturn]] void refuse(const std::string& file, const std::string& key,
                         const std::string& expected, const std::string& got) {
  throw UsageError(fmt::format("{}: key '{}' expects {}, got {}", file, key, expected, got));
}

// Reads one key's value as the text its --option would take.
class ValueReader {
 public:
  ValueReader(const std::string& file, const std::string& key) : file_(file), key_(key) {}

  bool boolean(simdjson::dom::element value) const {
    bool on = false;
    if (value.get_bool().get(on)) refuse(file_, key_, "true or false", type_of(value));
    return on;
  }

  std::string on_off(simdjson::dom::element value) const { return boolean(value) ? "on" : "off"; }

  // A flag: "true", or std::nullopt when the file turns it off.
  std::optional<std::string> flag(simdjson::dom::element value) const {
    if (!boolean(value)) return std::nullopt;
    return "true";
  }

  // An integer; a string too when `string_too` names what the string may be.
  std::string integer(simdjson::dom::element value, const char* string_too = nullptr) const {
    std::string_view text;
    if (string_too && !value.get_string().get(text)) return std::string(text);
    std::int64_t number = 0;
    if (!value.get_int64().get(number)) return std::to_string(number);
    std::uint64_t too_large = 0;
    if (!value.get_uint64().get(too_large))
      throw UsageError(fmt::format("{}: key '{}' is out of range: {}", file_, key_, too_large));
    refuse(file_, key_, string_too ? fmt::format("an integer or {}", string_too) : "an integer",
           type_of(value));
  }

  std::string word(simdjson::dom::element value) const {
    std::string_view text;
    if (value.get_string().get(text)) refuse(file_, key_, "a string", type_of(value));
    return std::string(text);
  }

  std::string zyx(simdjson::dom::element value) const {
    const char* expected = "an array of three integers [z, y, x]";
    simdjson::dom::array axes;
    if (value.get_array().get(axes)) refuse(file_, key_, expected, type_of(value));
    if (axes.size() != 3) refuse(file_, key_, expected, fmt::format("{} elements", axes.size()));
    std::vector<std::string> texts;
    for (const auto axis : axes) {
      if (!axis.is_int64() && !axis.is_uint64())
        refuse(file_, key_, expected, "an array holding " + type_of(axis));
      texts.push_back(integer(axis));
    }
    return fmt::format("{},{},{}", texts[0], texts[1], texts[2]);
  }

  std::optional<std::string> read(Kind kind, simdjson::dom::element value) const {
    switch (kind) {
      case Kind::on_off:
        return on_off(value);
      case Kind::flag:
        return flag(value);
      case Kind::count:
        return integer(value);
      case Kind::count_or_auto:
        return integer(value, "\"auto\"");
      case Kind::bytes:
        return integer(value, "a string such as \"64Mi\"");
      case Kind::zyx:
        return zyx(value);
      case Kind::word:
        return word(value);
    }
    return std::nullopt;
  }

 private:
  static std::string type_of(simdjson::dom::element value) { return json_type_name(value.type()); }

  const std::string& file_;
  const std::string& key_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("--config '{}': {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UsageError(fmt::format("--config '{}': cannot read it", path));
  return text.str();
}

}  // namespace

const std::vector<std::string>& config_file_keys() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, kind] : schema()) out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

void apply_config_file(Arguments& args) {
  const auto path = args.text("config");
  if (!path) return;
  const std::string text = read_file(*path);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(text).get(root))
    throw UsageError(fmt::format("{}: not valid JSON: {}", *path, simdjson::error_message(error)));
  simdjson::dom::object fields;
  if (root.get_object().get(fields))
    throw UsageError(fmt::format("{}: expects a JSON object of option names and values, got {}",
                                 *path, json_type_name(root.type())));
  std::set<std::string> seen;
  for (const auto field : fields) {
    const std::string key(field.key);
    const auto known = std::find_if(schema().begin(), schema().end(),
                                    [&](const auto& entry) { return entry.first == key; });
    if (known == schema().end())
      throw UsageError(fmt::format("{}: unknown key '{}' (known keys: {})", *path, key,
                                   fmt::join(config_file_keys(), ", ")));
    if (!seen.insert(key).second)
      throw UsageError(fmt::format("{}: key '{}' appears more than once", *path, key));
    args.set_default(key, ValueReader(*path, key).read(known->second, field.value), *path);
  }
}

}  // namespace dvidxfer::cli
