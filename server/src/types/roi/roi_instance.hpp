// The roi datatype (datatype/roi): a versioned set of block spans. This part serves creation,
// info, and GET/POST/DELETE .../roi, and lets voxel types mask reads and writes with ?roi=.
#pragma once

#include <optional>
#include <string_view>

#include "dvid/data_instance.hpp"
#include "types/roi/roi_spans.hpp"
#include "types/voxels/voxel_block_store.hpp"

namespace dvidxfer::server {

class RoiType final : public DataType {
 public:
  std::string_view name() const override { return "roi"; }
  std::string_view url() const override { return "github.com/janelia-flyem/dvid/datatype/roi"; }
  std::string_view version() const override { return "0.1"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

// The filter for a voxel request's roi= parameter: none when the parameter is absent or empty.
// DVID compares the data's block coordinates with the ROI's spans as they are, whatever the two
// block sizes (dvid-api.md 3.2), and reads the ROI at the request's node. Throws DvidError with
// DVID's texts for an unknown name or a non-roi instance.
std::optional<BlockFilter> roi_block_filter(const InstanceRequest& request);

}  // namespace dvidxfer::server
