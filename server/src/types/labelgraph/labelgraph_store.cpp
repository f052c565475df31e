#include "types/labelgraph/labelgraph_store.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "dvid/dvid_errors.hpp"

namespace dvidxfer::server {
namespace {

// Key tags, in DVID's order: vertices, edges, vertex properties, edge properties.
constexpr char kVertexTag = 'v';
constexpr char kEdgeTag = 'e';
constexpr char kVertexPropertyTag = 'p';
constexpr char kEdgePropertyTag = 'q';

void append_big_endian64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

void append_little_endian64(std::string& out, std::uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) out += static_cast<char>((value >> shift) & 0xff);
}

std::uint64_t read_little_endian64(const char* bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::uint64_t read_big_endian64(const char* bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::string vertex_key(std::uint64_t id) {
  std::string key(1, kVertexTag);
  append_big_endian64(key, id);
  return key;
}

std::string edge_key(char tag, std::uint64_t a, std::uint64_t b) {
  std::string key(1, tag);
  append_big_endian64(key, std::min(a, b));
  append_big_endian64(key, std::max(a, b));
  return key;
}

std::string vertex_property_prefix(std::uint64_t id) {
  std::string key(1, kVertexPropertyTag);
  append_big_endian64(key, id);
  return key;
}

StoredVertex decode_vertex(std::uint64_t id, const std::string& value) {
  StoredVertex vertex{id, std::bit_cast<double>(read_little_endian64(value.data())), {}};
  for (std::size_t at = 8; at + 8 <= value.size(); at += 8)
    vertex.neighbors.push_back(read_little_endian64(value.data() + at));
  return vertex;
}

// An upper bound for the keys that start with `prefix`: property names sort below 32 0xff bytes.
std::string last_key_with(std::string prefix) {
  return prefix.append(32, '\xff');
}

}  // namespace

void GraphStore::put_vertex(const StoredVertex& vertex) {
  std::string value;
  append_little_endian64(value, std::bit_cast<std::uint64_t>(vertex.weight));
  for (std::uint64_t neighbor : vertex.neighbors) append_little_endian64(value, neighbor);
  store_.put(instance_, version_, vertex_key(vertex.id),
             std::make_shared<const std::string>(std::move(value)));
}

void GraphStore::erase_prefixed(const std::string& prefix) {
  for (const KeyValueEntry& entry :
       store_.scan(instance_, ancestry_, prefix, std::string_view(last_key_with(prefix))))
    if (entry.key.starts_with(prefix)) store_.erase(instance_, version_, entry.key);
}

std::optional<StoredVertex> GraphStore::vertex(std::uint64_t id) const {
  const StoredValue value = store_.get(instance_, ancestry_, vertex_key(id));
  if (!value) return std::nullopt;
  return decode_vertex(id, *value);
}

std::optional<GraphEdge> GraphStore::edge(std::uint64_t a, std::uint64_t b) const {
  const StoredValue value = store_.get(instance_, ancestry_, edge_key(kEdgeTag, a, b));
  if (!value) return std::nullopt;
  return GraphEdge{std::min(a, b), std::max(a, b),
                   std::bit_cast<double>(read_little_endian64(value->data()))};
}

std::vector<StoredVertex> GraphStore::vertices() const {
  std::vector<StoredVertex> out;
  const std::string first(1, kVertexTag);
  for (const KeyValueEntry& entry :
       store_.scan(instance_, ancestry_, first, std::string_view(last_key_with(first))))
    out.push_back(decode_vertex(read_big_endian64(entry.key.data() + 1), *entry.value));
  return out;
}

std::vector<GraphEdge> GraphStore::edges() const {
  std::vector<GraphEdge> out;
  const std::string first(1, kEdgeTag);
  for (const KeyValueEntry& entry :
       store_.scan(instance_, ancestry_, first, std::string_view(last_key_with(first))))
    out.push_back({read_big_endian64(entry.key.data() + 1), read_big_endian64(entry.key.data() + 9),
                   std::bit_cast<double>(read_little_endian64(entry.value->data()))});
  return out;
}

void GraphStore::add_vertex(std::uint64_t id, double weight) {
  put_vertex({id, weight, {}});
}

void GraphStore::add_edge(std::uint64_t a, std::uint64_t b, double weight) {
  std::optional<StoredVertex> first = vertex(a);
  if (!first) throw DvidError("Vertex data empty");
  std::optional<StoredVertex> second = vertex(b);
  if (!second) throw DvidError("Vertex data empty");
  for (auto [from, to] : {std::pair{&*first, b}, std::pair{&*second, a}})
    if (std::find(from->neighbors.begin(), from->neighbors.end(), to) == from->neighbors.end())
      from->neighbors.push_back(to);
  put_vertex(*first);
  // A self-edge links the vertex once; the second record is the same vertex.
  if (a != b) put_vertex(*second);
  std::string value;
  append_little_endian64(value, std::bit_cast<std::uint64_t>(weight));
  store_.put(instance_, version_, edge_key(kEdgeTag, a, b),
             std::make_shared<const std::string>(std::move(value)));
}

void GraphStore::set_vertex_weight(std::uint64_t id, double weight) {
  std::optional<StoredVertex> stored = vertex(id);
  if (!stored) return;
  stored->weight = weight;
  put_vertex(*stored);
}

void GraphStore::set_edge_weight(std::uint64_t a, std::uint64_t b, double weight) {
  if (!edge(a, b)) return;
  std::string value;
  append_little_endian64(value, std::bit_cast<std::uint64_t>(weight));
  store_.put(instance_, version_, edge_key(kEdgeTag, a, b),
             std::make_shared<const std::string>(std::move(value)));
}

void GraphStore::remove_vertex(std::uint64_t id) {
  const std::optional<StoredVertex> stored = vertex(id);
  if (!stored) return;
  for (std::uint64_t neighbor : stored->neighbors) remove_edge(id, neighbor);
  erase_prefixed(vertex_property_prefix(id));
  store_.erase(instance_, version_, vertex_key(id));
}

void GraphStore::remove_edge(std::uint64_t a, std::uint64_t b) {
  std::optional<StoredVertex> first = vertex(a);
  std::optional<StoredVertex> second = vertex(b);
  if (!first || !second) return;
  std::erase(first->neighbors, b);
  put_vertex(*first);
  if (a != b) {
    std::erase(second->neighbors, a);
    put_vertex(*second);
  }
  erase_prefixed(edge_key(kEdgePropertyTag, a, b));
  store_.erase(instance_, version_, edge_key(kEdgeTag, a, b));
}

void GraphStore::remove_graph() {
  for (char tag : {kVertexTag, kEdgeTag, kVertexPropertyTag, kEdgePropertyTag})
    erase_prefixed(std::string(1, tag));
}

std::string GraphStore::vertex_property(std::uint64_t id, const std::string& name) const {
  const StoredValue value = store_.get(instance_, ancestry_, vertex_property_prefix(id) + name);
  return value ? *value : std::string();
}

std::string GraphStore::edge_property(std::uint64_t a, std::uint64_t b,
                                      const std::string& name) const {
  const StoredValue value =
      store_.get(instance_, ancestry_, edge_key(kEdgePropertyTag, a, b) + name);
  return value ? *value : std::string();
}

void GraphStore::set_vertex_property(std::uint64_t id, const std::string& name, std::string value) {
  if (!vertex(id)) return;
  store_.put(instance_, version_, vertex_property_prefix(id) + name,
             std::make_shared<const std::string>(std::move(value)));
}

void GraphStore::set_edge_property(std::uint64_t a, std::uint64_t b, const std::string& name,
                                   std::string value) {
  if (!edge(a, b)) return;
  store_.put(instance_, version_, edge_key(kEdgePropertyTag, a, b) + name,
             std::make_shared<const std::string>(std::move(value)));
}

void GraphStore::remove_vertex_property(std::uint64_t id, const std::string& name) {
  if (vertex(id)) store_.erase(instance_, version_, vertex_property_prefix(id) + name);
}

void GraphStore::remove_edge_property(std::uint64_t a, std::uint64_t b, const std::string& name) {
  if (edge(a, b)) store_.erase(instance_, version_, edge_key(kEdgePropertyTag, a, b) + name);
}

}  // namespace dvidxfer::server
