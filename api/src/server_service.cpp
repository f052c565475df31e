#include "dvidxfer/server_service.hpp"

#include "client_core.hpp"
#include "dvidxfer/codecs/json_writer.hpp"
#include "dvidxfer/errors.hpp"
#include "json_answers.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;

namespace {

asio::awaitable<std::string> create_repo(ClientCore* core, engine::Request request) {
  auto response = co_await core->call(request);
  const auto url = core->endpoint().origin() + request.target;
  co_return api::decode_repo_root(JsonDocument::parse(std::move(response.body), url), url);
}

asio::awaitable<JsonDocument> fetch_json(ClientCore* core, engine::Request request) {
  auto response = co_await core->call(request);
  co_return JsonDocument::parse(std::move(response.body),
                                core->endpoint().origin() + request.target);
}

}  // namespace

ServerService::ServerService(const std::string& web_addr, std::string user, std::string app,
                             ClientOptions options)
    : core_(std::make_shared<ClientCore>(web_addr, std::move(user), std::move(app), options)) {
  get_server_info();
}

std::string ServerService::get_addr() const {
  return core_->endpoint().origin();
}

std::future<std::string> ServerService::create_new_repo_async(std::string alias,
                                                              std::string description,
                                                              std::string admin_token) {
  engine::Request request;
  request.method = "POST";
  api::UrlBuilder url("/api/repos");
  if (!admin_token.empty()) url.query("admintoken", admin_token);
  request.target = core_->target(url);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "{\"alias\":" + codecs::json_quote(alias) +
                 ",\"description\":" + codecs::json_quote(description) + "}";
  // Creating a repo twice would leave two repos: send it once, whatever happens.
  request.idempotent = false;
  return core_->spawn(create_repo(core_.get(), std::move(request)));
}

std::string ServerService::create_new_repo(const std::string& alias, const std::string& description,
                                           const std::string& admin_token) {
  return create_new_repo_async(alias, description, admin_token).get();
}

std::future<JsonDocument> ServerService::get_server_info_async() {
  engine::Request request;
  request.target = core_->target(api::UrlBuilder("/api/server/info"));
  return core_->spawn(fetch_json(core_.get(), std::move(request)));
}

JsonDocument ServerService::get_server_info() {
  return get_server_info_async().get();
}

}  // namespace dvidxfer
