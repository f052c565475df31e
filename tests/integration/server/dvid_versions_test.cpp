// Version nodes: status, commit, newversion, branch, tag, note and log, UUID resolution
// (prefixes, branches, ~N) and the refusals on committed nodes, over loopback.
#include <gtest/gtest.h>

#include "dvid_test_server.hpp"

namespace dvidxfer::testing {
namespace {

using DvidVersions = DvidServerTest;

TEST_F(DvidVersions, StatusReportsTheLock) {
  const std::string root = new_repo();
  EXPECT_EQ(get("/api/node/" + root + "/status").body, R"({"Locked":false})");
  EXPECT_EQ(get("/api/node/" + root + "/commit").body, R"({"Locked":false})");
  const auto committed = post("/api/node/" + root + "/commit", R"({"note":"done","log":["l1"]})");
  EXPECT_EQ(committed.status, 200);
  EXPECT_EQ(committed.body, "{\"committed\": \"" + root + "\"}");
  EXPECT_EQ(get("/api/node/" + root + "/status").body, R"({"Locked":true})");
  EXPECT_EQ(get("/api/node/" + root + "/note").body, R"({"note":"done"})");
}

TEST_F(DvidVersions, CommitNeedsAJsonBody) {
  const std::string root = new_repo();
  const std::string path = "/api/node/" + root + "/commit";
  const auto response = post(path, "");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Malformed JSON request in body: unexpected end of JSON input", path));
  EXPECT_EQ(get("/api/node/" + root + "/status").body, R"({"Locked":false})");
}

TEST_F(DvidVersions, PostsOnCommittedNodesAreRefused) {
  const std::string root = new_repo();
  commit(root);
  for (const char* action : {"commit", "note", "log"}) {
    const std::string path = "/api/node/" + root + "/" + action;
    const auto response = post(path, "{}");
    EXPECT_EQ(response.status, 400) << action;
    EXPECT_EQ(response.body, dvid_error("Cannot do post on locked node " + root, path)) << action;
  }
}

TEST_F(DvidVersions, NewVersionNeedsACommittedParent) {
  const std::string root = new_repo();
  const std::string path = "/api/node/" + root + "/newversion";
  const auto refused = post(path);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body, dvid_error("can't branch an unlocked node", path));
  commit(root);
  const std::string child = new_version(root);
  EXPECT_EQ(child.size(), 32u);
  const auto second = post(path);
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(second.body, dvid_error("branch already exists with given name", path));
}

TEST_F(DvidVersions, NewVersionTakesAnAssignedUuid) {
  const std::string root = new_repo();
  commit(root);
  const std::string wanted = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(new_version(root, R"({"uuid":")" + wanted + R"("})"), wanted);
  const std::string path = "/api/node/" + root + "/branch";
  const auto bad = post(path, R"({"branch":"b","uuid":"xyz"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body,
            dvid_error("Bad UUID provided: UUID must be 32 character hexadecimal string", path));
}

TEST_F(DvidVersions, BranchNamesFollowDvidsRules) {
  const std::string root = new_repo();
  commit(root);
  const std::string path = "/api/node/" + root + "/branch";
  for (const char* body : {R"({})", R"({"branch":"master"})"}) {
    const auto response = post(path, body);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.body, dvid_error("Cannot create a master branch", path));
  }
  branch(root, "feature");
  const auto again = post(path, R"({"branch":"feature"})");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body, dvid_error("branch already exists with given name", path));
}

TEST_F(DvidVersions, TagCreatesACommittedChildNamedByTheTag) {
  const std::string root = new_repo();
  commit(root);
  const auto response = post("/api/node/" + root + "/tag", R"({"tag":"v1.0"})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"child": "v1.0"})");
  EXPECT_EQ(get("/api/node/v1.0/status").body, R"({"Locked":true})");
  EXPECT_EQ(get("/api/node/" + root + ":tag-v1.0/note").body,
            "{\"note\":\"Tag of version " + root + " with \\\"v1.0\\\"\"}");
}

TEST_F(DvidVersions, NotesAndLogsRoundTrip) {
  const std::string root = new_repo();
  const std::string base = "/api/node/" + root;
  EXPECT_EQ(get(base + "/note").body, R"({"note":""})");
  EXPECT_EQ(post(base + "/note", R"({"note":"hello \"world\""})").status, 200);
  EXPECT_EQ(get(base + "/note").body, R"({"note":"hello \"world\""})");
  const auto missing = post(base + "/note", R"({"text":"x"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body,
            dvid_error("Could not find 'note' value in POSTed JSON.", base + "/note"));
  EXPECT_EQ(get(base + "/log").body, R"({"log":[]})");
  EXPECT_EQ(post(base + "/log", R"({"log":["a"]})").status, 200);
  EXPECT_TRUE(get(base + "/log").body.ends_with("Z  a\"]}"));
}

TEST_F(DvidVersions, PrefixesResolveUniquelyOrFail) {
  const std::string root = new_repo(R"({"root":"abc111"})");
  commit(root);
  new_version(root, R"({"uuid":"abc2220123456789abcdef0123456789"})");
  EXPECT_EQ(get("/api/node/abc1/status").status, 200);
  const auto ambiguous = get("/api/node/abc/status");
  EXPECT_EQ(ambiguous.status, 400);
  EXPECT_EQ(ambiguous.body, dvid_error("more than one UUID matches abc", "/api/node/abc/status"));
  const auto unknown = get("/api/node/ABC1/status");  // case-sensitive
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body,
            dvid_error("could not find UUID with partial match to ABC1", "/api/node/ABC1/status"));
  const auto bad = get("/api/node/a:b:c/status");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, dvid_error("bad UUID specification \"a:b:c\"", "/api/node/a:b:c/status"));
}

TEST_F(DvidVersions, BranchSpecificationsResolveToLeavesAndAncestors) {
  const std::string root = new_repo();
  new_instance(root, "kv");
  commit(root);
  const std::string second = new_version(root);
  put_key(second, "kv", "where", "second");
  commit(second);
  const std::string third = new_version(second);
  put_key(third, "kv", "where", "third");
  const std::string side = branch(root, "side");
  put_key(side, "kv", "where", "side");

  EXPECT_EQ(get("/api/node/:master/kv/key/where").body, "third");
  EXPECT_EQ(get("/api/node/" + root.substr(0, 8) + ":master/kv/key/where").body, "third");
  EXPECT_EQ(get("/api/node/:master~1/kv/key/where").body, "second");
  EXPECT_EQ(get("/api/node/:side/kv/key/where").body, "side");
  EXPECT_EQ(get("/api/node/:side~0/kv/key/where").body, "side");

  const auto unknown = get("/api/node/" + root + ":nope/status");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body, dvid_error("branch \"nope\" not found in repo \"" + root + "\"",
                                     "/api/node/" + root + ":nope/status"));
  const auto far = get("/api/node/:master~3/status");
  EXPECT_EQ(far.status, 400);
  EXPECT_EQ(far.body, dvid_error("parent 3 is out of range for branch \"master\"",
                                 "/api/node/:master~3/status"));

  new_repo();
  const auto which = get("/api/node/:master/status");
  EXPECT_EQ(which.status, 400);
  EXPECT_EQ(which.body, dvid_error("UUID must be specified if more than one repo exists",
                                   "/api/node/:master/status"));
}

TEST_F(DvidVersions, RoutingOrderMatchesDvid) {
  const std::string root = new_repo();
  // Bad UUID first, even for actions that do not exist.
  EXPECT_EQ(get("/api/node/zzzz/nothing").status, 400);
  EXPECT_EQ(get("/api/node/" + root + "/nothing").status, 404);
  EXPECT_EQ(get("/api/node/" + root).status, 404);
  // Unknown instance, then unknown keyword.
  const auto no_instance = get("/api/node/" + root + "/missing/info");
  EXPECT_EQ(no_instance.status, 400);
  EXPECT_EQ(no_instance.body,
            dvid_error("invalid data instance name", "/api/node/" + root + "/missing/info"));
  new_instance(root, "kv");
  const auto bad_call = get("/api/node/" + root + "/kv/nonsense");
  EXPECT_EQ(bad_call.status, 400);
  // The help URL names the host the request was sent to (the raw client sends "localhost").
  EXPECT_EQ(bad_call.body, "Bad API call (/api/node/" + root +
                               "/kv/nonsense) for data \"kv\".  See API help at "
                               "http://localhost/api/help/keyvalue\n");
}

}  // namespace
}  // namespace dvidxfer::testing
