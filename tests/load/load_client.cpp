#include "load_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "dvidxfer/errors.hpp"
#include "payloads.hpp"

namespace dvidxfer::load {
namespace {

using Clock = std::chrono::steady_clock;

// ---- what each voxel type is and how it travels ------------------------------------------------

template <class T>
T expected_voxel(int client, std::uint64_t seq, const Point3& point);
template <>
std::uint8_t expected_voxel<std::uint8_t>(int client, std::uint64_t seq, const Point3& point) {
  return gray_voxel(client, seq, point);
}
template <>
std::uint64_t expected_voxel<std::uint64_t>(int client, std::uint64_t seq, const Point3& point) {
  return label_voxel(client, seq, point);
}

void put_voxels(NodeService& node, const std::string& instance,
                std::span<const std::uint8_t> voxels, const Box& box, bool throttle, bool compress,
                const TransferOptions& options) {
  node.put_gray3D(instance, voxels, box.shape, box.offset, throttle, compress, options);
}
void put_voxels(NodeService& node, const std::string& instance,
                std::span<const std::uint64_t> voxels, const Box& box, bool throttle, bool compress,
                const TransferOptions& options) {
  node.put_labels3D(instance, voxels, box.shape, box.offset, throttle, compress, "", false,
                    options);
}
void get_voxels(NodeService& node, const std::string& instance, const Box& box,
                std::span<std::uint8_t> out, bool throttle, bool compress,
                const TransferOptions& options) {
  node.get_gray3D(instance, box.shape, box.offset, out, throttle, compress, "", options);
}
void get_voxels(NodeService& node, const std::string& instance, const Box& box,
                std::span<std::uint64_t> out, bool throttle, bool compress,
                const TransferOptions& options) {
  node.get_labels3D(instance, box.shape, box.offset, out, throttle, compress, "", options);
}

// ---- boxes
// ---------------------------------------------------------------------------------------

bool overlaps(const Box& a, const Box& b) {
  for (int axis = 0; axis < 3; ++axis) {
    if (a.offset[axis] >= b.offset[axis] + b.shape[axis]) return false;
    if (b.offset[axis] >= a.offset[axis] + a.shape[axis]) return false;
  }
  return true;
}

Box block_box(const VolumeRegion& region, const Point3& block) {
  Box box;
  for (int axis = 0; axis < 3; ++axis) {
    box.offset[axis] = region.origin[axis] + block[axis] * region.block_size;
    box.shape[axis] = region.block_size;
  }
  return box;
}

// Calls visit(block (z, y, x) in the region) for each block of the region that `box` touches.
void for_each_block(const VolumeRegion& region, const Box& box,
                    const std::function<void(const Point3&)>& visit) {
  Point3 first{}, last{};
  for (int axis = 0; axis < 3; ++axis) {
    first[axis] = (box.offset[axis] - region.origin[axis]) / region.block_size;
    last[axis] = (box.offset[axis] + box.shape[axis] - 1 - region.origin[axis]) / region.block_size;
  }
  for (auto z = first[0]; z <= last[0]; ++z)
    for (auto y = first[1]; y <= last[1]; ++y)
      for (auto x = first[2]; x <= last[2]; ++x) visit({z, y, x});
}

std::string zyx(const Point3& p) {
  return fmt::format("({}, {}, {})", p[0], p[1], p[2]);
}

// ---- why a call failed
// ---------------------------------------------------------------------------


std::string failure_reason(const std::exception& error) {
  if (const auto* volume = dynamic_cast<const VolumeTransferError*>(&error))
    return volume->cancelled()     ? std::string("cancelled by its caller")
           : volume->status() != 0 ? fmt::format("chunk HTTP {}", volume->status())
                                   : std::string("chunk transport error");
  if (const auto* http = dynamic_cast<const HttpError*>(&error))
    return fmt::format("HTTP {}", http->status());
  if (const auto* transport = dynamic_cast<const TransportError*>(&error))
    return fmt::format("transport: {}", to_string(transport->kind()));
  if (dynamic_cast<const DecodeError*>(&error)) return "decode error";
  return fmt::format("unexpected exception: {}", std::string(error.what()).substr(0, 160));
}

bool well_formed_key(const std::string& key) {
  // "c<4 digits>-k<2 digits>"
  if (key.size() != 9 || key[0] != 'c' || key[5] != '-' || key[6] != 'k') return false;
  return std::all_of(key.begin() + 1, key.begin() + 5, ::isdigit) &&
         std::all_of(key.begin() + 7, key.end(), ::isdigit);
}

}  // namespace

LoadClient::LoadClient(int id, NodeService node, const LoadLayout& layout, std::uint64_t seed)
    : id_(id),
      node_(std::move(node)),
      layout_(layout),
      random_(seed),
      kv_(static_cast<std::size_t>(layout.kv_keys_per_client)),
      gray_{Operation::gray_put,
            Operation::gray_get,
            layout.gray_instance,
            layout.gray_region(id),
            {}},
      labels_{Operation::labels_put,
              Operation::labels_get,
              layout.labels_instance,
              layout.labels_region(id),
              {}} {
  gray_.blocks.resize(static_cast<std::size_t>(gray_.region.block_count()));
  labels_.blocks.resize(static_cast<std::size_t>(labels_.region.block_count()));
}

void LoadClient::run_until(Clock::time_point end) {
  // The mix of a pipeline's calls, in parts per hundred; the last is a pipelined step.
  std::discrete_distribution<int> pick({24, 18, 3, 13, 11, 13, 11, 7});
  while (Clock::now() < end) {
    switch (pick(random_)) {
      case 0:
        kv_put();
        break;
      case 1:
        kv_get();
        break;
      case 2:
        kv_keys();
        break;
      case 3:
        volume_put<std::uint8_t>(gray_);
        break;
      case 4:
        volume_get<std::uint8_t>(gray_);
        break;
      case 5:
        volume_put<std::uint64_t>(labels_);
        break;
      case 6:
        volume_get<std::uint64_t>(labels_);
        break;
      default:
        pipelined_step();
        break;
    }
    current_ = "idle";
  }
}

void LoadClient::failed(Operation operation, const std::exception& error) {
  ++tally_.failed[static_cast<std::size_t>(operation)];
  ++tally_.failure_reasons[fmt::format("{}: {}", operation_name(operation), failure_reason(error))];
}

void LoadClient::wrong_read(std::string description) {
  ++tally_.wrong_reads;
  tally_.add_problem(std::move(description));
}

// ---- keyvalue
// ------------------------------------------------------------------------------------

void LoadClient::kv_put() {
  current_ = "kv put";
  const int index = static_cast<int>(random_() % kv_.size());
  const std::uint64_t seq = next_seq_++;
  settle_kv_put(index, seq, [&] {
    node_.put(layout_.kv_instance, kv_key(id_, index), kv_value(id_, index, seq));
  });
}

void LoadClient::settle_kv_put(int index, std::uint64_t seq, const std::function<void()>& wait) {
  auto& ledger = kv_[static_cast<std::size_t>(index)];
  try {
    wait();
    ledger.acknowledged(seq);
    ++tally_.completed[static_cast<std::size_t>(Operation::kv_put)];
    ++tally_.kv_writes_acknowledged;
  } catch (const std::exception& e) {
    ledger.unknown(seq);
    ++tally_.writes_unknown;
    failed(Operation::kv_put, e);
  }
}

void LoadClient::kv_get() {
  current_ = "kv get";
  const int index = static_cast<int>(random_() % kv_.size());
  settle_kv_get(index, [&] { return node_.get(layout_.kv_instance, kv_key(id_, index)); });
}

void LoadClient::settle_kv_get(int index, const std::function<std::string()>& wait) {
  std::optional<std::string> value;  // empty: 404, no such key
  try {
    value = wait();
  } catch (const HttpError& e) {
    if (e.status() != 404) {
      failed(Operation::kv_get, e);
      return;
    }
  } catch (const std::exception& e) {
    failed(Operation::kv_get, e);
    return;
  }
  ++tally_.completed[static_cast<std::size_t>(Operation::kv_get)];
  ++tally_.reads_checked;
  const auto& ledger = kv_[static_cast<std::size_t>(index)];
  const auto verdict = ledger.judge([&](std::uint64_t seq) {
    return seq == 0 ? !value : value && *value == kv_value(id_, index, seq);
  });
  if (verdict == Verdict::stale || verdict == Verdict::corrupt)
    wrong_read(
        fmt::format("client {} kv get {}: {} (last acknowledged write {}, got {})", id_,
                    kv_key(id_, index), verdict_name(verdict), ledger.last_acknowledged(),
                    value ? fmt::format("{} bytes of write {}", value->size(), kv_value_seq(*value))
                          : std::string("404")));
}

void LoadClient::kv_keys() {
  current_ = "kv keys";
  std::vector<std::string> keys;
  try {
    keys = node_.get_keys(layout_.kv_instance);
  } catch (const std::exception& e) {
    failed(Operation::kv_keys, e);
    return;
  }
  ++tally_.completed[static_cast<std::size_t>(Operation::kv_keys)];
  ++tally_.reads_checked;
  if (!std::is_sorted(keys.begin(), keys.end()))
    wrong_read(fmt::format("client {} kv keys: {} keys not in byte order", id_, keys.size()));
  for (const auto& key : keys)
    if (!well_formed_key(key)) wrong_read(fmt::format("client {} kv keys: listed '{}'", id_, key));
  for (int index = 0; index < static_cast<int>(kv_.size()); ++index) {
    const auto& ledger = kv_[static_cast<std::size_t>(index)];
    const bool listed = std::binary_search(keys.begin(), keys.end(), kv_key(id_, index));
    if (ledger.acknowledged_count() > 0 && !listed)
      wrong_read(
          fmt::format("client {} kv keys: acknowledged key {} missing", id_, kv_key(id_, index)));
    if (!ledger.ever_written() && listed)
      wrong_read(
          fmt::format("client {} kv keys: never written key {} listed", id_, kv_key(id_, index)));
  }
}

// ---- volumes
// -------------------------------------------------------------------------------------

TransferOptions LoadClient::plan_options(const VolumeRegion& region, std::size_t voxel_bytes) {
  TransferOptions options;
  // Half the calls move one block per chunk: several requests that can fail independently.
  if (random_() % 2 == 0)
    options.chunk_bytes =
        static_cast<std::uint64_t>(region.block_size * region.block_size * region.block_size) *
        voxel_bytes;
  // One call in twenty is cancelled by its caller as soon as a chunk is acknowledged.
  if (random_() % 20 == 0)
    options.progress = [token = options.cancel](const TransferProgress& progress) {
      if (progress.chunks_acknowledged > 0) token.cancel();
    };
  return options;
}

template <class T>
LoadClient::PlannedPut<T> LoadClient::plan_put(const Volume& volume) {
  const auto& region = volume.region;
  PlannedPut<T> put;
  // A random block-aligned box of the region.
  for (int axis = 0; axis < 3; ++axis) {
    const auto first = static_cast<std::int64_t>(random_() % region.blocks[axis]);
    const auto count = 1 + static_cast<std::int64_t>(random_() % (region.blocks[axis] - first));
    put.box.offset[axis] = region.origin[axis] + first * region.block_size;
    put.box.shape[axis] = count * region.block_size;
  }
  put.seq = next_seq_++;
  put.voxels.resize(static_cast<std::size_t>(put.box.voxels()));
  std::size_t i = 0;
  const auto& box = put.box;
  for (auto z = box.offset[0]; z < box.offset[0] + box.shape[0]; ++z)
    for (auto y = box.offset[1]; y < box.offset[1] + box.shape[1]; ++y)
      for (auto x = box.offset[2]; x < box.offset[2] + box.shape[2]; ++x)
        put.voxels[i++] = expected_voxel<T>(id_, put.seq, {z, y, x});
  put.throttle = random_() % 2 == 0;
  put.compress = random_() % 2 == 0;
  put.options = plan_options(region, sizeof(T));
  return put;
}

LoadClient::PlannedGet LoadClient::plan_get(const Volume& volume, std::size_t voxel_bytes) {
  const auto& region = volume.region;
  const Shape3 extent = region.shape();
  PlannedGet get;
  // A random box of the region, of any alignment.
  for (int axis = 0; axis < 3; ++axis) {
    const auto first = static_cast<std::int64_t>(random_() % extent[axis]);
    get.box.offset[axis] = region.origin[axis] + first;
    get.box.shape[axis] = 1 + static_cast<std::int64_t>(random_() % (extent[axis] - first));
  }
  get.throttle = random_() % 2 == 0;
  get.compress = random_() % 2 == 0;
  get.options = plan_options(region, voxel_bytes);
  return get;
}

template <class T>
void LoadClient::volume_put(Volume& volume) {
  current_ = operation_name(volume.put_operation);
  const auto put = plan_put<T>(volume);
  settle_put<T>(volume, put, [&] {
    put_voxels(node_, volume.instance, std::span<const T>(put.voxels), put.box, put.throttle,
               put.compress, put.options);
  });
}

template <class T>
void LoadClient::settle_put(Volume& volume, const PlannedPut<T>& put,
                            const std::function<void()>& wait) {
  const auto& region = volume.region;
  // The boxes that may not have landed; every other block of the write was acknowledged.
  std::vector<Box> unsure;
  try {
    wait();
    ++tally_.completed[static_cast<std::size_t>(volume.put_operation)];
  } catch (const VolumeTransferError& e) {
    failed(volume.put_operation, e);
    for (const auto& chunk : e.failed_chunks())
      unsure.push_back({chunk.offset_zyx, chunk.shape_zyx});
    for (const auto& chunk : e.unsent_chunks())
      unsure.push_back({chunk.offset_zyx, chunk.shape_zyx});
  } catch (const std::exception& e) {
    failed(volume.put_operation, e);
    unsure.push_back(put.box);
  }
  for_each_block(region, put.box, [&](const Point3& block) {
    auto& ledger = volume.blocks[static_cast<std::size_t>(region.block_index(block))];
    const Box here = block_box(region, block);
    const bool maybe = std::any_of(unsure.begin(), unsure.end(),
                                   [&](const Box& chunk) { return overlaps(chunk, here); });
    if (maybe) {
      ledger.unknown(put.seq);
      ++tally_.writes_unknown;
    } else {
      ledger.acknowledged(put.seq);
      ++tally_.block_writes_acknowledged;
    }
  });
}

template <class T>
void LoadClient::volume_get(Volume& volume) {
  current_ = operation_name(volume.get_operation);
  const auto get = plan_get(volume, sizeof(T));
  std::vector<T> voxels(static_cast<std::size_t>(get.box.voxels()));
  settle_get<T>(volume, get, [&] {
    get_voxels(node_, volume.instance, get.box, std::span<T>(voxels), get.throttle, get.compress,
               get.options);
    return static_cast<const T*>(voxels.data());
  });
}

template <class T>
void LoadClient::settle_get(const Volume& volume, const PlannedGet& get,
                            const std::function<const T*()>& wait) {
  const T* voxels = nullptr;
  try {
    voxels = wait();
  } catch (const std::exception& e) {
    failed(volume.get_operation, e);
    return;
  }
  ++tally_.completed[static_cast<std::size_t>(volume.get_operation)];
  ++tally_.reads_checked;
  judge_box<T>(
      volume, voxels, get.box.offset, get.box.shape,
      [&](const Point3& block, const WriteLedger& ledger, Verdict verdict) {
        if (verdict == Verdict::stale || verdict == Verdict::corrupt)
          wrong_read(fmt::format(
              "client {} {} of {} at {}: block {} holds {} (last acknowledged write {})", id_,
              operation_name(volume.get_operation), zyx(get.box.shape), zyx(get.box.offset),
              zyx(block), verdict_name(verdict), ledger.last_acknowledged()));
      });
}

// ---- a pipelined step
// ------------------------------------------------------------------------------

void LoadClient::pipelined_step() {
  current_ = "pipelined step";
  // Four calls in flight at once through the future-based API, on four distinct objects: a key
  // written, another key read, grayscale read, labels written.
  const auto keys = kv_.size();
  const int put_index = static_cast<int>(random_() % keys);
  const int get_index = static_cast<int>((put_index + 1 + random_() % (keys - 1)) % keys);
  const std::uint64_t kv_seq = next_seq_++;
  const auto gray_get = plan_get(gray_, sizeof(std::uint8_t));
  const auto labels_put = plan_put<std::uint64_t>(labels_);

  auto kv_written = node_.put_async(layout_.kv_instance, kv_key(id_, put_index),
                                    kv_value(id_, put_index, kv_seq));
  auto kv_read = node_.get_async(layout_.kv_instance, kv_key(id_, get_index));
  auto gray_read =
      node_.get_gray3D_async(layout_.gray_instance, gray_get.box.shape, gray_get.box.offset,
                             gray_get.throttle, gray_get.compress, "", gray_get.options);
  auto labels_written = node_.put_labels3D_async(
      layout_.labels_instance, std::span<const std::uint64_t>(labels_put.voxels),
      labels_put.box.shape, labels_put.box.offset, labels_put.throttle, labels_put.compress, "",
      false, labels_put.options);

  settle_kv_put(put_index, kv_seq, [&] { kv_written.get(); });
  settle_kv_get(get_index, [&] { return kv_read.get(); });
  Grayscale3D gray;
  settle_get<std::uint8_t>(gray_, gray_get, [&] {
    gray = gray_read.get();
    return static_cast<const std::uint8_t*>(gray.data());
  });
  settle_put<std::uint64_t>(labels_, labels_put, [&] { labels_written.get(); });
  ++tally_.pipelined_steps;
}

template <class T>
void LoadClient::judge_box(const Volume& volume, const T* voxels, const Point3& offset,
                           const Shape3& shape, const BlockVerdictSink& sink) const {
  const auto& region = volume.region;
  const Box box{offset, shape};
  for_each_block(region, box, [&](const Point3& block) {
    const Box here = block_box(region, block);
    // The part of the box inside this block.
    Point3 lo{}, hi{};
    for (int axis = 0; axis < 3; ++axis) {
      lo[axis] = std::max(here.offset[axis], offset[axis]);
      hi[axis] = std::min(here.offset[axis] + here.shape[axis], offset[axis] + shape[axis]);
    }
    const auto left_by = [&](std::uint64_t seq) {
      for (auto z = lo[0]; z < hi[0]; ++z)
        for (auto y = lo[1]; y < hi[1]; ++y) {
          const T* row =
              voxels + ((z - offset[0]) * shape[1] + (y - offset[1])) * shape[2] - offset[2];
          for (auto x = lo[2]; x < hi[2]; ++x)
            if (row[x] != expected_voxel<T>(id_, seq, {z, y, x})) return false;
        }
      return true;
    };
    const auto& ledger = volume.blocks[static_cast<std::size_t>(region.block_index(block))];
    sink(block, ledger, ledger.judge(left_by));
  });
}

// ---- the final read-back
// -------------------------------------------------------------------------

void LoadClient::verify(NodeService& reader, FinalCheck& check) const {
  const auto count = [&](Verdict verdict, const WriteLedger& ledger, const std::string& what) {
    ++check.objects;
    switch (verdict) {
      case Verdict::last_acknowledged:
        ++(ledger.acknowledged_count() > 0 ? check.verified : check.never_written);
        return;
      case Verdict::later_unknown:
        ++check.later_unknown;
        return;
      case Verdict::stale:
        ++check.lost;
        break;
      case Verdict::corrupt:
        ++check.corrupt;
        break;
    }
    check.add_problem(fmt::format("client {} {}: holds {} (last acknowledged write {})", id_, what,
                                  verdict_name(verdict), ledger.last_acknowledged()));
  };

  for (int index = 0; index < static_cast<int>(kv_.size()); ++index) {
    std::optional<std::string> value;
    try {
      value = reader.get(layout_.kv_instance, kv_key(id_, index));
    } catch (const HttpError& e) {
      if (e.status() != 404) {
        ++check.read_failures;
        check.add_problem(fmt::format("client {} read-back failed: {}", id_, e.what()));
        continue;
      }
    } catch (const std::exception& e) {
      ++check.read_failures;
      check.add_problem(fmt::format("client {} read-back failed: {}", id_, e.what()));
      continue;
    }
    const auto& ledger = kv_[static_cast<std::size_t>(index)];
    count(ledger.judge([&](std::uint64_t seq) {
      return seq == 0 ? !value : value && *value == kv_value(id_, index, seq);
    }),
          ledger, "key " + kv_key(id_, index));
  }

  const auto verify_volume = [&]<class T>(const Volume& volume, T) {
    const auto& region = volume.region;
    std::vector<T> voxels(static_cast<std::size_t>(region.block_count() * region.block_size *
                                                   region.block_size * region.block_size));
    try {
      get_voxels(reader, volume.instance, Box{region.origin, region.shape()}, std::span<T>(voxels),
                 false, true, {});
    } catch (const std::exception& e) {
      ++check.read_failures;
      check.add_problem(fmt::format("client {} read-back failed: {}", id_, e.what()));
      return;
    }
    judge_box<T>(volume, voxels.data(), region.origin, region.shape(),
                 [&](const Point3& block, const WriteLedger& ledger, Verdict verdict) {
                   count(verdict, ledger, fmt::format("{} block {}", volume.instance, zyx(block)));
                 });
  };
  verify_volume(gray_, std::uint8_t{});
  verify_volume(labels_, std::uint64_t{});
}

int LoadClient::plant_wrong_values(NodeService& writer) const {
  // Sequence numbers this client never issued.
  const std::uint64_t never = next_seq_ + 1'000'000;
  writer.put(layout_.kv_instance, kv_key(id_, 0), kv_value(id_, 0, never));

  const auto block_voxels = [](const VolumeRegion& region, auto voxel) {
    const Box box = block_box(region, {0, 0, 0});
    std::vector<decltype(voxel(Point3{}))> voxels;
    for (auto z = box.offset[0]; z < box.offset[0] + box.shape[0]; ++z)
      for (auto y = box.offset[1]; y < box.offset[1] + box.shape[1]; ++y)
        for (auto x = box.offset[2]; x < box.offset[2] + box.shape[2]; ++x)
          voxels.push_back(voxel(Point3{z, y, x}));
    return std::pair(box, voxels);
  };
  // Grayscale: back to "never written" (a lost write) when a write was acknowledged.
  const std::uint64_t gray_seq = gray_.blocks[0].acknowledged_count() > 0 ? 0 : never;
  const auto [gray_box, gray] = block_voxels(gray_.region, [&](const Point3& p) {
    return expected_voxel<std::uint8_t>(id_, gray_seq, p);
  });
  put_voxels(writer, gray_.instance, std::span<const std::uint8_t>(gray), gray_box, false, false,
             {});
  // Labels: another client's write.
  const auto [labels_box, labels] = block_voxels(labels_.region, [&](const Point3& p) {
    return expected_voxel<std::uint64_t>(id_ + 1, 1, p);
  });
  put_voxels(writer, labels_.instance, std::span<const std::uint64_t>(labels), labels_box, false,
             true, {});
  return 3;
}

}  // namespace dvidxfer::load
