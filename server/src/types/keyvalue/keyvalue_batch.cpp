#include "types/keyvalue/keyvalue_batch.hpp"

#include <simdjson.h>

#include <fmt/format.h>
#include <algorithm>
#include <cctype>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/codecs/keyvalue_protobuf.hpp"
#include "dvidxfer/codecs/tar_writer.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "gocompat/go_json_errors.hpp"
#include "types/keyvalue/byte_range.hpp"

namespace dvidxfer::server {
namespace {

enum class OutputFormat { protobuf, json, tar };

// The output a request asks for; DVID refuses json together with tar.
Result<OutputFormat, std::string> output_format(const HttpRequest& http) {
  const bool tar = http.query_value("jsontar") == "true" || http.query_value("tar") == "true";
  const bool json = http.query_value("json") == "true";
  if (tar && json) return fail(std::string("can only specify tar or json output, not both"));
  if (tar) return OutputFormat::tar;
  if (json) return OutputFormat::json;
  return OutputFormat::protobuf;
}

// Go's json.Valid.
class JsonValidator {
 public:
  bool valid(std::string_view text) {
    const simdjson::padded_string padded(text);
    simdjson::dom::element ignored;
    return parser_.parse(padded).get(ignored) == simdjson::SUCCESS;
  }

 private:
  simdjson::dom::parser parser_;
};

// DVID writes JSON object keys verbatim, without escaping.
void append_json_member(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  out += value.empty() ? std::string_view("{}") : value;
}

// One key a batch read asks for, and once checked, what it found.
struct KeyRead {
  std::string key;
  std::optional<ByteRange> range;
  bool cached = false;  // `value` was read while validating the ranges
  StoredValue value;    // null: missing
};

// A JSON body as DVID reads it: an array of key strings, or of {"key","byte_start","byte_end"}.
Result<std::vector<KeyRead>, std::string> reads_from_json(std::string_view body) {
  if (std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); }))
    return fail(std::string("unexpected end of JSON input"));
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    return fail(std::string(simdjson::error_message(error)));
  std::vector<KeyRead> reads;
  if (root.is_null()) return reads;
  if (!root.is_array())
    return fail(go_unmarshal_error(root, "Go value of type []keyvalue.jsonKeyReadRequest"));
  simdjson::dom::array items = root.get_array();
  const bool all_strings = std::all_of(items.begin(), items.end(), [](simdjson::dom::element e) {
    return e.is_string() || e.is_null();
  });
  for (simdjson::dom::element item : items) {
    KeyRead read;
    if (all_strings) {
      if (item.is_string()) read.key = std::string_view(item.get_string());
      reads.push_back(std::move(read));
      continue;
    }
    if (item.is_null()) {
      reads.push_back(std::move(read));
      continue;
    }
    if (!item.is_object())
      return fail(go_unmarshal_error(item, "Go value of type keyvalue.jsonKeyReadRequest"));
    std::optional<std::uint64_t> start, end;
    for (simdjson::dom::key_value_pair field : item.get_object()) {
      const std::string name = ascii_lower(field.key);
      if (name == "key") {
        if (!field.value.is_string())
          return fail(go_unmarshal_error(field.value,
                                         "Go struct field jsonKeyReadRequest.key of type string"));
        read.key = std::string_view(field.value.get_string());
      } else if (name == "byte_start" || name == "byte_end") {
        if (field.value.is_null()) continue;
        if (!field.value.is_uint64())
          return fail(go_unmarshal_error(
              field.value, "Go struct field jsonKeyReadRequest." + name + " of type uint64"));
        (name == "byte_start" ? start : end) = uint64_t(field.value.get_uint64());
      }
    }
    if (start || end) {
      if (!start || !end)
        return fail(fmt::format("range read for key {} requires both byte_start and byte_end",
                                go_json_string(read.key)));
      auto range = make_byte_range(read.key, *start, *end);
      if (!range) return fail(std::move(range).error());
      read.range = *range;
    }
    reads.push_back(std::move(read));
  }
  return reads;
}

Result<std::vector<KeyRead>, std::string> reads_from_protobuf(std::string_view body) {
  auto keys = codecs::decode_keys(body);
  if (!keys) return fail(keys.error().message);
  std::vector<KeyRead> reads;
  for (std::string& key : keys->keys) reads.push_back({std::move(key), std::nullopt, false, {}});
  // A KeyRange is always a range, even 0-0 (one byte), as in DVID.
  for (codecs::KeyByteRange& ranged : keys->key_ranges) {
    auto range = make_byte_range(ranged.key, ranged.byte_start, ranged.byte_end);
    if (!range) return fail(std::move(range).error());
    reads.push_back({std::move(ranged.key), *range, false, {}});
  }
  return reads;
}

class BatchReader {
 public:
  BatchReader(const InstanceRequest& request, const DataInstance& instance)
      : request_(request), instance_(instance) {}

  // The value a read returns (sliced to its range), null when the key is missing.
  Result<StoredValue, std::string> value(KeyRead& read) {
    if (read.cached) return read.value;
    StoredValue stored = request_.store.get(instance_.id(), request_.ancestry, read.key);
    if (!stored || !read.range) return stored;
    auto slice = slice_value(read.key, *stored, *read.range);
    if (!slice) return fail(std::move(slice).error());
    return StoredValue(std::make_shared<const std::string>(*slice));
  }

  // Reads every ranged value up front so range errors are reported before any output.
  Result<Unit, std::string> validate_ranges(std::vector<KeyRead>& reads, bool require_json) {
    for (KeyRead& read : reads) {
      if (!read.range) continue;
      auto found = value(read);
      if (!found) return fail(std::move(found).error());
      if (require_json && *found && !(*found)->empty() && !validator_.valid(**found))
        return fail(fmt::format("bad JSON for key {} after byte range", go_json_string(read.key)));
      read.value = std::move(*found);
      read.cached = true;
    }
    return Unit{};
  }

  JsonValidator& validator() { return validator_; }

 private:
  const InstanceRequest& request_;
  const DataInstance& instance_;
  JsonValidator validator_;
};

std::string key_values_error(const DataInstance& instance, std::size_t key_count,
                             std::string_view error) {
  return fmt::format("GET /keyvalues on {} keys, data {}: {}", key_count,
                     go_json_string(instance.name()), error);
}

// DVID streams JSON and tar: an error after the first byte keeps the 200 and is appended.
HttpResponse failed_stream(HttpResponse response, const HttpRequest& http, std::string_view error) {
  response.body += bad_request(http, error).body;
  return response;
}

}  // namespace

HttpResponse key_range_values(const InstanceRequest& request, const DataInstance& instance) {
  const HttpRequest& http = request.http;
  auto format = output_format(http);
  if (!format) return bad_request(http, format.error());
  const std::vector<KeyValueEntry> entries =
      request.store.scan(instance.id(), request.ancestry, request.parts[4], request.parts[5]);

  HttpResponse response;
  switch (*format) {
    case OutputFormat::tar:
      response.content_type = "application/tar";
      for (const KeyValueEntry& entry : entries)
        codecs::append_tar_file(response.body, entry.key, *entry.value);
      codecs::finish_tar(response.body);
      return response;
    case OutputFormat::json: {
      response.content_type = "application/json";
      const bool check = http.query_value("check") == "true";
      JsonValidator validator;
      response.body.push_back('{');
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i) response.body += ',';
        // DVID stops at an invalid value and still closes the object, reporting nothing.
        if (check && !entries[i].value->empty() && !validator.valid(*entries[i].value)) break;
        append_json_member(response.body, entries[i].key, *entries[i].value);
      }
      response.body += '}';
      return response;
    }
    case OutputFormat::protobuf: {
      std::vector<codecs::KeyValuePair> pairs;
      pairs.reserve(entries.size());
      for (const KeyValueEntry& entry : entries) pairs.push_back({entry.key, *entry.value});
      return HttpResponse::octets(codecs::encode_key_values(pairs));
    }
  }
  return response;
}

HttpResponse read_key_values(const InstanceRequest& request, const DataInstance& instance) {
  const HttpRequest& http = request.http;
  const auto refuse = [&](std::size_t key_count, std::string_view error) {
    return bad_request(http, key_values_error(instance, key_count, error));
  };
  auto format = output_format(http);
  if (!format) return refuse(0, format.error());
  auto parsed = *format == OutputFormat::protobuf ? reads_from_protobuf(http.body)
                                                  : reads_from_json(http.body);
  if (!parsed) return refuse(0, parsed.error());
  std::vector<KeyRead>& reads = *parsed;
  BatchReader reader(request, instance);

  if (*format == OutputFormat::protobuf) {
    std::vector<codecs::KeyValuePair> pairs;
    pairs.reserve(reads.size());
    for (KeyRead& read : reads) {
      auto value = reader.value(read);
      if (!value) return refuse(reads.size(), value.error());
      pairs.push_back({read.key, *value ? std::string(**value) : std::string()});
    }
    return HttpResponse::octets(codecs::encode_key_values(pairs));
  }

  if (auto valid = reader.validate_ranges(reads, *format == OutputFormat::json); !valid)
    return refuse(0, valid.error());
  HttpResponse response;
  if (*format == OutputFormat::tar) {
    response.content_type = "application/tar";
    for (KeyRead& read : reads) {
      auto value = reader.value(read);
      if (!value)
        return failed_stream(std::move(response), http,
                             key_values_error(instance, reads.size(), value.error()));
      codecs::append_tar_file(response.body, read.key, *value ? std::string_view(**value) : "");
    }
    codecs::finish_tar(response.body);
    return response;
  }

  response.content_type = "application/json";
  const bool check = http.query_value("check") == "true";
  response.body.push_back('{');
  for (std::size_t i = 0; i < reads.size(); ++i) {
    KeyRead& read = reads[i];
    if (i) response.body += ',';
    auto value = reader.value(read);
    std::string_view text = value && *value ? std::string_view(**value) : std::string_view();
    std::string error = value ? std::string() : value.error();
    if (error.empty() && !text.empty() && (check || read.range) && !reader.validator().valid(text))
      error = fmt::format("bad JSON for key {}", go_json_string(read.key));
    if (!error.empty())
      return failed_stream(std::move(response), http,
                           key_values_error(instance, reads.size(), error));
    append_json_member(response.body, read.key, text);
  }
  response.body += '}';
  return response;
}

HttpResponse write_key_values(const InstanceRequest& request, const DataInstance& instance) {
  auto pairs = codecs::decode_key_values(request.http.body);
  if (!pairs) return bad_request(request.http, pairs.error().message);
  for (codecs::KeyValuePair& pair : *pairs)
    request.store.put(instance.id(), request.version, pair.key,
                      std::make_shared<const std::string>(std::move(pair.value)));
  return HttpResponse{};
}

}  // namespace dvidxfer::server
