#include "types/keyvalue/keyvalue_handlers.hpp"

#include <fmt/format.h>

#include "dvid/dvid_errors.hpp"
#include "dvid/json_body.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "types/keyvalue/byte_range.hpp"
#include "types/keyvalue/keyvalue_batch.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for 'keyvalue' datatype (github.com/janelia-flyem/dvid/datatype/keyvalue)\n"
    "served by the dvidxfer embedded server: info, tags, keys, keyrange, keyrangevalues,\n"
    "keyvalues (GET with a protobuf or JSON body, POST with a protobuf body) and\n"
    "key/{key} (GET with byte_start/byte_end or Range, HEAD, POST, DELETE).\n";

std::string json_key_list(const std::vector<KeyValueEntry>& entries) {
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ',';
    append_go_json_string(out, entries[i].key);
  }
  return out + "]";
}

class KeyValueInstance final : public DataInstance {
 public:
  using DataInstance::DataInstance;

  HttpResponse serve(InstanceRequest& request) override {
    const HttpRequest& http = request.http;
    const std::string& keyword = request.keyword();
    if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
    if (keyword == "info") return HttpResponse::json(info_json());
    if (keyword == "tags") return tags(request);
    if (keyword == "keys")
      return HttpResponse::json(
          json_key_list(request.store.scan(id(), request.ancestry, "", std::nullopt)));
    if (keyword == "keyrange" || keyword == "keyrangevalues") {
      if (request.parts.size() < 6)
        return bad_request(http,
                           "expect beginning and end keys to follow '" + keyword + "' endpoint");
      if (keyword == "keyrangevalues") return key_range_values(request, *this);
      return HttpResponse::json(json_key_list(
          request.store.scan(id(), request.ancestry, request.parts[4], request.parts[5])));
    }
    if (keyword == "keyvalues") {
      if (http.method == "GET") return read_key_values(request, *this);
      if (http.method == "POST") return write_key_values(request, *this);
      return unsupported_verb(http);
    }
    if (keyword == "key") {
      if (request.parts.size() < 5)
        return bad_request(http, "expect key string to follow 'key' endpoint");
      return key(request, request.parts[4]);
    }
    return bad_api_call(request);
  }

 private:
  static HttpResponse unsupported_verb(const HttpRequest& http) {
    return bad_request(http, "key endpoint does not support " +
                                 go_json_string(ascii_lower(http.method)) + " HTTP verb");
  }

  HttpResponse tags(const InstanceRequest& request) {
    const HttpRequest& http = request.http;
    if (http.method != "POST") return HttpResponse::json(tags_json());
    const JsonBodyRules rules{[](std::string_view) { return JsonFieldKind::string; }, false, true};
    auto fields = parse_json_body(http.body, rules);
    if (!fields)
      return bad_request(http, "Malformed JSON request in tags setter: " + fields.error());
    set_tags(std::move(fields->strings), http.query_value("replace") == "true");
    return HttpResponse{};
  }

  HttpResponse key(const InstanceRequest& request, const std::string& key) {
    const HttpRequest& http = request.http;
    if (http.method == "HEAD") {
      HttpResponse response;
      if (request.store.get(id(), request.ancestry, key)) {
        response.headers.emplace_back("Accept-Ranges", "bytes");
      } else {
        response.status = 404;
      }
      return response;
    }
    if (http.method == "GET") return get_key(request, key);
    if (http.method == "DELETE") {
      request.store.erase(id(), request.version, key);
      return HttpResponse{};
    }
    if (http.method == "POST") {
      request.store.put(id(), request.version, key, std::make_shared<const std::string>(http.body));
      return HttpResponse{};
    }
    return unsupported_verb(http);
  }

  HttpResponse get_key(const InstanceRequest& request, const std::string& key) {
    const HttpRequest& http = request.http;
    const StoredValue value = request.store.get(id(), request.ancestry, key);
    if (!value) return http_error(404, "Key " + go_json_string(key) + " not found");
    auto query_range = byte_range_from_query(http, key);
    if (!query_range) return bad_request(http, query_range.error());
    std::optional<ByteRange> range = *query_range;
    const std::string range_header = http.header("range");
    if (!range_header.empty() && range)
      return bad_request(http,
                         "cannot combine Range header with byte_start/byte_end query parameters");
    bool partial = false;
    if (!range_header.empty()) {
      RangeRequest asked = parse_range_header(range_header, value->size());
      if (auto* refusal = std::get_if<UnsatisfiableRange>(&asked)) {
        HttpResponse response = http_error(416, refusal->message);
        response.headers.emplace_back("Content-Range", fmt::format("bytes */{}", value->size()));
        return response;
      }
      if (auto* satisfiable = std::get_if<ByteRange>(&asked)) {
        range = *satisfiable;
        partial = true;
      }
    }
    std::string_view body = *value;
    if (range) {
      auto slice = slice_value(key, body, *range);
      if (!slice) return bad_request(http, slice.error());
      body = *slice;
    }
    HttpResponse response = HttpResponse::octets(std::string(body));
    response.headers.emplace_back("Accept-Ranges", "bytes");
    if (partial) {
      response.status = 206;
      response.headers.emplace_back(
          "Content-Range", fmt::format("bytes {}-{}/{}", range->start, range->end, value->size()));
    }
    return response;
  }
};

}  // namespace

std::unique_ptr<DataInstance> KeyValueType::create(InstanceIdentity identity,
                                                   const DvidConfig& config) const {
  return std::make_unique<KeyValueInstance>(
      *this, std::move(identity), parse_common_settings(config, "LZ4 compression, level -1"));
}

}  // namespace dvidxfer::server
