// LoadClient: one of the load test's clients, a pipeline worker with its own NodeService (its own
// I/O thread and connections) doing one call at a time: keyvalue put/get/keys and grayscale and
// label volume put/get on objects only it writes. It records every write's outcome in a ledger
// and checks every answer it gets against it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "dvidxfer/node_service.hpp"
#include "load_layout.hpp"
#include "load_tally.hpp"
#include "write_ledger.hpp"

namespace dvidxfer::load {

class LoadClient {
 public:
  LoadClient(int id, NodeService node, const LoadLayout& layout, std::uint64_t seed);

  // Runs random operations until `end` (the one under way when it passes is finished).
  void run_until(std::chrono::steady_clock::time_point end);

  // Reads back every object it wrote through `reader` and judges each against its ledger.
  void verify(NodeService& reader, FinalCheck& check) const;

  const LoadTally& tally() const noexcept { return tally_; }
  ClientStatistics statistics() const noexcept { return node_.statistics(); }
  // The operation under way ("idle" between them), for the report of a hang.
  const char* current_operation() const noexcept { return current_.load(); }

 private:
  // One volume as this client sees it: its region, a ledger per block, how to put and get.
  struct Volume {
    Operation put_operation, get_operation;
    std::string instance;
    VolumeRegion region;
    std::vector<WriteLedger> blocks;
  };

  void kv_put();
  void kv_get();
  void kv_keys();
  template <class T>
  void volume_put(Volume& volume);
  template <class T>
  void volume_get(Volume& volume);

  // Judges each block a box read from `volume` touches (its voxels inside the box) against the
  // block's ledger, and tells `sink`.
  using BlockVerdictSink = std::function<void(const Point3& block, const WriteLedger&, Verdict)>;
  template <class T>
  void judge_box(const Volume& volume, const T* voxels, const Point3& offset, const Shape3& shape,
                 const BlockVerdictSink& sink) const;

  void failed(Operation operation, const std::exception& error);
  void wrong_read(std::string description);

  int id_;
  NodeService node_;
  const LoadLayout& layout_;
  std::mt19937_64 random_;
  std::uint64_t next_seq_ = 1;
  std::vector<WriteLedger> kv_;
  Volume gray_;
  Volume labels_;
  LoadTally tally_;
  std::atomic<const char*> current_{"idle"};
};

}  // namespace dvidxfer::load
