// Label graphs <-> DVID's JSON {"Vertices":[{"Id","Weight"}],"Edges":[{"Id1","Id2","Weight"}]}.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "dvidxfer/graph.hpp"

namespace dvidxfer::api {

std::string encode_graph(std::span<const Vertex> vertices, std::span<const Edge> edges);

// Throws DecodeError naming `url` when the JSON is not a graph.
Graph decode_graph(std::string_view json, const std::string& url);

}  // namespace dvidxfer::api
