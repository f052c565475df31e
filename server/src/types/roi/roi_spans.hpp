// An ROI's block spans: [z, y, x0, x1] runs of block coordinates along X, x0..x1 inclusive, as
// DVID's roi type stores and serves them (dvid-api.md 6).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/voxel_geometry.hpp"

namespace dvidxfer::server {

using RoiSpan = std::array<std::int32_t, 4>;  // z, y, x0, x1

// DVID's order for GET .../roi: by z, then y, then x0, then x1; identical spans once, since
// DVID keys each span by its (z, y, x0, length).
void sort_spans(std::vector<RoiSpan>& spans);

// The stored form: four int32 LE per span.
std::string serialize_spans(const std::vector<RoiSpan>& spans);
std::vector<RoiSpan> deserialize_spans(std::string_view bytes);

// Membership of block coordinates in a set of spans; sorts its own copy, answers in O(log n).
class RoiBlockSet {
 public:
  explicit RoiBlockSet(std::vector<RoiSpan> spans);
  bool contains(const Point3& block) const;

 private:
  std::vector<RoiSpan> spans_;  // sorted
};

}  // namespace dvidxfer::server
