// Repo endpoints: creation, listing, HEAD, info with its DAG, logs, branch versions and data
// instance creation with DVID's errors, over loopback.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "dvid_test_server.hpp"

namespace dvidxfer::testing {
namespace {

using DvidRepos = DvidServerTest;

TEST_F(DvidRepos, CreationAnswersTheRootExactlyAsDvid) {
  const auto response = post("/api/repos");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  const std::string root = json_member(response.body, "root");
  EXPECT_EQ(response.body, "{\"root\": \"" + root + "\"}");
  ASSERT_EQ(root.size(), 32u);
  EXPECT_EQ(root.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(DvidRepos, CreationTakesAliasDescriptionAndRoot) {
  const std::string root =
      new_repo(R"({"alias":"fib","description":"a test","root":"myroot","passcode":"x"})");
  EXPECT_EQ(root, "myroot");
  const auto info = get("/api/repo/myroot/info");
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(json_member(info.body, "Alias"), "fib");
  EXPECT_EQ(json_member(info.body, "Description"), "a test");
  const auto again = post("/api/repos", R"({"root":"myroot"})");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body, dvid_error("UUID already exists in datastore", "/api/repos"));
}

TEST_F(DvidRepos, CreationRefusesNonStringMembers) {
  const auto response = post("/api/repos", R"({"alias":5})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("POST on repos endpoint requires valid 'alias': Setting for "
                                      "'alias' was not a string: 5",
                                      "/api/repos"));
}

TEST_F(DvidRepos, HeadTellsWhetherAnyNodeMatches) {
  const std::string root = new_repo();
  EXPECT_EQ(request("HEAD", "/api/repo/" + root).status, 200);
  EXPECT_EQ(request("HEAD", "/api/repo/" + root.substr(0, 6)).status, 200);
  const auto missing = request("HEAD", "/api/repo/zzzz");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(get("/api/repo/" + root).status, 404);  // only HEAD is routed
}

TEST_F(DvidRepos, InfoDescribesTheDagWithVersionIds) {
  const std::string root = new_repo();
  new_instance(root, "kv");
  commit(root);
  const std::string child = new_version(root, R"({"note":"second"})");
  const auto response = get("/api/repo/" + child + "/info");
  ASSERT_EQ(response.status, 200);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(response.body);
  simdjson::dom::element repo = parser.parse(padded);
  EXPECT_EQ(std::string_view(repo["Root"].get_string()), root);
  EXPECT_EQ(std::string_view(repo["DAG"]["Root"].get_string()), root);
  EXPECT_EQ(std::string_view(repo["DataInstances"]["kv"]["Base"]["TypeName"].get_string()),
            "keyvalue");
  simdjson::dom::element root_node = repo["DAG"]["Nodes"][root];
  simdjson::dom::element child_node = repo["DAG"]["Nodes"][child];
  EXPECT_TRUE(bool(root_node["Locked"].get_bool()));
  EXPECT_FALSE(bool(child_node["Locked"].get_bool()));
  EXPECT_EQ(std::string_view(child_node["Note"].get_string()), "second");
  EXPECT_EQ(std::string_view(child_node["Branch"].get_string()), "");
  const uint64_t root_id = root_node["VersionID"].get_uint64();
  const uint64_t child_id = child_node["VersionID"].get_uint64();
  EXPECT_EQ(uint64_t(child_node["Parents"].at(0).get_uint64()), root_id);
  EXPECT_EQ(uint64_t(root_node["Children"].at(0).get_uint64()), child_id);
  EXPECT_EQ(root_node["Parents"].get_array().size(), 0u);
  for (const char* key :
       {"Log", "Properties", "MutationID", "SavedMutationID", "Created", "Updated"})
    EXPECT_FALSE(repo[key].error()) << key;
  for (const char* key : {"Created", "Updated", "UUID", "Log", "Children"})
    EXPECT_FALSE(child_node[key].error()) << key;
}

TEST_F(DvidRepos, InfoPostSetsAliasAndDescription) {
  const std::string root = new_repo();
  const auto response = post("/api/repo/" + root + "/info", R"({"alias":"a2","description":"d2"})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  const auto info = get("/api/repo/" + root + "/info");
  EXPECT_EQ(json_member(info.body, "Alias"), "a2");
  EXPECT_EQ(json_member(info.body, "Description"), "d2");
}

TEST_F(DvidRepos, ReposInfoIsKeyedByRoot) {
  const std::string first = new_repo(R"({"alias":"one"})");
  const std::string second = new_repo(R"({"alias":"two"})");
  const auto response = get("/api/repos/info");
  ASSERT_EQ(response.status, 200);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(response.body);
  simdjson::dom::element repos = parser.parse(padded);
  EXPECT_EQ(std::string_view(repos[first]["Alias"].get_string()), "one");
  EXPECT_EQ(std::string_view(repos[second]["Alias"].get_string()), "two");
}

TEST_F(DvidRepos, LogAppendsTimestampedEntries) {
  const std::string root = new_repo();
  EXPECT_EQ(get("/api/repo/" + root + "/log").body, R"({"log":[]})");
  EXPECT_EQ(post("/api/repo/" + root + "/log", R"({"log":["first","second"]})").status, 200);
  const auto log = get("/api/repo/" + root + "/log");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(log.body);
  simdjson::dom::array entries = parser.parse(padded)["log"].get_array();
  ASSERT_EQ(entries.size(), 2u);
  const std::string_view first = entries.at(0).get_string();
  EXPECT_TRUE(first.ends_with("Z  first")) << first;  // RFC 3339 time, two spaces, message
  const auto missing = post("/api/repo/" + root + "/log", R"({"other":[]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body,
            dvid_error("Could not find 'log' value in POSTed JSON.", "/api/repo/" + root + "/log"));
}

TEST_F(DvidRepos, BranchVersionsRunFromLeafToRoot) {
  const std::string root = new_repo();
  commit(root);
  const std::string second = new_version(root);
  commit(second);
  const std::string third = new_version(second);
  const std::string side = branch(root, "side");
  EXPECT_EQ(get("/api/repo/" + root + "/branch-versions/master").body,
            "[\"" + third + "\",\"" + second + "\",\"" + root + "\"]");
  EXPECT_EQ(get("/api/repo/" + root + "/branch-versions/side").body,
            "[\"" + side + "\",\"" + root + "\"]");
  EXPECT_EQ(get("/api/repo/" + root + "/branch-versions/none").body, "[]");
}

TEST_F(DvidRepos, InstanceCreationAnswersDvidsResult) {
  const std::string root = new_repo();
  const auto response =
      post("/api/repo/" + root + "/instance", R"({"typename":"keyvalue","dataname":"kv"})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{\"result\": \"Added kv [keyvalue] to node " + root + "\"}");
}

TEST_F(DvidRepos, InstanceCreationErrorsUseDvidsTexts) {
  const std::string root = new_repo();
  const std::string path = "/api/repo/" + root + "/instance";
  struct Case {
    const char* body;
    std::string message;
  };
  new_instance(root, "taken");
  const Case cases[] = {
      {R"({"dataname":"kv"})", "POST on repo endpoint requires specification of valid 'typename'"},
      {R"({"typename":"keyvalue"})",
       "POST on repo endpoint requires specification of valid 'dataname'"},
      {R"({"typename":"grayscale8","dataname":"g"})",
       "Data type \"grayscale8\" is not supported by current DVID server"},
      {R"({"typename":"keyvalue","dataname":"taken"})",
       "Data named \"taken\" already exists in repo (root " + root + ")"},
      {R"({"typename":"keyvalue","dataname":"log"})", "cannot use reserved name \"log\""},
      {R"({"typename":"keyvalue","dataname":"newversion"})",
       "cannot use reserved name \"newversion\""},
      {R"({"typename":"keyvalue","dataname":"kv","Compression":5})",
       "Setting for 'Compression' was not a string: 5"},
      {R"({"typename":"keyvalue","dataname":"kv","compression":"jpeg:80"})",
       "Illegal compression specified: jpeg:80"},
      {R"({"typename":"keyvalue","dataname":"kv","checksum":"md5"})",
       "Illegal checksum specified: md5"},
      {R"({"typename":"keyvalue","dataname":"kv","versioned":"maybe"})",
       "Illegal setting for 'versioned' (needs to be 'false', '0', 'true', or '1'): maybe"},
  };
  for (const Case& c : cases) {
    const auto response = post(path, c.body);
    EXPECT_EQ(response.status, 400) << c.body;
    EXPECT_EQ(response.body, dvid_error(c.message, path)) << c.body;
  }
}

TEST_F(DvidRepos, InstanceSettingsShowInInfo) {
  const std::string root = new_repo();
  new_instance(root, "kv", "keyvalue",
               R"(,"Versioned":false,"Compression":"gzip:5","Checksum":"crc32","Tags":"a=1,b=2")");
  const auto response = get("/api/node/" + root + "/kv/info");
  ASSERT_EQ(response.status, 200);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(response.body);
  simdjson::dom::element info = parser.parse(padded);
  simdjson::dom::element base = info["Base"];
  EXPECT_EQ(std::string_view(base["TypeURL"].get_string()),
            "github.com/janelia-flyem/dvid/datatype/keyvalue");
  EXPECT_EQ(std::string_view(base["TypeVersion"].get_string()), "0.2");
  EXPECT_EQ(std::string_view(base["Name"].get_string()), "kv");
  EXPECT_EQ(std::string_view(base["RepoUUID"].get_string()), root);
  EXPECT_EQ(std::string_view(base["Compression"].get_string()), "gzip compression, level 5");
  EXPECT_EQ(std::string_view(base["Checksum"].get_string()), "CRC32 checksum");
  EXPECT_FALSE(bool(base["Versioned"].get_bool()));
  EXPECT_EQ(std::string_view(base["Tags"]["b"].get_string()), "2");
  EXPECT_EQ(std::string_view(base["DataUUID"].get_string()).size(), 32u);
  EXPECT_EQ(base["Syncs"].get_array().size(), 0u);
  EXPECT_EQ(info["Extended"].get_object().size(), 0u);
}

TEST_F(DvidRepos, InstanceCreationRefusedOnCommittedNode) {
  const std::string root = new_repo();
  commit(root);
  const std::string path = "/api/repo/" + root + "/instance";
  const auto response = post(path, R"({"typename":"keyvalue","dataname":"kv"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("New data instance cannot be created on locked node " + root, path));
}

TEST_F(DvidRepos, BadUuidIsRefusedBeforeRouting) {
  new_repo();
  const auto response = get("/api/repo/zzzz/no-such-action");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("could not find UUID with partial match to zzzz",
                                      "/api/repo/zzzz/no-such-action"));
  const std::string root = new_repo();
  EXPECT_EQ(get("/api/repo/" + root + "/no-such-action").status, 404);
}

}  // namespace
}  // namespace dvidxfer::testing
