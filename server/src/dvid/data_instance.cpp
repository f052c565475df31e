#include "dvid/data_instance.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "dvid/dvid_errors.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

// The level DVID gives jpeg compression: the first BlockSize dimension (default 32).
int jpeg_level(const DvidConfig& config) {
  auto block_size = config.get_string("BlockSize");
  if (!block_size) throw DvidError(block_size.error());
  if (!block_size->has_value()) return 32;
  const std::string first = (*block_size)->substr(0, (*block_size)->find(','));
  int level = 0;
  auto [end, error] = std::from_chars(first.data(), first.data() + first.size(), level);
  if (first.empty() || error != std::errc() || end != first.data() + first.size())
    throw DvidError("unable to parse first block dim (" + go_json_string(first) + ")");
  if (level <= 0) throw DvidError("Invalid blocksize dim for jpeg compression");
  return level;
}

// DVID's Compression.String() for a "Compression" setting.
std::string describe_compression(const std::string& setting, const DvidConfig& config) {
  const std::string format = ascii_lower(setting);
  if (format == "jpeg") return "jpeg compression, level " + std::to_string(jpeg_level(config));
  if (format == "none") return "No compression, level -1";
  if (format == "snappy") return "Go Snappy compression, level -1";
  if (format == "lz4") return "LZ4 compression, level -1";
  if (format == "gzip") return "gzip compression, level -1";
  if (format.starts_with("gzip:") && format.find(':', 5) == std::string::npos) {
    const std::string level_text = format.substr(5);
    int level = 0;
    auto [end, error] =
        std::from_chars(level_text.data(), level_text.data() + level_text.size(), level);
    if (error != std::errc() || end != level_text.data() + level_text.size() || level_text.empty())
      throw DvidError("unable to parse gzip compression level (" + go_json_string(level_text) +
                      ").  Should be 'gzip:<level>'");
    // DVID ignores NewCompression's error for a level outside 1-9 and keeps the zero value.
    if (level == 0) return "No compression, level -1";
    if (level != -1 && (level < 1 || level > 9)) return "No compression, level 0";
    return "gzip compression, level " + std::to_string(level);
  }
  throw DvidError("Illegal compression specified: " + setting);
}

}  // namespace

CommonSettings parse_common_settings(const DvidConfig& config,
                                     std::string_view default_compression) {
  CommonSettings settings;
  settings.compression = default_compression;
  if (auto compression = config.get_string("Compression"); !compression) {
    throw DvidError(compression.error());
  } else if (compression->has_value()) {
    settings.compression = describe_compression(**compression, config);
  }

  if (auto checksum = config.get_string("Checksum"); !checksum) {
    throw DvidError(checksum.error());
  } else if (checksum->has_value()) {
    const std::string name = ascii_lower(**checksum);
    if (name == "none") {
      settings.checksum = "No checksum";
    } else if (name == "crc32") {
      settings.checksum = "CRC32 checksum";
    } else {
      throw DvidError("Illegal checksum specified: " + **checksum);
    }
  }

  if (auto versioned = config.get_json_bool("Versioned")) {
    settings.versioned = *versioned;
  } else if (auto text = config.get_string("Versioned"); !text) {
    throw DvidError(text.error());
  } else if (text->has_value()) {
    const std::string value = ascii_lower(**text);
    if (value == "false" || value == "0") {
      settings.versioned = false;
    } else if (value == "true" || value == "1") {
      settings.versioned = true;
    } else {
      throw DvidError(
          "Illegal setting for 'versioned' (needs to be 'false', '0', 'true', or '1'): " + **text);
    }
  }

  if (auto tags = config.get_string("Tags"); !tags) {
    throw DvidError(tags.error());
  } else if (tags->has_value()) {
    // "k1=v1,k2=v2"; assignments without exactly one '=' or with an empty name are skipped.
    std::map<std::string, std::string> parsed;
    std::string_view rest = **tags;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view assignment = rest.substr(0, comma);
      const std::size_t equals = assignment.find('=');
      if (equals != std::string_view::npos && equals > 0 &&
          assignment.find('=', equals + 1) == std::string_view::npos)
        parsed[std::string(assignment.substr(0, equals))] = assignment.substr(equals + 1);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    settings.tags = std::move(parsed);
  }
  return settings;
}

DataInstance::DataInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings)
    : type_(type), identity_(std::move(identity)), settings_(std::move(settings)) {}

bool DataInstance::is_mutation_request(std::string_view method, std::string_view) const {
  return method == "POST" || method == "PUT" || method == "DELETE";
}

namespace {

void append_tags(std::string& out, const std::optional<std::map<std::string, std::string>>& tags) {
  if (!tags) {
    out += "null";
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [key, value] : *tags) {
    if (!first) out += ',';
    append_go_json_string(out, key);
    out += ':';
    append_go_json_string(out, value);
    first = false;
  }
  out += '}';
}

}  // namespace

std::string DataInstance::base_json() const {
  std::lock_guard lock(mutex_);
  std::string out = "{\"TypeName\":";
  append_go_json_string(out, type_.name());
  out += ",\"TypeURL\":";
  append_go_json_string(out, type_.url());
  out += ",\"TypeVersion\":";
  append_go_json_string(out, type_.version());
  out += ",\"DataUUID\":";
  append_go_json_string(out, identity_.data_uuid);
  out += ",\"Name\":";
  append_go_json_string(out, identity_.name);
  out += ",\"RepoUUID\":";
  append_go_json_string(out, identity_.repo_uuid);
  out += ",\"Compression\":";
  append_go_json_string(out, settings_.compression);
  out += ",\"Checksum\":";
  append_go_json_string(out, settings_.checksum);
  // Syncs are set with POST .../sync, which only the block and label types serve.
  out += ",\"Syncs\":[";
  for (std::size_t i = 0; i < syncs_.size(); ++i) {
    if (i) out += ',';
    append_go_json_string(out, syncs_[i]);
  }
  out += "],\"Versioned\":";
  out += settings_.versioned ? "true" : "false";
  out += ",\"KVStore\":\"in-memory\",\"LogStore\":\"no mutation log set\",\"Tags\":";
  append_tags(out, settings_.tags);
  out += '}';
  return out;
}

std::string DataInstance::info_json() const {
  return "{\"Base\":" + base_json() + ",\"Extended\":{}}";
}

std::string DataInstance::tags_json() const {
  std::lock_guard lock(mutex_);
  std::string out = "{\"Tags\":";
  append_tags(out, settings_.tags);
  return out + "}";
}

void DataInstance::set_tags(std::map<std::string, std::string> tags, bool replace) {
  std::lock_guard lock(mutex_);
  if (replace || !settings_.tags) {
    settings_.tags = std::move(tags);
    return;
  }
  for (auto& [key, value] : tags) (*settings_.tags)[key] = std::move(value);
}

void DataInstance::set_syncs(const std::vector<std::string>& names, bool replace) {
  std::lock_guard lock(mutex_);
  if (replace) syncs_.clear();
  for (const std::string& name : names)
    if (std::find(syncs_.begin(), syncs_.end(), name) == syncs_.end()) syncs_.push_back(name);
}

HttpResponse DataInstance::bad_api_call(const InstanceRequest& request) const {
  // DVID writes this one with http.Error directly: no path suffix.
  return http_error(400, "Bad API call (" + request.http.path + ") for data " +
                             go_json_string(name()) + ".  See API help at http://" +
                             request.http.header("host") + "/api/help/" +
                             std::string(type_.name()));
}

}  // namespace dvidxfer::server
