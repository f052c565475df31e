#include "types/labelgraph/labelgraph_instance.hpp"

#include <fmt/format.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <unordered_set>

#include "dvid/dvid_errors.hpp"
#include "dvid/voxel_geometry.hpp"
#include "gocompat/go_format.hpp"
#include "types/labelgraph/labelgraph_json.hpp"
#include "types/labelgraph/labelgraph_store.hpp"
#include "types/labelgraph/labelgraph_transactions.hpp"

namespace dvidxfer::server {
namespace {

constexpr std::string_view kHelp =
    "API for 'labelgraph' datatype (github.com/janelia-flyem/dvid/datatype/labelgraph)\n"
    "served by the dvidxfer embedded server as DVID served it before 2023: info, subgraph\n"
    "(GET, POST[?unsafe=true], DELETE), neighbors/{vertex}, weight, merge, undomerge,\n"
    "property/{vertex}/{key} and property/{vertex1}/{vertex2}/{key} (GET, POST, DELETE), and\n"
    "propertytransaction/{edges|vertices}/{property} (GET, POST; uint64 LE binary).\n";

// Reads uint64 LE fields of a property-transaction body.
class BinaryReader {
 public:
  explicit BinaryReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t next() {
    // DVID read past the end and panicked; a short body is refused here instead.
    if (bytes_.size() - at_ < 8) throw DvidError("property transaction body ended early");
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes_[at_ + i]);
    at_ += 8;
    return value;
  }
  std::string_view take(std::uint64_t size) {
    if (size > bytes_.size() - at_) throw DvidError("property transaction body ended early");
    const std::string_view out = bytes_.substr(at_, size);
    at_ += size;
    return out;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

void append_little_endian64(std::string& out, std::uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) out += static_cast<char>((value >> shift) & 0xff);
}

// strconv.Atoi of a vertex in a URL, with DVID's one message for every failure.
std::uint64_t vertex_in_url(const std::vector<std::string>& parts, std::size_t index) {
  if (index >= parts.size()) throw DvidError("Vertex number not provided");
  const std::string& text = parts[index];
  std::string_view digits = text;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
    throw DvidError("Vertex number not provided");
  try {
    return static_cast<std::uint64_t>(parse_go_int(text, 64));
  } catch (const DvidError&) {
    throw DvidError("Vertex number not provided");
  }
}

class LabelgraphInstance final : public DataInstance {
 public:
  using DataInstance::DataInstance;

  // DVID's labelgraph has no "Extended" properties.
  std::string info_json() const override { return "{\"Base\":" + base_json() + "}"; }

  HttpResponse serve(InstanceRequest& request) override {
    const HttpRequest& http = request.http;
    if (http.method == "PUT") return bad_request(http, "PUT requests not supported");
    const std::string& keyword = request.keyword();
    if (keyword == "help") return HttpResponse::text(200, std::string(kHelp) + "\n");
    if (keyword == "info") return HttpResponse::json(info_json());
    if (keyword == "subgraph") return subgraph(request);
    if (keyword == "neighbors") {
      if (http.method != "GET") return bad_request(http, "Only supports GETs");
      return neighbors(request);
    }
    if (keyword == "merge" || keyword == "weight") {
      if (http.method != "POST") return bad_request(http, "Only supports POSTs");
      const LabelGraph graph = parse_label_graph(http.body, true);
      return keyword == "merge" ? merge(request, graph) : weight(request, graph);
    }
    if (keyword == "propertytransaction") return property_transaction(request);
    if (keyword == "property") return property(request);
    if (keyword == "undomerge") return bad_request(http, "undomerge not yet implemented");
    return bad_api_call(request);
  }

 private:
  GraphStore graph(InstanceRequest& request) const {
    return GraphStore(request.store, id(), request.version, request.ancestry);
  }

  // Marks a /subgraph call in progress; DVID refused a second one instead of waiting.
  class BulkClaim {
   public:
    explicit BulkClaim(std::atomic<bool>& busy) : busy_(busy) {
      if (busy_.exchange(true)) throw DvidError("Server busy with bulk transaction");
    }
    ~BulkClaim() { busy_.store(false); }
    BulkClaim(const BulkClaim&) = delete;
    BulkClaim& operator=(const BulkClaim&) = delete;

   private:
    std::atomic<bool>& busy_;
  };

  HttpResponse subgraph(InstanceRequest& request) {
    const HttpRequest& http = request.http;
    const LabelGraph listed = parse_label_graph(http.body, http.query_value("unsafe") != "true");
    BulkClaim claim(bulk_busy_);
    std::lock_guard lock(graph_mutex_);
    GraphStore store = graph(request);
    if (http.method == "GET") {
      std::vector<GraphVertex> vertices;
      std::vector<GraphEdge> edges;
      if (listed.vertices.empty()) {
        for (const StoredVertex& vertex : store.vertices())
          vertices.push_back({vertex.id, vertex.weight});
        edges = store.edges();
      } else {
        // Edges to vertices listed earlier were sent with those vertices.
        std::unordered_set<std::uint64_t> used;
        for (const GraphVertex& wanted : listed.vertices) {
          used.insert(wanted.id);
          const std::optional<StoredVertex> vertex = store.vertex(wanted.id);
          if (!vertex)
            throw DvidError(
                fmt::format("Failed to retrieve vertix {}: Vertex data empty\n", wanted.id));
          vertices.push_back({vertex->id, vertex->weight});
          for (std::uint64_t neighbor : vertex->neighbors) {
            if (used.contains(neighbor)) continue;
            const std::optional<GraphEdge> edge = store.edge(vertex->id, neighbor);
            if (!edge)
              throw DvidError(fmt::format("Failed to retrieve edge {}-{}: Edge data empty\n",
                                          vertex->id, neighbor));
            edges.push_back(*edge);
          }
        }
      }
      return HttpResponse::json(label_graph_json(vertices, edges, {}));
    }
    if (http.method == "POST") {
      for (const GraphVertex& vertex : listed.vertices) store.add_vertex(vertex.id, vertex.weight);
      for (const GraphEdge& edge : listed.edges) {
        try {
          store.add_edge(edge.id1, edge.id2, edge.weight);
        } catch (const DvidError& error) {
          throw DvidError(std::string("Failed to add edge: ") + error.what() + "\n");
        }
      }
      return HttpResponse{};
    }
    if (http.method == "DELETE") {
      if (listed.vertices.empty() && listed.edges.empty()) {
        store.remove_graph();
      } else {
        for (const GraphVertex& vertex : listed.vertices) store.remove_vertex(vertex.id);
        for (const GraphEdge& edge : listed.edges) store.remove_edge(edge.id1, edge.id2);
      }
      return HttpResponse{};
    }
    throw DvidError("Does not support PUT");
  }

  HttpResponse neighbors(InstanceRequest& request) {
    const std::uint64_t center = vertex_in_url(request.parts, 4);
    std::lock_guard lock(graph_mutex_);
    GraphStore store = graph(request);
    const std::optional<StoredVertex> vertex = store.vertex(center);
    if (!vertex)
      throw DvidError(fmt::format("Failed to retrieve vertix {}: Vertex data empty\n", center));
    std::vector<GraphVertex> vertices{{vertex->id, vertex->weight}};
    std::vector<GraphEdge> edges;
    for (std::uint64_t neighbor : vertex->neighbors) {
      const std::optional<StoredVertex> other = store.vertex(neighbor);
      if (!other)
        throw DvidError(fmt::format("Failed to retrieve vertex {}: Vertex data empty\n", neighbor));
      vertices.push_back({other->id, other->weight});
      const std::optional<GraphEdge> edge = store.edge(center, neighbor);
      if (!edge)
        throw DvidError(
            fmt::format("Failed to retrieve edge {}-{}: Edge data empty\n", neighbor, neighbor));
      edges.push_back(*edge);
    }
    // DVID built this graph from nil slices: no transactions and, without neighbours, no edges.
    return HttpResponse::json(label_graph_json(vertices, edges, {true, true}));
  }

  // Weights in the body are increments. One lock over the whole request makes concurrent
  // increments add up exactly, as DVID's vertex locking did.
  HttpResponse weight(InstanceRequest& request, const LabelGraph& increments) {
    std::set<std::uint64_t> touched;
    for (const GraphVertex& vertex : increments.vertices)
      if (vertex.id != 0) touched.insert(vertex.id);
    for (const GraphEdge& edge : increments.edges)
      if (edge.id1 != 0) touched.insert({edge.id1, edge.id2});
    // DVID meant to refuse this ("Could not create transaction group") but dereferenced the
    // missing group and panicked; the intended 400 is answered here.
    if (touched.size() > kMaxTransactionVertices)
      throw DvidError("Could not create transaction group");
    std::lock_guard lock(graph_mutex_);
    GraphStore store = graph(request);
    for (const GraphVertex& vertex : increments.vertices) {
      if (vertex.id == 0) continue;
      if (const std::optional<StoredVertex> stored = store.vertex(vertex.id)) {
        store.set_vertex_weight(vertex.id, stored->weight + vertex.weight);
      } else {
        store.add_vertex(vertex.id, vertex.weight);
      }
    }
    for (const GraphEdge& edge : increments.edges) {
      if (edge.id1 == 0) continue;
      if (const std::optional<GraphEdge> stored = store.edge(edge.id1, edge.id2)) {
        store.set_edge_weight(edge.id1, edge.id2, stored->weight + edge.weight);
        continue;
      }
      try {
        store.add_edge(edge.id1, edge.id2, edge.weight);
      } catch (const DvidError& error) {
        throw DvidError(std::string("Failed to add edge: ") + error.what() + "\n");
      }
    }
    return HttpResponse{};
  }

  // Merges every listed vertex into the last one (DVID's handleMerge).
  HttpResponse merge(InstanceRequest& request, const LabelGraph& listed) {
    const std::size_t count = listed.vertices.size();
    if (count < 2) throw DvidError("Must specify at least two vertices for merging");
    std::lock_guard lock(graph_mutex_);
    GraphStore store = graph(request);
    std::map<std::uint64_t, double> overlap;  // neighbour -> summed edge weight to the merged set
    std::unordered_set<std::uint64_t> merged, kept_neighbors;
    double vertex_weight = 0;
    StoredVertex keep;
    auto edge_weight = [&](std::uint64_t a, std::uint64_t b) {
      const std::optional<GraphEdge> edge = store.edge(a, b);
      if (!edge)
        throw DvidError(fmt::format("Failed to retrieve edge {}-{}: Edge data empty\n", a, b));
      return edge->weight;
    };
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t id = listed.vertices[i].id;
      const std::optional<StoredVertex> vertex = store.vertex(id);
      if (!vertex)
        throw DvidError(fmt::format("Failed to retrieve vertex {}: Vertex data empty\n", id));
      merged.insert(vertex->id);
      vertex_weight += vertex->weight;
      if (i == count - 1) {
        keep = *vertex;
      } else {
        for (std::uint64_t neighbor : vertex->neighbors)
          overlap[neighbor] += edge_weight(vertex->id, neighbor);
      }
    }
    for (std::uint64_t neighbor : keep.neighbors) {
      overlap[neighbor] += edge_weight(keep.id, neighbor);
      kept_neighbors.insert(neighbor);
    }
    // Listed edges from the kept vertex set that edge's weight, even 0.
    for (const GraphEdge& edge : listed.edges) {
      const std::uint64_t other = edge.id1 == keep.id ? edge.id2 : edge.id1;
      const std::uint64_t base = edge.id1 == keep.id ? edge.id1 : edge.id2;
      if (base == keep.id && overlap.contains(other)) overlap[other] = edge.weight;
    }
    if (listed.vertices.back().weight != 0) vertex_weight = listed.vertices.back().weight;
    for (const auto& [neighbor, weight] : overlap) {
      if (merged.contains(neighbor)) continue;
      if (kept_neighbors.contains(neighbor)) {
        store.set_edge_weight(keep.id, neighbor, weight);
      } else {
        store.add_edge(keep.id, neighbor, weight);
      }
    }
    store.set_vertex_weight(keep.id, vertex_weight);
    for (std::size_t i = 0; i + 1 < count; ++i) store.remove_vertex(listed.vertices[i].id);
    return HttpResponse{};
  }

  HttpResponse property(InstanceRequest& request) {
    const HttpRequest& http = request.http;
    const std::size_t arguments = request.parts.size() - 4;
    if (arguments != 2 && arguments != 3)
      throw DvidError("Incorrect number of parameters specified for handling properties");
    const bool edge_mode = arguments == 3;
    const std::string& name = request.parts.back();
    const std::uint64_t first = vertex_in_url(request.parts, 4);
    const std::uint64_t second = edge_mode ? vertex_in_url(request.parts, 5) : 0;
    std::lock_guard lock(graph_mutex_);
    GraphStore store = graph(request);
    if (http.method == "DELETE") {
      if (edge_mode) {
        store.remove_edge_property(first, second, name);
      } else {
        store.remove_vertex_property(first, name);
      }
    } else if (http.method == "GET" || http.method == "HEAD") {
      // A missing property reads as no bytes, as DVID's storage answered it.
      return HttpResponse::octets(edge_mode ? store.edge_property(first, second, name)
                                            : store.vertex_property(first, name));
    } else if (http.method == "POST") {
      if (edge_mode) {
        store.set_edge_property(first, second, name, http.body);
      } else {
        store.set_vertex_property(first, name, http.body);
      }
    }
    return HttpResponse{};
  }

  HttpResponse property_transaction(InstanceRequest& request) {
    const HttpRequest& http = request.http;
    if (request.parts.size() < 6)
      throw DvidError("Must specify edges or vertices in URI and property name");
    if (http.method == "DELETE") throw DvidError("Transactional delete not supported");
    const std::string& kind = request.parts[4];
    if (kind != "edges" && kind != "vertices")
      throw DvidError("Must specify edges or vertices in URI");
    const bool edge_mode = kind == "edges";
    const std::string& name = request.parts[5];
    const bool read_only = http.method == "GET" || http.method == "HEAD";

    BinaryReader body(http.body);
    std::vector<GraphTransaction> vertices(body.next());
    if (vertices.size() > kMaxTransactionVertices)
      // DVID also dereferenced the missing group here and panicked.
      throw DvidError(
          "Failed to create property transaction: Do not support transaction with over 1000 "
          "ids");
    for (GraphTransaction& vertex : vertices) {
      vertex.id = body.next();
      vertex.trans = body.next();
    }
    const TransactionGroup group = transactions_.open(vertices, read_only);
    std::string out = group.binary();
    const std::uint64_t count = body.next();
    std::lock_guard lock(graph_mutex_);
    GraphStore store = graph(request);
    if (!read_only) {
      for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t first = body.next();
        const std::uint64_t second = edge_mode ? body.next() : 0;
        const std::string_view value = body.take(body.next());
        if (value.empty() || !group.locked(first) || (edge_mode && !group.locked(second))) continue;
        if (edge_mode) {
          store.set_edge_property(first, second, name, std::string(value));
        } else {
          store.set_vertex_property(first, name, std::string(value));
        }
      }
      return HttpResponse::octets(std::move(out));
    }
    std::string records;
    std::uint64_t returned = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t first = body.next();
      const std::uint64_t second = edge_mode ? body.next() : 0;
      if (!group.locked(first) || (edge_mode && !group.locked(second))) continue;
      const std::string value =
          edge_mode ? store.edge_property(first, second, name) : store.vertex_property(first, name);
      ++returned;
      append_little_endian64(records, first);
      if (edge_mode) append_little_endian64(records, second);
      append_little_endian64(records, value.size());
      records += value;
    }
    append_little_endian64(out, returned);
    return HttpResponse::octets(out + records);
  }

  std::mutex graph_mutex_;  // serializes every read-modify-write of the graph
  std::atomic<bool> bulk_busy_{false};
  TransactionLog transactions_;
};

}  // namespace

std::unique_ptr<DataInstance> LabelgraphType::create(InstanceIdentity identity,
                                                     const DvidConfig& config) const {
  return std::make_unique<LabelgraphInstance>(
      *this, std::move(identity), parse_common_settings(config, "LZ4 compression, level -1"));
}

}  // namespace dvidxfer::server
