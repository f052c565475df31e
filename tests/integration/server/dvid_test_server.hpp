// An EmbeddedServer on a free loopback port and a raw HTTP client, with shortcuts for the DVID
// calls most tests start with (create a repo, an instance, commit, branch).
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>

#include "dvidxfer/server/embedded_server.hpp"
#include "raw_http_client.hpp"

namespace dvidxfer::testing {

// The string member `name` of a JSON object.
inline std::string json_member(std::string_view json, std::string_view name) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  std::string_view value;
  if (parser.parse(padded)[name].get_string().get(value)) {
    ADD_FAILURE() << "no string member " << name << " in " << json;
    return {};
  }
  return std::string(value);
}

// DVID's 400 body: the message, the path in parentheses and a period.
inline std::string dvid_error(std::string_view message, std::string_view path) {
  return std::string(message) + " (" + std::string(path) + ").\n";
}

class DvidServerTest : public ::testing::Test {
 protected:
  explicit DvidServerTest(server::ServerConfig config = {})
      : server_(std::make_unique<server::EmbeddedServer>(std::move(config))),
        client_(server_->port()) {}

  RawHttpResponse get(std::string_view target, const HttpHeaders& headers = {}) {
    return client_.request("GET", target, {}, headers);
  }
  RawHttpResponse post(std::string_view target, std::string_view body = {}) {
    return client_.request("POST", target, body);
  }
  RawHttpResponse request(std::string_view method, std::string_view target,
                          std::string_view body = {}, const HttpHeaders& headers = {}) {
    return client_.request(method, target, body, headers);
  }

  std::string new_repo(std::string_view body = "") {
    const auto response = post("/api/repos", body);
    EXPECT_EQ(response.status, 200) << response.body;
    return json_member(response.body, "root");
  }
  void new_instance(const std::string& uuid, std::string_view name,
                    std::string_view type = "keyvalue", std::string_view extra = "") {
    std::string body = R"({"typename":")" + std::string(type) + R"(","dataname":")" +
                       std::string(name) + '"' + std::string(extra) + "}";
    const auto response = post("/api/repo/" + uuid + "/instance", body);
    EXPECT_EQ(response.status, 200) << response.body;
  }
  void commit(const std::string& uuid) {
    const auto response = post("/api/node/" + uuid + "/commit", "{}");
    EXPECT_EQ(response.status, 200) << response.body;
  }
  std::string new_version(const std::string& uuid, std::string_view body = "") {
    const auto response = post("/api/node/" + uuid + "/newversion", body);
    EXPECT_EQ(response.status, 200) << response.body;
    return json_member(response.body, "child");
  }
  std::string branch(const std::string& uuid, std::string_view name) {
    const auto response =
        post("/api/node/" + uuid + "/branch", R"({"branch":")" + std::string(name) + R"("})");
    EXPECT_EQ(response.status, 200) << response.body;
    return json_member(response.body, "child");
  }
  void put_key(const std::string& uuid, std::string_view data, std::string_view key,
               std::string_view value) {
    const auto response =
        post("/api/node/" + uuid + "/" + std::string(data) + "/key/" + std::string(key), value);
    EXPECT_EQ(response.status, 200) << response.body;
  }

  std::unique_ptr<server::EmbeddedServer> server_;
  RawHttpClient client_;
};

}  // namespace dvidxfer::testing
