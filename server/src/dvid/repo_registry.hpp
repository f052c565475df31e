// Repos and their version DAGs: UUID resolution (prefixes, branches, ~N), locking, versions,
// notes and logs, and each repo's data instances. Thread-safe; every method takes the lock.
// Failures throw DvidError with DVID's message texts (datastore/repo_local.go).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dvid/data_instance.hpp"
#include "dvid/dvid_config.hpp"
#include "store/versioned_store.hpp"

namespace dvidxfer::server {

struct NodeRef {
  std::string uuid;
  VersionId version = 0;
};

class RepoRegistry {
 public:
  RepoRegistry();
  ~RepoRegistry();

  // Creates a repo whose root is `root` (any string, as DVID allows) or a random UUID.
  std::string create_repo(std::string alias, std::string description,
                          std::optional<std::string> root);

  // Resolves "prefix", "prefix:branch", ":branch" or "...:branch~N" to a node.
  NodeRef resolve(std::string_view spec) const;

  std::string root_uuid(VersionId version) const;
  VersionId root_version(VersionId version) const;
  bool locked(VersionId version) const;
  // The node, then its first parent, and so on up to the root: what a read at `version` sees.
  std::vector<VersionId> ancestry(VersionId version) const;

  std::string repo_json(VersionId version) const;  // GET /api/repo/{uuid}/info
  std::string repos_json() const;                  // GET /api/repos/info
  void set_alias(VersionId version, std::string alias);
  void set_description(VersionId version, std::string description);
  std::vector<std::string> repo_log(VersionId version) const;
  void append_repo_log(VersionId version, const std::vector<std::string>& messages);
  // UUIDs from the branch's leaf to the root; [] for an unknown branch.
  std::vector<std::string> branch_versions(VersionId version, std::string_view branch) const;

  // Adds an instance to the repo holding `version`; `config` is the creation request.
  std::shared_ptr<DataInstance> create_instance(VersionId version, const DataType& type,
                                                const std::string& name, const DvidConfig& config);
  // nullptr when the repo has no instance of that name.
  std::shared_ptr<DataInstance> find_instance(VersionId version, std::string_view name) const;
  // Name and URL of every type with at least one instance on the server.
  std::map<std::string, std::string> types_in_use() const;

  void commit(VersionId version, const std::string& note, const std::vector<std::string>& log);
  // A child of committed `parent`; an empty `branch` continues the parent's branch.
  NodeRef new_version(VersionId parent, const std::string& note, const std::string& branch,
                      std::optional<std::string> assigned_uuid);
  std::string note(VersionId version) const;
  void set_note(VersionId version, std::string note);
  std::vector<std::string> node_log(VersionId version) const;
  void append_node_log(VersionId version, const std::vector<std::string>& messages);

 private:
  using Clock = std::chrono::system_clock;
  struct Repo;
  struct Node {
    std::string uuid;
    VersionId version = 0;
    Repo* repo = nullptr;
    std::string branch;  // "" is master
    std::string note;
    std::vector<std::string> log;
    bool locked = false;
    std::vector<VersionId> parents;
    std::vector<VersionId> children;
    Clock::time_point created;
    Clock::time_point updated;
  };
  struct Repo {
    std::string root_uuid;
    VersionId root = 0;
    std::string alias;
    std::string description;
    std::vector<std::string> log;
    std::map<std::string, std::shared_ptr<DataInstance>, std::less<>> instances;
    std::vector<VersionId> versions;
    std::map<std::string, VersionId> branch_leaves;  // "master" for the "" branch
    Clock::time_point created;
    Clock::time_point updated;
  };

  Node& node(VersionId version);
  const Node& node(VersionId version) const;
  NodeRef branch_node(const Repo* repo, std::string_view matched_uuid,
                      std::string_view branch) const;
  std::vector<VersionId> branch_ancestry(const Repo& repo, std::string_view branch) const;
  std::string random_uuid();
  Node& add_node(Repo& repo, std::string uuid);
  std::string repo_json_locked(const Repo& repo) const;
  static void append_log(std::vector<std::string>& log, const std::vector<std::string>& messages);

  mutable std::shared_mutex mutex_;
  std::vector<std::unique_ptr<Repo>> repos_;
  std::unordered_map<VersionId, Node> nodes_;
  std::map<std::string, VersionId, std::less<>> versions_by_uuid_;  // sorted for prefix search
  VersionId next_version_ = 1;
  InstanceId next_instance_ = 1;
  std::mt19937_64 random_;
};

}  // namespace dvidxfer::server
