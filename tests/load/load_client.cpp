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
                std::span<const std::uint8_t> voxels, Shape3 shape, Point3 offset, bool throttle,
                bool compress) {
  node.put_gray3D(instance, voxels, shape, offset, throttle, compress);
}
void put_voxels(NodeService& node, const std::string& instance,
                std::span<const std::uint64_t> voxels, Shape3 shape, Point3 offset, bool throttle,
                bool compress) {
  node.put_labels3D(instance, voxels, shape, offset, throttle, compress);
}
void get_voxels(NodeService& node, const std::string& instance, Shape3 shape, Point3 offset,
                std::span<std::uint8_t> out, bool throttle, bool compress) {
  node.get_gray3D(instance, shape, offset, out, throttle, compress);
}
void get_voxels(NodeService& node, const std::string& instance, Shape3 shape, Point3 offset,
                std::span<std::uint64_t> out, bool throttle, bool compress) {
  node.get_labels3D(instance, shape, offset, out, throttle, compress);
}

// ---- boxes
// ---------------------------------------------------------------------------------------

struct Box {
  Point3 offset{};
  Shape3 shape{};
  std::int64_t voxels() const { return shape[0] * shape[1] * shape[2]; }
};

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

const char* transport_kind_name(TransportError::Kind kind) {
  switch (kind) {
    case TransportError::Kind::connect:
      return "connect";
    case TransportError::Kind::timeout:
      return "timeout";
    case TransportError::Kind::connection:
      return "connection broken";
    case TransportError::Kind::protocol:
      return "protocol";
    case TransportError::Kind::cancelled:
      return "cancelled";
    case TransportError::Kind::admission:
      return "admission";
  }
  return "?";
}

std::string failure_reason(const std::exception& error) {
  if (const auto* volume = dynamic_cast<const VolumeTransferError*>(&error))
    return volume->status() != 0 ? fmt::format("chunk HTTP {}", volume->status())
                                 : std::string("chunk transport error");
  if (const auto* http = dynamic_cast<const HttpError*>(&error))
    return fmt::format("HTTP {}", http->status());
  if (const auto* transport = dynamic_cast<const TransportError*>(&error))
    return fmt::format("transport: {}", transport_kind_name(transport->kind()));
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
  // The mix of a pipeline's calls, in parts per hundred.
  std::discrete_distribution<int> pick({25, 20, 3, 14, 12, 14, 12});
  while (Clock::now() < end) {
    switch (static_cast<Operation>(pick(random_))) {
      case Operation::kv_put:
        kv_put();
        break;
      case Operation::kv_get:
        kv_get();
        break;
      case Operation::kv_keys:
        kv_keys();
        break;
      case Operation::gray_put:
        volume_put<std::uint8_t>(gray_);
        break;
      case Operation::gray_get:
        volume_get<std::uint8_t>(gray_);
        break;
      case Operation::labels_put:
        volume_put<std::uint64_t>(labels_);
        break;
      case Operation::labels_get:
        volume_get<std::uint64_t>(labels_);
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
  try {
    node_.put(layout_.kv_instance, kv_key(id_, index), kv_value(id_, index, seq));
    kv_[static_cast<std::size_t>(index)].acknowledged(seq);
    ++tally_.completed[static_cast<std::size_t>(Operation::kv_put)];
    ++tally_.kv_writes_acknowledged;
  } catch (const std::exception& e) {
    kv_[static_cast<std::size_t>(index)].unknown(seq);
    ++tally_.writes_unknown;
    failed(Operation::kv_put, e);
  }
}

void LoadClient::kv_get() {
  current_ = "kv get";
  const int index = static_cast<int>(random_() % kv_.size());
  const auto& ledger = kv_[static_cast<std::size_t>(index)];
  std::optional<std::string> value;  // empty: 404, no such key
  try {
    value = node_.get(layout_.kv_instance, kv_key(id_, index));
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

template <class T>
void LoadClient::volume_put(Volume& volume) {
  current_ = operation_name(volume.put_operation);
  const auto& region = volume.region;
  // A random block-aligned box of the region.
  Box box;
  for (int axis = 0; axis < 3; ++axis) {
    const auto first = static_cast<std::int64_t>(random_() % region.blocks[axis]);
    const auto count = 1 + static_cast<std::int64_t>(random_() % (region.blocks[axis] - first));
    box.offset[axis] = region.origin[axis] + first * region.block_size;
    box.shape[axis] = count * region.block_size;
  }
  const std::uint64_t seq = next_seq_++;
  std::vector<T> voxels(static_cast<std::size_t>(box.voxels()));
  std::size_t i = 0;
  for (auto z = box.offset[0]; z < box.offset[0] + box.shape[0]; ++z)
    for (auto y = box.offset[1]; y < box.offset[1] + box.shape[1]; ++y)
      for (auto x = box.offset[2]; x < box.offset[2] + box.shape[2]; ++x)
        voxels[i++] = expected_voxel<T>(id_, seq, {z, y, x});
  const bool throttle = random_() % 2 == 0;
  const bool compress = random_() % 2 == 0;

  // The boxes that may not have landed; every other block of the write was acknowledged.
  std::vector<Box> unsure;
  try {
    put_voxels(node_, volume.instance, std::span<const T>(voxels), box.shape, box.offset, throttle,
               compress);
    ++tally_.completed[static_cast<std::size_t>(volume.put_operation)];
  } catch (const VolumeTransferError& e) {
    failed(volume.put_operation, e);
    for (const auto& chunk : e.failed_chunks())
      unsure.push_back({chunk.offset_zyx, chunk.shape_zyx});
    for (const auto& chunk : e.unsent_chunks())
      unsure.push_back({chunk.offset_zyx, chunk.shape_zyx});
  } catch (const std::exception& e) {
    failed(volume.put_operation, e);
    unsure.push_back(box);
  }
  for_each_block(region, box, [&](const Point3& block) {
    auto& ledger = volume.blocks[static_cast<std::size_t>(region.block_index(block))];
    const Box here = block_box(region, block);
    const bool maybe = std::any_of(unsure.begin(), unsure.end(),
                                   [&](const Box& chunk) { return overlaps(chunk, here); });
    if (maybe) {
      ledger.unknown(seq);
      ++tally_.writes_unknown;
    } else {
      ledger.acknowledged(seq);
      ++tally_.block_writes_acknowledged;
    }
  });
}

template <class T>
void LoadClient::volume_get(Volume& volume) {
  current_ = operation_name(volume.get_operation);
  const auto& region = volume.region;
  const Shape3 extent = region.shape();
  // A random box of the region, of any alignment.
  Box box;
  for (int axis = 0; axis < 3; ++axis) {
    const auto first = static_cast<std::int64_t>(random_() % extent[axis]);
    box.offset[axis] = region.origin[axis] + first;
    box.shape[axis] = 1 + static_cast<std::int64_t>(random_() % (extent[axis] - first));
  }
  const bool throttle = random_() % 2 == 0;
  const bool compress = random_() % 2 == 0;
  std::vector<T> voxels(static_cast<std::size_t>(box.voxels()));
  try {
    get_voxels(node_, volume.instance, box.shape, box.offset, std::span<T>(voxels), throttle,
               compress);
  } catch (const std::exception& e) {
    failed(volume.get_operation, e);
    return;
  }
  ++tally_.completed[static_cast<std::size_t>(volume.get_operation)];
  ++tally_.reads_checked;
  judge_box<T>(volume, voxels.data(), box.offset, box.shape,
               [&](const Point3& block, const WriteLedger& ledger, Verdict verdict) {
                 if (verdict == Verdict::stale || verdict == Verdict::corrupt)
                   wrong_read(fmt::format(
                       "client {} {} of {} at {}: block {} holds {} (last acknowledged write {})",
                       id_, operation_name(volume.get_operation), zyx(box.shape), zyx(box.offset),
                       zyx(block), verdict_name(verdict), ledger.last_acknowledged()));
               });
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
      get_voxels(reader, volume.instance, region.shape(), region.origin, std::span<T>(voxels),
                 false, true);
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

}  // namespace dvidxfer::load
