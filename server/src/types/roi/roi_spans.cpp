#include "types/roi/roi_spans.hpp"

#include <algorithm>
#include <cstring>

namespace dvidxfer::server {

void sort_spans(std::vector<RoiSpan>& spans) {
  std::sort(spans.begin(), spans.end());
  spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
}

std::string serialize_spans(const std::vector<RoiSpan>& spans) {
  std::string out;
  out.reserve(spans.size() * 16);
  for (const RoiSpan& span : spans)
    for (std::int32_t value : span) {
      const auto bits = static_cast<std::uint32_t>(value);
      for (int i = 0; i < 4; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
    }
  return out;
}

std::vector<RoiSpan> deserialize_spans(std::string_view bytes) {
  std::vector<RoiSpan> spans(bytes.size() / 16);
  for (std::size_t i = 0; i < spans.size(); ++i)
    for (std::size_t j = 0; j < 4; ++j) {
      std::uint32_t bits = 0;
      for (int k = 3; k >= 0; --k)
        bits = (bits << 8) | static_cast<unsigned char>(bytes[i * 16 + j * 4 + k]);
      spans[i][j] = static_cast<std::int32_t>(bits);
    }
  return spans;
}

RoiBlockSet::RoiBlockSet(std::vector<RoiSpan> spans) : spans_(std::move(spans)) {
  sort_spans(spans_);
}

bool RoiBlockSet::contains(const Point3& block) const {
  // Spans may overlap (DVID stores them as given), so look at every span of the row that
  // starts at or before x.
  const RoiSpan probe{block.z, block.y, block.x, INT32_MAX};
  auto it = std::upper_bound(spans_.begin(), spans_.end(), probe);
  while (it != spans_.begin()) {
    --it;
    if ((*it)[0] != block.z || (*it)[1] != block.y) return false;
    if ((*it)[3] >= block.x) return true;
  }
  return false;
}

}  // namespace dvidxfer::server
