#include "dvid/repo_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <mutex>

#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

// Instance names DVID refuses because they are node actions (datastore/datainstance.go).
bool reserved_instance_name(std::string_view name) {
  return name == "log" || name == "branch" || name == "note" || name == "commit" ||
         name == "newversion";
}

std::string json_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    append_go_json_string(out, items[i]);
  }
  return out + "]";
}

std::string json_version_array(const std::vector<VersionId>& versions) {
  std::string out = "[";
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(versions[i]);
  }
  return out + "]";
}

}  // namespace

RepoRegistry::RepoRegistry() : random_(std::random_device{}()) {}
RepoRegistry::~RepoRegistry() = default;

RepoRegistry::Node& RepoRegistry::node(VersionId version) {
  return nodes_.at(version);
}
const RepoRegistry::Node& RepoRegistry::node(VersionId version) const {
  return nodes_.at(version);
}

std::string RepoRegistry::random_uuid() {
  // 32 lowercase hex digits as DVID generates them; redrawn in the unlikely event of a clash.
  while (true) {
    std::string uuid = fmt::format("{:016x}{:016x}", random_(), random_());
    if (!versions_by_uuid_.contains(uuid)) return uuid;
  }
}

RepoRegistry::Node& RepoRegistry::add_node(Repo& repo, std::string uuid) {
  const VersionId version = next_version_++;
  Node& added = nodes_[version];
  added.uuid = uuid;
  added.version = version;
  added.repo = &repo;
  added.created = added.updated = Clock::now();
  repo.versions.push_back(version);
  versions_by_uuid_.emplace(std::move(uuid), version);
  return added;
}

std::string RepoRegistry::create_repo(std::string alias, std::string description,
                                      std::optional<std::string> root) {
  std::unique_lock lock(mutex_);
  if (root && versions_by_uuid_.contains(*root))
    throw DvidError("UUID already exists in datastore");
  auto repo = std::make_unique<Repo>();
  Node& root_node = add_node(*repo, root ? *root : random_uuid());
  repo->root_uuid = root_node.uuid;
  repo->root = root_node.version;
  repo->alias = std::move(alias);
  repo->description = std::move(description);
  repo->branch_leaves["master"] = root_node.version;
  repo->created = repo->updated = root_node.created;
  repos_.push_back(std::move(repo));
  return root_node.uuid;
}

NodeRef RepoRegistry::resolve(std::string_view spec) const {
  std::shared_lock lock(mutex_);
  std::string_view prefix = spec;
  std::optional<std::string_view> branch;
  if (const std::size_t colon = spec.find(':'); colon != std::string_view::npos) {
    if (spec.find(':', colon + 1) != std::string_view::npos)
      throw DvidError("bad UUID specification " + go_json_string(spec));
    prefix = spec.substr(0, colon);
    branch = spec.substr(colon + 1);
    if (prefix.empty()) {
      if (repos_.size() > 1) throw DvidError("UUID must be specified if more than one repo exists");
      return branch_node(repos_.empty() ? nullptr : repos_.front().get(), "", *branch);
    }
  }

  auto match = versions_by_uuid_.lower_bound(prefix);
  if (match == versions_by_uuid_.end() || !match->first.starts_with(prefix))
    throw DvidError("could not find UUID with partial match to " + std::string(prefix));
  if (auto next = std::next(match);
      next != versions_by_uuid_.end() && next->first.starts_with(prefix))
    throw DvidError("more than one UUID matches " + std::string(prefix));

  if (branch) return branch_node(node(match->second).repo, match->first, *branch);
  return {match->first, match->second};
}

NodeRef RepoRegistry::branch_node(const Repo* repo, std::string_view matched_uuid,
                                  std::string_view branch) const {
  if (const std::size_t tilde = branch.find('~');
      repo && tilde != std::string_view::npos && branch.find('~', tilde + 1) == std::string::npos) {
    const std::string_view name = branch.substr(0, tilde);
    const std::string_view steps_text = branch.substr(tilde + 1);
    const std::vector<VersionId> ancestry = branch_ancestry(*repo, name);
    long long steps = 0;
    auto [end, error] =
        std::from_chars(steps_text.data(), steps_text.data() + steps_text.size(), steps);
    if (steps_text.empty() || error != std::errc() || end != steps_text.data() + steps_text.size())
      throw DvidError(fmt::format("can't parse parent {} in branch {}", go_json_string(steps_text),
                                  go_json_string(name)));
    if (steps < 0 || static_cast<std::size_t>(steps) >= ancestry.size())
      throw DvidError(
          fmt::format("parent {} is out of range for branch {}", steps, go_json_string(name)));
    const Node& found = node(ancestry[static_cast<std::size_t>(steps)]);
    return {found.uuid, found.version};
  }
  const std::string name = branch.empty() ? "master" : std::string(branch);
  if (repo) {
    if (auto leaf = repo->branch_leaves.find(name); leaf != repo->branch_leaves.end())
      return {node(leaf->second).uuid, leaf->second};
  }
  throw DvidError(fmt::format("branch {} not found in repo {}", go_json_string(name),
                              go_json_string(matched_uuid)));
}

std::vector<VersionId> RepoRegistry::branch_ancestry(const Repo& repo,
                                                     std::string_view branch) const {
  // DVID's getAncestryByBranch: find a node of the branch, walk down to its leaf, then up.
  const std::string_view stored = branch == "master" ? "" : branch;
  const Node* current = nullptr;
  for (VersionId version : repo.versions) {
    const Node& candidate = node(version);
    if (candidate.branch == stored || candidate.branch == branch) current = &candidate;
  }
  if (!current) return {};
  for (bool descended = true; descended;) {
    descended = false;
    for (VersionId child : current->children) {
      if (node(child).branch == current->branch) {
        current = &node(child);
        descended = true;
        break;
      }
    }
  }
  std::vector<VersionId> ancestry;
  for (;;) {
    ancestry.push_back(current->version);
    if (current->parents.empty()) break;
    current = &node(current->parents.back());
  }
  return ancestry;
}

std::string RepoRegistry::root_uuid(VersionId version) const {
  std::shared_lock lock(mutex_);
  return node(version).repo->root_uuid;
}

VersionId RepoRegistry::root_version(VersionId version) const {
  std::shared_lock lock(mutex_);
  return node(version).repo->root;
}

bool RepoRegistry::locked(VersionId version) const {
  std::shared_lock lock(mutex_);
  return node(version).locked;
}

std::vector<VersionId> RepoRegistry::ancestry(VersionId version) const {
  std::shared_lock lock(mutex_);
  std::vector<VersionId> versions;
  for (const Node* current = &node(version);;) {
    versions.push_back(current->version);
    if (current->parents.empty()) break;
    current = &node(current->parents.front());
  }
  return versions;
}

std::string RepoRegistry::repo_json_locked(const Repo& repo) const {
  std::string out = "{\"Root\":";
  append_go_json_string(out, repo.root_uuid);
  out += ",\"Alias\":";
  append_go_json_string(out, repo.alias);
  out += ",\"Description\":";
  append_go_json_string(out, repo.description);
  out += ",\"Log\":" + json_string_array(repo.log);
  out += ",\"Properties\":{},\"DataInstances\":{";
  bool first = true;
  for (const auto& [name, instance] : repo.instances) {
    if (!first) out += ',';
    append_go_json_string(out, name);
    out += ':' + instance->info_json();
    first = false;
  }
  out += "},\"DAG\":{\"Root\":";
  append_go_json_string(out, repo.root_uuid);
  out += ",\"Nodes\":{";
  std::map<std::string_view, const Node*> by_uuid;
  for (VersionId version : repo.versions) by_uuid.emplace(node(version).uuid, &node(version));
  first = true;
  for (const auto& [uuid, n] : by_uuid) {
    if (!first) out += ',';
    append_go_json_string(out, uuid);
    out += ":{\"Branch\":";
    append_go_json_string(out, n->branch);
    out += ",\"Note\":";
    append_go_json_string(out, n->note);
    out += ",\"Log\":" + json_string_array(n->log);
    out += ",\"UUID\":";
    append_go_json_string(out, n->uuid);
    out += fmt::format(",\"VersionID\":{},\"Locked\":{},\"Parents\":{},\"Children\":{}", n->version,
                       n->locked, json_version_array(n->parents), json_version_array(n->children));
    out += ",\"Created\":" + go_json_time(n->created) + ",\"Updated\":" + go_json_time(n->updated);
    out += '}';
    first = false;
  }
  out += "}},\"MutationID\":0,\"SavedMutationID\":0";
  out +=
      ",\"Created\":" + go_json_time(repo.created) + ",\"Updated\":" + go_json_time(repo.updated);
  return out + '}';
}

std::string RepoRegistry::repo_json(VersionId version) const {
  std::shared_lock lock(mutex_);
  return repo_json_locked(*node(version).repo);
}

std::string RepoRegistry::repos_json() const {
  std::shared_lock lock(mutex_);
  std::map<std::string_view, const Repo*> by_root;
  for (const auto& repo : repos_) by_root.emplace(repo->root_uuid, repo.get());
  std::string out = "{";
  bool first = true;
  for (const auto& [root, repo] : by_root) {
    if (!first) out += ',';
    append_go_json_string(out, root);
    out += ':' + repo_json_locked(*repo);
    first = false;
  }
  return out + '}';
}

void RepoRegistry::set_alias(VersionId version, std::string alias) {
  std::unique_lock lock(mutex_);
  Repo& repo = *node(version).repo;
  repo.alias = std::move(alias);
  repo.updated = Clock::now();
}

void RepoRegistry::set_description(VersionId version, std::string description) {
  std::unique_lock lock(mutex_);
  Repo& repo = *node(version).repo;
  repo.description = std::move(description);
  repo.updated = Clock::now();
}

void RepoRegistry::append_log(std::vector<std::string>& log,
                              const std::vector<std::string>& messages) {
  // DVID prefixes every entry with the time it was added and two spaces.
  const std::string stamp = go_rfc3339(Clock::now());
  for (const std::string& message : messages) log.push_back(stamp + "  " + message);
}

std::vector<std::string> RepoRegistry::repo_log(VersionId version) const {
  std::shared_lock lock(mutex_);
  return node(version).repo->log;
}

void RepoRegistry::append_repo_log(VersionId version, const std::vector<std::string>& messages) {
  std::unique_lock lock(mutex_);
  Repo& repo = *node(version).repo;
  append_log(repo.log, messages);
  repo.updated = Clock::now();
}

std::vector<std::string> RepoRegistry::branch_versions(VersionId version,
                                                       std::string_view branch) const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> uuids;
  for (VersionId v : branch_ancestry(*node(version).repo, branch)) uuids.push_back(node(v).uuid);
  return uuids;
}

std::shared_ptr<DataInstance> RepoRegistry::create_instance(VersionId version, const DataType& type,
                                                            const std::string& name,
                                                            const DvidConfig& config) {
  std::unique_lock lock(mutex_);
  Node& at = node(version);
  Repo& repo = *at.repo;
  if (repo.instances.contains(name))
    throw DvidError(fmt::format("Data named {} already exists in repo (root {})",
                                go_json_string(name), repo.root_uuid));
  if (reserved_instance_name(name))
    throw DvidError("cannot use reserved name " + go_json_string(name));
  InstanceIdentity identity{next_instance_, name, random_uuid(), at.uuid};
  std::shared_ptr<DataInstance> instance = type.create(std::move(identity), config);
  ++next_instance_;
  repo.instances.emplace(name, instance);
  append_log(repo.log,
             {fmt::format("New data instance {} of type {} with config {}", go_json_string(name),
                          go_json_string(type.name()), config.go_string())});
  repo.updated = Clock::now();
  return instance;
}

std::shared_ptr<DataInstance> RepoRegistry::find_instance(VersionId version,
                                                          std::string_view name) const {
  std::shared_lock lock(mutex_);
  const Repo& repo = *node(version).repo;
  auto it = repo.instances.find(name);
  return it == repo.instances.end() ? nullptr : it->second;
}

std::map<std::string, std::string> RepoRegistry::types_in_use() const {
  std::shared_lock lock(mutex_);
  std::map<std::string, std::string> types;
  for (const auto& repo : repos_)
    for (const auto& [name, instance] : repo->instances)
      types.emplace(instance->type().name(), instance->type().url());
  return types;
}

void RepoRegistry::commit(VersionId version, const std::string& note,
                          const std::vector<std::string>& log) {
  std::unique_lock lock(mutex_);
  Node& committed = node(version);
  if (committed.locked) throw DvidError(fmt::format("node {} already committed", committed.uuid));
  committed.locked = true;
  if (!note.empty()) committed.note = note;
  append_log(committed.log, log);
  committed.updated = committed.repo->updated = Clock::now();
}

NodeRef RepoRegistry::new_version(VersionId parent_version, const std::string& note,
                                  const std::string& branch,
                                  std::optional<std::string> assigned_uuid) {
  std::unique_lock lock(mutex_);
  Node& parent = node(parent_version);
  Repo& repo = *parent.repo;
  if (!parent.locked) throw DvidError("can't branch an unlocked node");
  std::string child_branch = branch;
  if (branch.empty() || branch == parent.branch) {
    child_branch = parent.branch;
    for (VersionId sibling : parent.children)
      if (node(sibling).branch == child_branch)
        throw DvidError("branch already exists with given name");
  } else {
    for (VersionId other : repo.versions)
      if (node(other).branch == branch) throw DvidError("branch already exists with given name");
  }
  // DVID would silently reuse an existing UUID here; refusing keeps the DAG consistent.
  if (assigned_uuid && versions_by_uuid_.contains(*assigned_uuid))
    throw DvidError("UUID already exists in datastore");

  Node& child = add_node(repo, assigned_uuid ? *assigned_uuid : random_uuid());
  child.parents = {parent_version};
  child.note = note;
  child.branch = child_branch;
  repo.branch_leaves[child_branch.empty() ? "master" : child_branch] = child.version;
  parent.children.push_back(child.version);
  parent.updated = repo.updated = Clock::now();
  return {child.uuid, child.version};
}

std::string RepoRegistry::note(VersionId version) const {
  std::shared_lock lock(mutex_);
  return node(version).note;
}

void RepoRegistry::set_note(VersionId version, std::string note) {
  std::unique_lock lock(mutex_);
  Node& n = node(version);
  n.note = std::move(note);
  n.updated = Clock::now();
}

std::vector<std::string> RepoRegistry::node_log(VersionId version) const {
  std::shared_lock lock(mutex_);
  return node(version).log;
}

void RepoRegistry::append_node_log(VersionId version, const std::vector<std::string>& messages) {
  std::unique_lock lock(mutex_);
  Node& n = node(version);
  append_log(n.log, messages);
  n.updated = Clock::now();
}

}  // namespace dvidxfer::server
