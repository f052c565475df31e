// NodeService's label-graph calls: weight increments in batches DVID accepts, and reads.
#include <fmt/format.h>

#include <unordered_set>

#include "client_core.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "graph_json.hpp"
#include "instance_creation.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

// DVID locks every vertex a transaction touches and refuses more than this many.
constexpr std::size_t kMaxVerticesPerTransaction = 1000;

engine::Request graph_request(ClientCore* core, const std::string& uuid, const std::string& graph,
                              std::string_view keyword) {
  api::require_instance_name(graph);
  engine::Request request;
  request.target =
      core->target(UrlBuilder("/api/node").segment(uuid).segment(graph).literal(keyword));
  request.headers = {{"Content-Type", "application/json"}};
  return request;
}

asio::awaitable<void> post_increment(ClientCore* core, engine::Request request) {
  co_await core->call(std::move(request));
}

asio::awaitable<Graph> fetch_graph(ClientCore* core, engine::Request request) {
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  co_return api::decode_graph(response.body, url);
}

// Sends each batch as one weight increment, all in flight at once over the pool; waits for all
// before reporting the first failure, so no request is left running behind the exception.
void post_batches(ClientCore* core, const engine::Request& prototype,
                  const std::vector<std::string>& bodies) {
  std::vector<std::future<void>> sent;
  sent.reserve(bodies.size());
  for (const auto& body : bodies) {
    auto request = prototype;
    request.method = "POST";
    request.body = body;
    request.idempotent = false;  // an increment sent twice counts twice
    sent.push_back(core->spawn(post_increment(core, std::move(request))));
  }
  std::exception_ptr first_failure;
  for (auto& future : sent) {
    try {
      future.get();
    } catch (...) {
      if (!first_failure) first_failure = std::current_exception();
    }
  }
  if (first_failure) std::rethrow_exception(first_failure);
}

}  // namespace

bool NodeService::create_graph(const std::string& name) {
  api::require_instance_name(name);
  return core_->spawn(api::create_instance(core_.get(), uuid_, "labelgraph", name, {})).get();
}

void NodeService::update_vertices(const std::string& graph_name,
                                  const std::vector<Vertex>& vertices) {
  const auto prototype = graph_request(core_.get(), uuid_, graph_name, "/weight");
  std::vector<std::string> bodies;
  for (std::size_t at = 0; at < vertices.size(); at += kMaxVerticesPerTransaction) {
    const auto count = std::min(kMaxVerticesPerTransaction, vertices.size() - at);
    bodies.push_back(api::encode_graph(std::span(vertices).subspan(at, count), {}));
  }
  post_batches(core_.get(), prototype, bodies);
}

void NodeService::update_edges(const std::string& graph_name, const std::vector<Edge>& edges) {
  const auto prototype = graph_request(core_.get(), uuid_, graph_name, "/weight");
  std::vector<std::string> bodies;
  std::unordered_set<std::uint64_t> touched;
  std::size_t batch_start = 0;
  for (std::size_t i = 0; i <= edges.size(); ++i) {
    const bool last = i == edges.size();
    bool fits = !last;
    if (fits) {
      const std::size_t added = !touched.contains(edges[i].id1) +
                                (edges[i].id1 != edges[i].id2 && !touched.contains(edges[i].id2));
      fits = touched.size() + added <= kMaxVerticesPerTransaction;
    }
    if (!fits && i > batch_start) {
      bodies.push_back(
          api::encode_graph({}, std::span(edges).subspan(batch_start, i - batch_start)));
      batch_start = i;
      touched.clear();
    }
    if (!last) {
      touched.insert(edges[i].id1);
      touched.insert(edges[i].id2);
    }
  }
  post_batches(core_.get(), prototype, bodies);
}

Graph NodeService::get_subgraph(const std::string& graph_name,
                                const std::vector<Vertex>& vertices) {
  auto request = graph_request(core_.get(), uuid_, graph_name, "/subgraph");
  if (!vertices.empty())
    request.body = api::encode_graph(vertices, {});  // a GET with a body, as DVID wants
  return core_->spawn(fetch_graph(core_.get(), std::move(request))).get();
}

Graph NodeService::get_vertex_neighbors(const std::string& graph_name, std::uint64_t vertex_id) {
  auto request =
      graph_request(core_.get(), uuid_, graph_name, "/neighbors/" + std::to_string(vertex_id));
  return core_->spawn(fetch_graph(core_.get(), std::move(request))).get();
}

}  // namespace dvidxfer
