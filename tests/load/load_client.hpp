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

  // Overwrites three of its objects (a key, a grayscale block, a labels block) with values the
  // read-back must reject: a stale block (or, never acknowledged, a foreign one) and values no
  // write of its left. Shows that verify() catches what it is there to catch. Returns 3.
  int plant_wrong_values(NodeService& writer) const;

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

  // What a volume write sends, planned before the call.
  template <class T>
  struct PlannedPut {
    Box box;
    std::uint64_t seq = 0;
    std::vector<T> voxels;
    bool throttle = false, compress = false;
    TransferOptions options;
  };
  struct PlannedGet {
    Box box;
    bool throttle = false, compress = false;
    TransferOptions options;
  };

  // Each operation picks its object and arguments, runs the call, and settles it: `wait` runs
  // the blocking call or waits for the future, and its outcome goes to the ledger and the tally.
  void kv_put();
  void settle_kv_put(int index, std::uint64_t seq, const std::function<void()>& wait);
  void kv_get();
  void settle_kv_get(int index, const std::function<std::string()>& wait);
  void kv_keys();
  template <class T>
  void volume_put(Volume& volume);
  template <class T>
  void settle_put(Volume& volume, const PlannedPut<T>& put, const std::function<void()>& wait);
  template <class T>
  void volume_get(Volume& volume);
  template <class T>
  void settle_get(const Volume& volume, const PlannedGet& get,
                  const std::function<const T*()>& wait);
  // Four calls on distinct objects in flight at once through the future-based API.
  void pipelined_step();

  template <class T>
  PlannedPut<T> plan_put(const Volume& volume);
  PlannedGet plan_get(const Volume& volume, std::size_t voxel_bytes);
  // Chunking and cancellation of a volume call, drawn at random.
  TransferOptions plan_options(const VolumeRegion& region, std::size_t voxel_bytes);

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
