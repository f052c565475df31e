#include "dvid/node_handlers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "dvid/dvid_errors.hpp"
#include "dvid/json_body.hpp"
#include "dvid/repo_handlers.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

// The body of commit/newversion/branch/tag: a struct of string fields (commit's "log" a list).
Result<JsonFields, std::string> parse_node_body(const HttpRequest& request, bool required) {
  JsonBodyRules rules{[](std::string_view name) {
                        if (name == "log") return JsonFieldKind::string_list;
                        if (name == "note" || name == "uuid" || name == "branch" || name == "tag")
                          return JsonFieldKind::string;
                        return JsonFieldKind::ignored;
                      },
                      true, !required};
  auto fields = parse_json_body(request.body, rules);
  if (!fields) return fail("Malformed JSON request in body: " + fields.error());
  return fields;
}

// dvid.StringToUUID: exactly 32 hexadecimal digits.
std::optional<std::string> uuid_error(const std::string& uuid) {
  if (uuid.size() != 32) return "UUID must be 32 character hexadecimal string";
  for (char c : uuid)
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return fmt::format("encoding/hex: invalid byte: U+{:04X} {}", static_cast<unsigned char>(c),
                         fmt::format("'{}'", c));
  return std::nullopt;
}

HttpResponse child_response(const std::string& child) {
  return HttpResponse::json("{\"child\": " + go_json_string(child) + "}");
}

// newversion and branch: a child of the node, on `branch` ("" continues the parent's).
HttpResponse create_child(const HttpRequest& request, ServerContext& context, const NodeRef& node,
                          bool branching) {
  auto fields = parse_node_body(request, false);
  if (!fields) return bad_request(request, fields.error());
  std::optional<std::string> assigned;
  if (const std::string uuid = fields->string("uuid"); !uuid.empty()) {
    if (auto error = uuid_error(uuid)) return bad_request(request, "Bad UUID provided: " + *error);
    assigned = uuid;
  }
  const std::string branch = branching ? fields->string("branch") : "";
  if (branching && (branch.empty() || branch == "master"))
    return bad_request(request, "Cannot create a master branch");
  return child_response(
      context.registry.new_version(node.version, fields->string("note"), branch, assigned).uuid);
}

}  // namespace

HttpResponse node_status(const ServerContext& context, const NodeRef& node) {
  return HttpResponse::json(
      fmt::format("{{\"Locked\":{}}}", context.registry.locked(node.version)));
}

HttpResponse commit_node(const HttpRequest& request, ServerContext& context, const NodeRef& node) {
  if (context.registry.locked(node.version))
    return bad_request(request, "Could not post to locked node");
  auto fields = parse_node_body(request, true);
  if (!fields) return bad_request(request, fields.error());
  context.registry.commit(node.version, fields->string("note"), fields->list("log"));
  return HttpResponse::json("{\"committed\": " + go_json_string(node.uuid) + "}");
}

HttpResponse new_version(const HttpRequest& request, ServerContext& context, const NodeRef& node) {
  return create_child(request, context, node, false);
}

HttpResponse new_branch(const HttpRequest& request, ServerContext& context, const NodeRef& node) {
  return create_child(request, context, node, true);
}

HttpResponse tag_node(const HttpRequest& request, ServerContext& context, const NodeRef& node) {
  // A tag is a committed child on branch "tag-<tag>" whose UUID is the tag itself.
  auto fields = parse_node_body(request, false);
  if (!fields) return bad_request(request, fields.error());
  const std::string tag = fields->string("tag");
  if (tag.empty()) return bad_request(request, "tag must be a non-empty string");
  const NodeRef tagged =
      context.registry.new_version(node.version, fields->string("note"), "tag-" + tag, tag);
  context.registry.commit(
      tagged.version, fmt::format("Tag of version {} with {}", node.uuid, go_json_string(tag)), {});
  return child_response(tagged.uuid);
}

HttpResponse node_note(const ServerContext& context, const NodeRef& node) {
  return HttpResponse::json("{\"note\":" + go_json_string(context.registry.note(node.version)) +
                            "}");
}

HttpResponse set_node_note(const HttpRequest& request, ServerContext& context,
                           const NodeRef& node) {
  JsonBodyRules rules{[](std::string_view) { return JsonFieldKind::string; }, false, true};
  auto fields = parse_json_body(request.body, rules);
  if (!fields) return bad_request(request, "Malformed JSON request in body: " + fields.error());
  // As in DVID, a body without "note" is refused yet still clears the note.
  context.registry.set_note(node.version, fields->string("note"));
  if (!fields->has("note"))
    return bad_request(request, "Could not find 'note' value in POSTed JSON.");
  return HttpResponse{};
}

HttpResponse node_log(const ServerContext& context, const NodeRef& node) {
  return HttpResponse::json(log_json(context.registry.node_log(node.version)));
}

HttpResponse append_node_log(const HttpRequest& request, ServerContext& context,
                             const NodeRef& node) {
  return post_log(request, [&](const std::vector<std::string>& messages) {
    context.registry.append_node_log(node.version, messages);
  });
}

}  // namespace dvidxfer::server
