// Label-graph primitives: vertices (bodies) and weighted edges between them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace dvidxfer {

struct Vertex {
  std::uint64_t id = 0;
  double weight = 0;  // typically the body's size in voxels
  friend bool operator==(const Vertex&, const Vertex&) = default;
};

// An undirected edge: (a, b) and (b, a) are the same edge, for equality and for hashing alike.
struct Edge {
  std::uint64_t id1 = 0;
  std::uint64_t id2 = 0;
  double weight = 0;
  friend bool operator==(const Edge& a, const Edge& b) {
    const bool same_ends = (a.id1 == b.id1 && a.id2 == b.id2) || (a.id1 == b.id2 && a.id2 == b.id1);
    return same_ends && a.weight == b.weight;
  }
};

struct Graph {
  std::vector<Vertex> vertices;
  std::vector<Edge> edges;
};

}  // namespace dvidxfer

template <>
struct std::hash<dvidxfer::Edge> {
  // Agrees with operator==: the endpoints are hashed in sorted order.
  std::size_t operator()(const dvidxfer::Edge& edge) const noexcept {
    const auto low = std::min(edge.id1, edge.id2), high = std::max(edge.id1, edge.id2);
    std::size_t h = std::hash<std::uint64_t>{}(low);
    h ^= std::hash<std::uint64_t>{}(high) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h ^ (std::hash<double>{}(edge.weight) << 1);
  }
};
