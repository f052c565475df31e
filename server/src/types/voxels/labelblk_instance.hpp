// The labelblk datatype (dvid-api.md 4.1-4.4): imageblk with one uint64 LE label per voxel, raw
// volumes optionally lz4 or gzip compressed, point and batch label queries, and /blocks records.
// Synced labelvols index every written block.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "types/voxels/label_indexer.hpp"
#include "types/voxels/voxels_instance.hpp"

namespace dvidxfer::server {

class LabelblkType final : public DataType {
 public:
  std::string_view name() const override { return "labelblk"; }
  std::string_view url() const override {
    return "github.com/janelia-flyem/dvid/datatype/labelblk";
  }
  std::string_view version() const override { return "0.1"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

class LabelblkInstance final : public VoxelsInstance {
 public:
  LabelblkInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings,
                   VoxelSettings voxels);

  std::string info_json() const override;
  HttpResponse serve(InstanceRequest& request) override;

  // Makes `indexer` hear about every block written from now on (labelvol's sync).
  void add_indexer(std::weak_ptr<LabelIndexer> indexer);

 private:
  HttpResponse raw(InstanceRequest& request);
  HttpResponse slice(InstanceRequest& request, DataShape shape);
  HttpResponse read_raw(InstanceRequest& request, const Box& box);
  HttpResponse write_raw(InstanceRequest& request, const Box& box);
  HttpResponse label_at(const InstanceRequest& request);
  HttpResponse labels(const InstanceRequest& request);
  HttpResponse blocks(InstanceRequest& request);
  HttpResponse sync(const InstanceRequest& request);
  std::uint64_t label_at_point(const InstanceRequest& request, const Point3& point) const;
  std::vector<std::shared_ptr<LabelIndexer>> indexers() const;

  mutable std::mutex sync_mutex_;  // guards indexers_
  std::vector<std::weak_ptr<LabelIndexer>> indexers_;
};

}  // namespace dvidxfer::server
