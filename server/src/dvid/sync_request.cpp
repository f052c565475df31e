#include "dvid/sync_request.hpp"

#include "dvid/dvid_errors.hpp"
#include "dvid/json_body.hpp"
#include "dvid/repo_registry.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {

std::vector<std::shared_ptr<DataInstance>> synced_instances(const InstanceRequest& request) {
  const JsonBodyRules rules{[](std::string_view) { return JsonFieldKind::string; }, false, true};
  auto fields = parse_json_body(request.http.body, rules);
  if (!fields) throw DvidError("Malformed JSON request in sync request: " + fields.error());
  if (!fields->has("sync"))
    throw DvidError("Could not find 'sync' value in POSTed JSON to sync request.");
  std::vector<std::shared_ptr<DataInstance>> instances;
  const std::string names = fields->string("sync");
  if (names.empty()) return instances;
  std::string_view rest = names;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string name(rest.substr(0, comma));
    auto instance = request.registry.find_instance(request.version, name);
    if (!instance)
      throw DvidError("issue with requested sync name " + go_json_string(name) +
                      ": invalid data instance name");
    instances.push_back(std::move(instance));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return instances;
}

}  // namespace dvidxfer::server
