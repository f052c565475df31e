// A labelgraph's vertices, edges and properties in the versioned store, so a graph is versioned
// like DVID's (a read at a child sees its parent's graph until the child changes it). It mirrors
// DVID's graph-on-key-value layer (storage/graphkeyvalue.go): a vertex record holds its weight
// and its neighbours in the order edges were added; an edge record, keyed by its smaller id
// first, holds its weight; properties are separate values. Not thread-safe: the labelgraph
// instance serializes changes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/versioned_store.hpp"
#include "types/labelgraph/labelgraph_json.hpp"

namespace dvidxfer::server {

struct StoredVertex {
  std::uint64_t id = 0;
  double weight = 0;
  std::vector<std::uint64_t> neighbors;
};

class GraphStore {
 public:
  GraphStore(VersionedStore& store, InstanceId instance, VersionId version,
             std::span<const VersionId> ancestry)
      : store_(store), instance_(instance), version_(version), ancestry_(ancestry) {}

  std::optional<StoredVertex> vertex(std::uint64_t id) const;
  // The edge with its smaller id first, whichever order the ids come in.
  std::optional<GraphEdge> edge(std::uint64_t a, std::uint64_t b) const;
  std::vector<StoredVertex> vertices() const;  // by id
  std::vector<GraphEdge> edges() const;        // by (smaller id, larger id)

  // Writes the vertex anew: its weight, and no neighbours (its edge records stay, as in DVID).
  void add_vertex(std::uint64_t id, double weight);
  // Links both vertices and writes the edge; throws DvidError("Vertex data empty") when either
  // vertex is missing.
  void add_edge(std::uint64_t a, std::uint64_t b, double weight);
  // No-ops for a missing vertex or edge, as in DVID.
  void set_vertex_weight(std::uint64_t id, double weight);
  void set_edge_weight(std::uint64_t a, std::uint64_t b, double weight);
  // Removes the vertex with its edges and properties; nothing when the vertex is missing.
  void remove_vertex(std::uint64_t id);
  // Removes the edge and its properties and unlinks the vertices; nothing when a vertex is missing.
  void remove_edge(std::uint64_t a, std::uint64_t b);
  void remove_graph();

  // Property values are raw bytes; a missing one reads as empty, as DVID answered it.
  std::string vertex_property(std::uint64_t id, const std::string& name) const;
  std::string edge_property(std::uint64_t a, std::uint64_t b, const std::string& name) const;
  // Stored only when the vertex (edge) exists, as in DVID.
  void set_vertex_property(std::uint64_t id, const std::string& name, std::string value);
  void set_edge_property(std::uint64_t a, std::uint64_t b, const std::string& name,
                         std::string value);
  void remove_vertex_property(std::uint64_t id, const std::string& name);
  void remove_edge_property(std::uint64_t a, std::uint64_t b, const std::string& name);

 private:
  void put_vertex(const StoredVertex& vertex);
  // Tombstones every live key that starts with `prefix`.
  void erase_prefixed(const std::string& prefix);

  VersionedStore& store_;
  InstanceId instance_;
  VersionId version_;
  std::span<const VersionId> ancestry_;
};

}  // namespace dvidxfer::server
