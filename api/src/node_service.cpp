#include "dvidxfer/node_service.hpp"

#include <fmt/format.h>

#include "client_core.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/json_writer.hpp"
#include "dvidxfer/errors.hpp"
#include "instance_creation.hpp"
#include "instance_info_cache.hpp"
#include "json_answers.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

// ---- argument checks: bad input is refused before anything is sent ----------------------------

void require_name(std::string_view what, const std::string& name) {
  if (name.empty()) throw ArgumentError(fmt::format("{} must not be empty", what));
  if (name.find('/') != std::string::npos)
    throw ArgumentError(fmt::format("{} '{}' contains '/', which DVID cannot address", what, name));
}

void require_key(const std::string& instance, const std::string& key) {
  if (key.empty())
    throw ArgumentError(fmt::format("empty key for keyvalue instance '{}'", instance));
  if (key.find('/') != std::string::npos)
    throw ArgumentError(fmt::format(
        "key '{}' of keyvalue instance '{}' contains '/', which DVID cannot address through /key/",
        key, instance));
}

const char* method_name(ConnectionMethod method) {
  switch (method) {
    case ConnectionMethod::HEAD:
      return "HEAD";
    case ConnectionMethod::GET:
      return "GET";
    case ConnectionMethod::POST:
      return "POST";
    case ConnectionMethod::PUT:
      return "PUT";
    case ConnectionMethod::DELETE:
      return "DELETE";
  }
  throw ArgumentError("unknown ConnectionMethod");
}

// ---- the coroutines behind the calls (parameters by value: they outlive the caller's frame) ----

asio::awaitable<void> send_expecting_ok(ClientCore* core, engine::Request request) {
  co_await core->call(std::move(request));
}

asio::awaitable<std::string> fetch_body(ClientCore* core, engine::Request request) {
  auto response = co_await core->call(std::move(request));
  co_return std::move(response.body);
}

// A custom request's answer (any 2xx); with compress, the lz4 body decompressed.
asio::awaitable<std::string> fetch_custom(ClientCore* core, engine::Request request,
                                          bool compressed) {
  const auto url = core->endpoint().origin() + request.target;
  const bool head = request.method == "HEAD";
  auto response = co_await core->call(std::move(request), api::StatusRange{200, 299});
  if (!compressed || head || response.body.empty()) co_return std::move(response.body);
  auto decoded = codecs::decompress_lz4_block_unknown_size(
      response.body, core->http().options().max_response_bytes);
  if (!decoded)
    throw DecodeError(fmt::format("the lz4 answer from {} does not decode: {} (at byte {})", url,
                                  decoded.error().message, decoded.error().offset),
                      url);
  co_return std::move(decoded).value();
}

asio::awaitable<JsonDocument> fetch_json(ClientCore* core, engine::Request request) {
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  co_return JsonDocument::parse(std::move(response.body), url);
}

asio::awaitable<std::vector<std::string>> fetch_string_list(ClientCore* core,
                                                            engine::Request request) {
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  co_return api::decode_string_list(JsonDocument::parse(std::move(response.body), url), url);
}

}  // namespace

NodeService::NodeService(const std::string& web_addr, std::string uuid, std::string user,
                         std::string app, const std::string& resource_server, int resource_port,
                         ClientOptions options)
    : uuid_(std::move(uuid)) {
  require_name("uuid", uuid_);
  std::optional<api::ResourceManagerAddress> resource_manager;
  if (!resource_server.empty())
    resource_manager = api::ResourceManagerAddress{resource_server, resource_port};
  else if (resource_port != 0)
    throw ArgumentError(
        fmt::format("resource_port {} given without a resource_server", resource_port));
  core_ = std::make_shared<ClientCore>(web_addr, std::move(user), std::move(app), options,
                                       std::move(resource_manager));
  instances_ = std::make_shared<api::InstanceInfoCache>();
  // The node must exist: GET .../status answers 400 with DVID's reason when it does not.
  engine::Request probe;
  probe.target = core_->target(UrlBuilder("/api/node").segment(uuid_).literal("/status"));
  try {
    core_->spawn(send_expecting_ok(core_.get(), std::move(probe))).get();
  } catch (const HttpError& e) {
    throw HttpError(fmt::format("version node '{}' is not available on DVID server {}: {}", uuid_,
                                core_->endpoint().origin(), e.body_excerpt()),
                    e.status(), e.method(), e.url(), e.body_excerpt());
  }
}

ClientStatistics NodeService::statistics() const noexcept {
  const auto stats = core_->http().stats();
  return {stats.requests, stats.attempts, stats.retries, stats.failures, stats.connections_opened};
}

// ---- key-value --------------------------------------------------------------------------------

std::future<bool> NodeService::create_keyvalue_async(std::string instance_name) {
  api::require_instance_name(instance_name);
  return core_->spawn(
      api::create_instance(core_.get(), uuid_, "keyvalue", std::move(instance_name), {}));
}

bool NodeService::create_instance(
    const std::string& type_name, const std::string& instance_name,
    const std::vector<std::pair<std::string, std::string>>& settings) {
  api::require_instance_name(instance_name);
  if (type_name.empty()) throw ArgumentError("create_instance: the type name is empty");
  return core_->spawn(api::create_instance(core_.get(), uuid_, type_name, instance_name, settings))
      .get();
}

bool NodeService::create_keyvalue(const std::string& instance_name) {
  return create_keyvalue_async(instance_name).get();
}

std::future<void> NodeService::put_async(std::string instance_name, std::string key,
                                         std::string value) {
  require_name("instance name", instance_name);
  require_key(instance_name, key);
  engine::Request request;
  request.method = "POST";
  request.target = core_->target(
      UrlBuilder("/api/node").segment(uuid_).segment(instance_name).literal("/key").segment(key));
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body = std::move(value);
  return core_->spawn(send_expecting_ok(core_.get(), std::move(request)));
}

void NodeService::put(const std::string& instance_name, const std::string& key,
                      std::string_view value) {
  put_async(instance_name, key, std::string(value)).get();
}

std::future<std::string> NodeService::get_async(std::string instance_name, std::string key) {
  require_name("instance name", instance_name);
  require_key(instance_name, key);
  engine::Request request;
  request.target = core_->target(
      UrlBuilder("/api/node").segment(uuid_).segment(instance_name).literal("/key").segment(key));
  return core_->spawn(fetch_body(core_.get(), std::move(request)));
}

std::string NodeService::get(const std::string& instance_name, const std::string& key) {
  return get_async(instance_name, key).get();
}

std::future<JsonDocument> NodeService::get_json_async(std::string instance_name, std::string key) {
  require_name("instance name", instance_name);
  require_key(instance_name, key);
  engine::Request request;
  request.target = core_->target(
      UrlBuilder("/api/node").segment(uuid_).segment(instance_name).literal("/key").segment(key));
  return core_->spawn(fetch_json(core_.get(), std::move(request)));
}

JsonDocument NodeService::get_json(const std::string& instance_name, const std::string& key) {
  return get_json_async(instance_name, key).get();
}

std::future<std::vector<std::string>> NodeService::get_keys_async(std::string instance_name) {
  require_name("instance name", instance_name);
  engine::Request request;
  request.target =
      core_->target(UrlBuilder("/api/node").segment(uuid_).segment(instance_name).literal("/keys"));
  return core_->spawn(fetch_string_list(core_.get(), std::move(request)));
}

std::vector<std::string> NodeService::get_keys(const std::string& instance_name) {
  return get_keys_async(instance_name).get();
}

// ---- general ----------------------------------------------------------------------------------

std::future<JsonDocument> NodeService::get_typeinfo_async(std::string instance_name) {
  require_name("instance name", instance_name);
  engine::Request request;
  request.target =
      core_->target(UrlBuilder("/api/node").segment(uuid_).segment(instance_name).literal("/info"));
  return core_->spawn(fetch_json(core_.get(), std::move(request)));
}

JsonDocument NodeService::get_typeinfo(const std::string& instance_name) {
  return get_typeinfo_async(instance_name).get();
}

std::future<std::string> NodeService::custom_request_async(std::string endpoint,
                                                           std::string payload,
                                                           ConnectionMethod method, bool compress,
                                                           std::uint64_t datasize) {
  if (endpoint.empty() || endpoint.front() != '/') endpoint.insert(endpoint.begin(), '/');
  engine::Request request;
  request.method = method_name(method);
  request.expected_response_bytes = datasize;  // what a read weighs with a resource manager
  UrlBuilder url("/api/node");
  url.segment(uuid_).literal(endpoint);
  if (compress) url.query("compression", "lz4");
  request.target = core_->target(url);
  request.headers = {{"Content-Type", "application/octet-stream"}};
  if (compress && !payload.empty()) {
    // DVID's lz4 is one raw LZ4 block of the whole payload.
    request.body.resize(codecs::lz4_block_bound(payload.size()));
    auto written = codecs::compress_lz4_block(payload, request.body);
    if (!written)
      throw ArgumentError(fmt::format("custom_request {}: cannot lz4-compress the payload: {}",
                                      endpoint, written.error().message));
    request.body.resize(written.value());
  } else {
    request.body = std::move(payload);
  }
  return core_->spawn(fetch_custom(core_.get(), std::move(request), compress));
}

std::string NodeService::custom_request(const std::string& endpoint, std::string_view payload,
                                        ConnectionMethod method, bool compress,
                                        std::uint64_t datasize) {
  return custom_request_async(endpoint, std::string(payload), method, compress, datasize).get();
}

}  // namespace dvidxfer
