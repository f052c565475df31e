// A data instance and its type: the part every DVID datatype shares (datastore.Data): identity,
// compression, checksum, versioning and tags, the "Base" info object, and the lock rule.
// Each datatype derives its instance class and serves its own endpoints.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/dvid_config.hpp"
#include "dvid/instance_request.hpp"
#include "store/versioned_store.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

class DataType;

// Settings DVID accepts for every type (datastore/datainstance.go ModifyConfig).
struct CommonSettings {
  std::string compression;  // as DVID describes it, e.g. "LZ4 compression, level -1"
  std::string checksum = "No checksum";
  bool versioned = true;
  std::optional<std::map<std::string, std::string>> tags;  // nullopt: JSON null
};

// Reads the common settings from a creation request; throws DvidError with DVID's texts.
CommonSettings parse_common_settings(const DvidConfig& config,
                                     std::string_view default_compression);

struct InstanceIdentity {
  InstanceId id = 0;
  std::string name;
  std::string data_uuid;  // a fresh UUID per instance
  std::string repo_uuid;  // the node it was created at (DVID's RepoUUID)
};

class DataInstance {
 public:
  DataInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings);
  virtual ~DataInstance() = default;
  DataInstance(const DataInstance&) = delete;
  DataInstance& operator=(const DataInstance&) = delete;

  const DataType& type() const { return type_; }
  InstanceId id() const { return identity_.id; }
  const std::string& name() const { return identity_.name; }
  bool versioned() const { return settings_.versioned; }

  // GET .../info: {"Base":..., "Extended":...}.
  virtual std::string info_json() const;
  // Whether a request changes data, so it is refused on a committed node. DVID's default: any
  // POST, PUT or DELETE.
  virtual bool is_mutation_request(std::string_view method, std::string_view keyword) const;
  // Serves /api/node/{uuid}/{name}/{keyword}/...; DvidError becomes a 400.
  virtual HttpResponse serve(InstanceRequest& request) = 0;

  // The common "Base" object (datastore.Data's JSON).
  std::string base_json() const;

  std::string tags_json() const;  // {"Tags":{...}} or {"Tags":null}
  void set_tags(std::map<std::string, std::string> tags, bool replace);
  // The instances named in "Syncs", set by the types that serve POST .../sync; without
  // `replace` the names are added to the current ones, as a set.
  void set_syncs(const std::vector<std::string>& names, bool replace);

 protected:
  // DVID's answer to an unknown keyword.
  HttpResponse bad_api_call(const InstanceRequest& request) const;

 private:
  const DataType& type_;
  const InstanceIdentity identity_;
  mutable std::mutex mutex_;  // guards the settings that change after creation: tags and syncs
  CommonSettings settings_;
  std::vector<std::string> syncs_;
};

class DataType {
 public:
  virtual ~DataType() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view url() const = 0;
  virtual std::string_view version() const = 0;
  // Builds an instance from a creation request's settings; throws DvidError with DVID's texts.
  virtual std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                               const DvidConfig& config) const = 0;
};

}  // namespace dvidxfer::server
