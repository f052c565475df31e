// Server-level endpoints (/api/heartbeat, /api/server/...) and unrouted paths, over loopback.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "dvid_test_server.hpp"

namespace dvidxfer::testing {
namespace {

using DvidServerEndpoints = DvidServerTest;

TEST_F(DvidServerEndpoints, HeartbeatAnswersOk) {
  const auto response = get("/api/heartbeat?u=tester");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "OK");
  EXPECT_EQ(response.header("content-type"), "text/plain");
}

TEST_F(DvidServerEndpoints, ServerInfoHasOnlyStringValues) {
  const auto response = get("/api/server/info");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(response.body);
  simdjson::dom::object info = parser.parse(padded).get_object();
  for (auto field : info) EXPECT_TRUE(field.value.is_string()) << field.key;
  for (const char* key : {"Cores", "Maximum Cores", "Server time", "Server uptime", "Host", "Note"})
    EXPECT_FALSE(info[key].error()) << key;
  EXPECT_EQ(std::string_view(info["Datastore Version"].get_string()), "0.11.0");
  // Parsed as DVID clients parse it (neuclease: strip the 'v', split at '.' and '-', the first
  // four parts as integers) and new enough for their modern wire formats (>= v0.8.24-15).
  const std::string version(info["DVID Version"].get_string().value());
  ASSERT_TRUE(version.starts_with('v')) << version;
  std::vector<int> parts;
  for (std::size_t begin = 1; begin <= version.size() && parts.size() < 4;) {
    const auto end = std::min(version.find_first_of(".-", begin), version.size());
    const std::string part = version.substr(begin, end - begin);
    ASSERT_FALSE(part.empty()) << version;
    ASSERT_TRUE(std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
        << version;
    parts.push_back(std::stoi(part));
    begin = end + 1;
  }
  EXPECT_GE(parts, (std::vector<int>{0, 8, 24, 15})) << version;
  EXPECT_EQ(std::string_view(info["dvidxfer Version"].get_string()), "0.1.0");
  EXPECT_EQ(std::string_view(info["Storage backend"].get_string()), "in-memory");
}

TEST_F(DvidServerEndpoints, CompiledTypesComeFromTheTypeRegistry) {
  const auto response = get("/api/server/compiled-types");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body,
            R"({"imagetile":"github.com/janelia-flyem/dvid/datatype/imagetile",)"
            R"("keyvalue":"github.com/janelia-flyem/dvid/datatype/keyvalue",)"
            R"("labelarray":"github.com/janelia-flyem/dvid/datatype/labelarray",)"
            R"("labelblk":"github.com/janelia-flyem/dvid/datatype/labelblk",)"
            R"("labelgraph":"github.com/janelia-flyem/dvid/datatype/labelgraph",)"
            R"("labelmap":"github.com/janelia-flyem/dvid/datatype/labelmap",)"
            R"("labelvol":"github.com/janelia-flyem/dvid/datatype/labelvol",)"
            R"("roi":"github.com/janelia-flyem/dvid/datatype/roi",)"
            R"("uint8blk":"github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go"})");
}

TEST_F(DvidServerEndpoints, TypesListOnlyTypesWithInstances) {
  EXPECT_EQ(get("/api/server/types").body, "{}");
  const std::string uuid = new_repo();
  new_instance(uuid, "kv");
  EXPECT_EQ(get("/api/server/types").body,
            R"({"keyvalue":"github.com/janelia-flyem/dvid/datatype/keyvalue"})");
}

TEST_F(DvidServerEndpoints, SettingsChangeTheThrottleLimit) {
  const auto response = post("/api/server/settings", R"({"throttle":"4"})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "Maximum throttled ops set to 4 from 1\n");
  EXPECT_EQ(server_->throttle_limit(), 4);
  EXPECT_EQ(post("/api/server/settings", R"({"Throttle":"2"})").body,
            "Maximum throttled ops set to 2 from 4\n");
}

TEST_F(DvidServerEndpoints, SettingsRefuseNumbersAsDvidDoes) {
  const auto response = post("/api/server/settings", R"({"throttle":4})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("POST on settings endpoint had bad parsing of 'throttle' key: Setting for "
                       "'throttle' was not a string: 4",
                       "/api/server/settings"));
  EXPECT_EQ(server_->throttle_limit(), 1);
}

TEST_F(DvidServerEndpoints, SettingsRefuseNonIntegerStrings) {
  const auto response = post("/api/server/settings", R"({"throttle":"many"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("POST on settings endpoint had bad parsing of 'throttle' key: "
                       "strconv.Atoi: parsing \"many\": invalid syntax",
                       "/api/server/settings"));
}

TEST_F(DvidServerEndpoints, SettingsRefuseMalformedJson) {
  const auto response = post("/api/server/settings", "{nope");
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(response.body.starts_with(
      "Error decoding POSTed JSON config for 'new': Malformed JSON request in body: "))
      << response.body;
}

TEST_F(DvidServerEndpoints, UnroutedPathsAnswerGojisNotFound) {
  for (const char* target : {"/api/nothing", "/api/server/settings", "/api/repos", "/not-api"}) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.body, "404 page not found\n") << target;
  }
  EXPECT_EQ(post("/api/heartbeat").status, 404);
  EXPECT_EQ(post("/api/server/info").status, 404);
}

class DvidServerWithAdminToken : public DvidServerTest {
 protected:
  DvidServerWithAdminToken() : DvidServerTest(config()) {}
  static server::ServerConfig config() {
    server::ServerConfig config;
    config.admin_token = "s3cret";
    return config;
  }
};

TEST_F(DvidServerWithAdminToken, SettingsRequireTheAdminToken) {
  const auto refused = post("/api/server/settings", R"({"throttle":"3"})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body, dvid_error("POST /api/server/settings requires admin privileges "
                                     "(admintoken or DSG admin)",
                                     "/api/server/settings"));
  const auto allowed = post("/api/server/settings?admintoken=s3cret", R"({"throttle":"3"})");
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(server_->throttle_limit(), 3);
}

TEST_F(DvidServerWithAdminToken, RepoCreationRequiresTheAdminToken) {
  const auto refused = post("/api/repos");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body, dvid_error("Creating a repo requires admin privileges (admintoken or DSG "
                                     "admin) on a server that is not read-only",
                                     "/api/repos"));
  EXPECT_EQ(post("/api/repos?admintoken=wrong").status, 400);
  const auto created = post("/api/repos?admintoken=s3cret");
  EXPECT_EQ(created.status, 200);
  EXPECT_EQ(json_member(created.body, "root").size(), 32u);
}

TEST_F(DvidServerWithAdminToken, AdminTokenBypassesLockedNodeChecks) {
  const std::string root = json_member(post("/api/repos?admintoken=s3cret").body, "root");
  const auto created = post("/api/repo/" + root + "/instance?admintoken=s3cret",
                            R"({"typename":"keyvalue","dataname":"kv"})");
  ASSERT_EQ(created.status, 200) << created.body;
  commit(root);
  const std::string key = "/api/node/" + root + "/kv/key/k";
  EXPECT_EQ(post(key, "v").status, 400);
  EXPECT_EQ(post(key + "?admintoken=s3cret", "v").status, 200);
  EXPECT_EQ(get(key).body, "v");
  EXPECT_EQ(post("/api/node/" + root + "/note?admintoken=s3cret", R"({"note":"n"})").status, 200);
}

}  // namespace
}  // namespace dvidxfer::testing
