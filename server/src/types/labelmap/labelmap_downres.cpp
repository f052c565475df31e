// LabelmapInstance's lower scales (dvid-api.md 5.10): after a scale-0 write, each level
// 1..MaxDownresLevel is recomputed, with DVID's rule (label_downres.hpp), for the parents of the
// blocks the level below changed, and nothing else.
#include <tbb/parallel_for.h>

#include <map>
#include <stdexcept>
#include <tuple>

#include "dvid/dvid_errors.hpp"
#include "types/labelmap/label_downres.hpp"
#include "types/labelmap/labelmap_instance.hpp"

namespace dvidxfer::server {
namespace {

struct ZyxOrder {
  bool operator()(const Point3& a, const Point3& b) const {
    return std::tie(a.z, a.y, a.x) < std::tie(b.z, b.y, b.x);
  }
};

// Each parent with the changed children it covers, by octant.
using ChangedParents = std::map<Point3, std::array<bool, 8>, ZyxOrder>;

}  // namespace

void LabelmapInstance::downres(const InstanceRequest& request, std::vector<Point3> changed) const {
  const std::uint8_t levels = max_downres_level_.load();
  const Point3& size = block_size();
  const BlockShapeZYX shape{static_cast<std::uint32_t>(size.z), static_cast<std::uint32_t>(size.y),
                            static_cast<std::uint32_t>(size.x)};
  const std::size_t voxels = shape.voxels();
  for (unsigned scale = 1; scale <= levels && !changed.empty(); ++scale) {
    ChangedParents grouped;
    for (const Point3& child : changed) {
      auto [entry, inserted] = grouped.try_emplace(parent_block_coord(child));
      if (inserted) entry->second.fill(false);
      entry->second[static_cast<std::size_t>(octant_of(child))] = true;
    }
    const std::vector<std::pair<Point3, std::array<bool, 8>>> parents(grouped.begin(),
                                                                      grouped.end());
    const auto child_scale = static_cast<std::uint8_t>(scale - 1);
    try {
      tbb::parallel_for(std::size_t{0}, parents.size(), [&](std::size_t i) {
        const auto& [parent, present] = parents[i];
        // Eight children, then the previous parent.
        thread_local std::vector<std::uint64_t> buffer;
        buffer.resize(9 * voxels);
        ChildBlocks children{};
        bool all_present = true;
        for (int octant = 0; octant < 8; ++octant) {
          all_present = all_present && present[static_cast<std::size_t>(octant)];
          if (!present[static_cast<std::size_t>(octant)]) continue;
          const Point3 child{parent.x * 2 + (octant & 1), parent.y * 2 + ((octant >> 1) & 1),
                             parent.z * 2 + ((octant >> 2) & 1)};
          std::uint64_t* into = buffer.data() + static_cast<std::size_t>(octant) * voxels;
          // Changed children were stored by this request.
          labels_.decode(labels_.get(request.store, request.ancestry, child_scale, child),
                         {into, voxels});
          children[static_cast<std::size_t>(octant)] = into;
        }
        const std::uint64_t* previous = nullptr;
        if (!all_present)
          if (StoredValue value = labels_.get(request.store, request.ancestry,
                                              static_cast<std::uint8_t>(scale), parent)) {
            labels_.decode(value, {buffer.data() + 8 * voxels, voxels});
            previous = buffer.data() + 8 * voxels;
          }
        const std::vector<std::uint64_t> block = downres_label_block(children, shape, previous);
        labels_.put(request.store, request.version, static_cast<std::uint8_t>(scale), parent,
                    labels_.encode(block));
      });
    } catch (const std::runtime_error& error) {
      throw DvidError(error.what());
    }
    changed.clear();
    for (const auto& [parent, present] : parents) changed.push_back(parent);
  }
}

}  // namespace dvidxfer::server
