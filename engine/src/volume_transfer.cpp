#include "dvidxfer/engine/volume_transfer.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include <atomic>
#include <mutex>
#include <set>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/engine/adaptive_window.hpp"
#include "dvidxfer/engine/async_semaphore.hpp"
#include "dvidxfer/engine/chunk_copy.hpp"
#include "dvidxfer/engine/cpu_offload.hpp"

namespace dvidxfer::engine {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

TransferError chunk_error(ErrorKind kind, std::string message) {
  TransferError error;
  error.kind = kind;
  error.message = std::move(message);
  return error;
}

// The smallest block-aligned box holding `box`.
Box block_cover(const Box& box, const std::array<std::int64_t, 3>& block) {
  Box cover;
  for (int a = 0; a < 3; ++a) {
    const auto floor_to = [&](std::int64_t v) {
      return (v >= 0 ? v / block[a] : -((-v + block[a] - 1) / block[a])) * block[a];
    };
    const auto begin = floor_to(box.offset[a]);
    const auto end = -floor_to(-(box.offset[a] + box.shape[a]));
    cover.offset[a] = begin;
    cover.shape[a] = end - begin;
  }
  return cover;
}

// Room in a chunk's answer for a refusal's text instead of voxels (DVID's are one line).
constexpr std::size_t kRefusalBytes = 64 * 1024;

// The most one stored block's record payload may hold: a DVID lz4 value of an incompressible
// block (4-byte length + LZ4's worst case), or the block stored uncompressed.
std::size_t max_stored_block_bytes(std::size_t block_bytes) {
  return 4 + std::max(block_bytes, codecs::lz4_block_bound(block_bytes));
}

// The largest answer a GET chunk may get: what its wire form can take for its voxels, so a
// server sending more is refused as it arrives rather than buffered.
std::size_t chunk_response_limit(const VolumeCall& call, const Chunk& chunk) {
  const auto& block = call.geometry.block;
  const std::size_t block_bytes =
      static_cast<std::size_t>(block[0] * block[1] * block[2]) * call.geometry.voxel_bytes;
  switch (call.wire) {
    case ChunkWire::raw:
      return chunk.bytes + kRefusalBytes;
    case ChunkWire::lz4:
      return std::max<std::size_t>(chunk.bytes, codecs::lz4_block_bound(chunk.bytes)) +
             kRefusalBytes;
    case ChunkWire::dvid_lz4_blocks: {
      const auto blocks = block_cover(chunk.box, block).voxels() /
                          static_cast<std::uint64_t>(block[0] * block[1] * block[2]);
      return blocks * (codecs::kBlockRecordHeaderBytes + max_stored_block_bytes(block_bytes)) +
             kRefusalBytes;
    }
  }
  return 0;
}

// State shared by the workers of one call.
struct CallState {
  CallState(HttpClient& client, VolumeCall call, std::span<char> volume, std::vector<Chunk> chunks)
      : client(client), call(std::move(call)), volume(volume), chunks(std::move(chunks)) {}

  HttpClient& client;
  VolumeCall call;
  std::span<char> volume;
  std::vector<Chunk> chunks;
  std::atomic<std::size_t> next_chunk{0};
  std::atomic<bool> stop{false};

  std::mutex mutex;  // guards what follows
  std::vector<ChunkFailure> failures;
  std::vector<bool> started;
  VolumeReport report;
  TransferProgress progress;

  void publish(const std::function<void(TransferProgress&)>& update) {
    TransferProgress snapshot;
    {
      const std::lock_guard lock(mutex);
      update(progress);
      snapshot = progress;
    }
    if (call.progress) call.progress(snapshot);
  }
};

// Decodes a record stream of DVID-internal lz4 blocks into the chunk's place: zeros first (absent
// blocks are empty), then each block's voxels that fall inside the chunk.
std::optional<codecs::CodecError> place_block_records(const VolumeGeometry& geometry,
                                                      const Chunk& chunk, std::string_view stream,
                                                      std::span<char> volume) {
  zero_chunk(geometry, chunk, volume);
  const auto& block = geometry.block;
  const std::size_t block_bytes =
      static_cast<std::size_t>(block[0] * block[1] * block[2]) * geometry.voxel_bytes;
  codecs::BlockRecordParser parser(max_stored_block_bytes(block_bytes));
  std::set<std::array<std::int32_t, 3>> placed;  // a block sent twice makes the chunk ambiguous
  auto fed =
      parser.feed(stream, [&](const codecs::BlockRecord& record) -> codecs::CodecResult<Unit> {
        if (!placed.insert({record.coord.x, record.coord.y, record.coord.z}).second)
          return fail(
              codecs::CodecError{fmt::format("block ({},{},{}) arrives more than once",
                                             record.coord.x, record.coord.y, record.coord.z),
                                 0});
        auto voxels = codecs::decode_dvid_lz4_value(record.payload, block_bytes);
        if (!voxels) return fail(std::move(voxels).error());
        if (voxels->size() != block_bytes)
          return fail(codecs::CodecError{
              fmt::format("block ({},{},{}) holds {} bytes, not {}", record.coord.x, record.coord.y,
                          record.coord.z, voxels->size(), block_bytes),
              0});
        const Box block_box{
            {record.coord.z * block[0], record.coord.y * block[1], record.coord.x * block[2]},
            block};
        if (!place_block(geometry, chunk.box, block_box, *voxels, volume))
          return fail(
              codecs::CodecError{fmt::format("block ({},{},{}) lies outside the requested box",
                                             record.coord.x, record.coord.y, record.coord.z),
                                 0});
        return Unit{};
      });
  if (!fed) return std::move(fed).error();
  if (auto finished = parser.finish(); !finished) return std::move(finished).error();
  return std::nullopt;
}

// Moves one GET chunk from the wire into the caller's buffer.
asio::awaitable<std::optional<TransferError>> get_chunk(CallState& state, const Chunk& chunk,
                                                        Request& request,
                                                        std::uint64_t& wire_bytes) {
  const auto& geometry = state.call.geometry;
  auto destination = state.volume.subspan(chunk.buffer_offset, chunk.bytes);
  std::vector<char> scratch;  // the chunk's dense bytes when it is not contiguous in the volume

  if (state.call.wire == ChunkWire::raw) {
    std::span<char> into = destination;
    if (!chunk.contiguous) {
      scratch.resize(chunk.bytes);
      into = scratch;
    }
    auto answer = co_await state.client.send(request, into);
    if (!answer) co_return std::move(answer).error();
    if (answer->status == 200 && answer->direct_bytes != chunk.bytes)
      co_return chunk_error(ErrorKind::protocol,
                            fmt::format("the server answered 200 with {} body bytes where {} "
                                        "were expected",
                                        answer->body.size(), chunk.bytes));
    if (answer->status != 200) {
      auto error = chunk_error(ErrorKind::http_status, "the server refused the chunk");
      error.status = answer->status;
      error.body_excerpt = body_excerpt(answer->body);
      co_return error;
    }
    wire_bytes = chunk.bytes;
    if (!chunk.contiguous)
      co_await run_on_cpu_pool([&] { scatter_chunk(geometry, chunk, scratch, state.volume); });
    co_return std::nullopt;
  }

  auto answer = co_await state.client.send(request);
  if (!answer) co_return std::move(answer).error();
  if (answer->status != 200) {
    auto error = chunk_error(ErrorKind::http_status, "the server refused the chunk");
    error.status = answer->status;
    error.body_excerpt = body_excerpt(answer->body);
    co_return error;
  }
  wire_bytes = answer->body.size();
  std::optional<codecs::CodecError> decode_error;
  if (state.call.wire == ChunkWire::dvid_lz4_blocks) {
    co_await run_on_cpu_pool(
        [&] { decode_error = place_block_records(geometry, chunk, answer->body, state.volume); });
    if (decode_error)
      co_return chunk_error(
          ErrorKind::protocol,
          fmt::format("the block stream for the chunk is corrupt: {} (at byte {})",
                      decode_error->message, decode_error->offset));
    co_return std::nullopt;
  }
  co_await run_on_cpu_pool([&] {
    std::span<char> into = destination;
    if (!chunk.contiguous) {
      scratch.resize(chunk.bytes);
      into = scratch;
    }
    auto decoded = codecs::decompress_lz4_block(answer->body, into);
    if (!decoded) {
      decode_error = std::move(decoded).error();
      return;
    }
    if (!chunk.contiguous) scatter_chunk(geometry, chunk, scratch, state.volume);
  });
  if (decode_error)
    co_return chunk_error(
        ErrorKind::protocol,
        fmt::format("the lz4 answer does not decode to the {} bytes requested: {} "
                    "(at byte {})",
                    chunk.bytes, decode_error->message, decode_error->offset));
  co_return std::nullopt;
}

// Moves one PUT chunk out of the caller's buffer onto the wire.
asio::awaitable<std::optional<TransferError>> put_chunk(CallState& state, const Chunk& chunk,
                                                        Request& request,
                                                        std::uint64_t& wire_bytes) {
  const auto& geometry = state.call.geometry;
  const std::span<const char> source = state.volume.subspan(chunk.buffer_offset, chunk.bytes);
  std::vector<char> dense;
  std::optional<codecs::CodecError> encode_error;
  if (state.call.wire == ChunkWire::raw && chunk.contiguous) {
    request.borrowed_body = std::string_view(source.data(), source.size());
  } else {
    co_await run_on_cpu_pool([&] {
      std::span<const char> voxels = source;
      if (!chunk.contiguous) {
        dense.resize(chunk.bytes);
        gather_chunk(geometry, chunk, state.volume, dense);
        voxels = dense;
      }
      if (state.call.wire == ChunkWire::raw) {
        request.body.assign(voxels.data(), voxels.size());
        return;
      }
      request.body.resize(codecs::lz4_block_bound(voxels.size()));
      auto written =
          codecs::compress_lz4_block(std::string_view(voxels.data(), voxels.size()),
                                     std::span<char>(request.body.data(), request.body.size()));
      if (!written) {
        encode_error = std::move(written).error();
        return;
      }
      request.body.resize(written.value());
    });
  }
  if (encode_error)
    co_return chunk_error(ErrorKind::protocol,
                          fmt::format("lz4 cannot encode the chunk: {}", encode_error->message));
  wire_bytes = request.payload().size();
  auto answer = co_await state.client.send(request);
  if (!answer) co_return std::move(answer).error();
  if (answer->status != 200) {
    auto error = chunk_error(ErrorKind::http_status, "the server refused the chunk");
    error.status = answer->status;
    error.body_excerpt = body_excerpt(answer->body);
    co_return error;
  }
  co_return std::nullopt;
}

// One worker: takes chunks in order until none are left or the call stops.
asio::awaitable<void> run_worker(std::shared_ptr<CallState> state,
                                 std::shared_ptr<AdaptiveWindow> window) {
  const auto& call = state->call;
  for (;;) {
    if (state->stop.load() || call.cancel.cancelled()) break;
    const auto index = state->next_chunk.fetch_add(1);
    if (index >= state->chunks.size()) break;
    const Chunk& chunk = state->chunks[index];
    if (!co_await window->acquire(Clock::time_point::max())) break;

    Request request;
    request.method = call.direction == TransferDirection::get ? "GET" : "POST";
    request.target = call.target(call.wire == ChunkWire::dvid_lz4_blocks
                                     ? block_cover(chunk.box, call.geometry.block)
                                     : chunk.box);
    if (call.direction == TransferDirection::put)
      request.headers = {{"Content-Type", "application/octet-stream"}};
    else
      request.expected_response_bytes = chunk.bytes;
    // A PUT's answer is an acknowledgement or a refusal; a GET's holds at most its voxels.
    request.max_response_bytes = call.direction == TransferDirection::get
                                     ? chunk_response_limit(call, chunk)
                                     : kRefusalBytes;
    if (call.adapt_to_congestion)
      request.on_retry = [window](unsigned status) {
        if (status == 503) window->on_congestion();
      };
    {
      const std::lock_guard lock(state->mutex);
      state->started[index] = true;
    }
    state->publish([&](TransferProgress& p) {
      ++p.chunks_sent;
      p.bytes_sent += chunk.bytes;
    });

    const auto started_at = Clock::now();
    std::uint64_t wire_bytes = 0;
    // One co_await per statement: GCC 12 miscompiles co_await inside a conditional expression.
    std::optional<TransferError> failure;
    if (call.direction == TransferDirection::get)
      failure = co_await get_chunk(*state, chunk, request, wire_bytes);
    else
      failure = co_await put_chunk(*state, chunk, request, wire_bytes);
    window->release();
    const double latency_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - started_at).count();

    if (failure) {
      failure->method = request.method;
      failure->url = state->client.endpoint().origin() + request.target;
      state->stop.store(true);
      const std::lock_guard lock(state->mutex);
      state->failures.push_back({chunk, std::move(*failure)});
      continue;
    }
    window->on_success();
    {
      const std::lock_guard lock(state->mutex);
      state->report.wire_bytes += wire_bytes;
      state->report.voxel_bytes += chunk.bytes;
      state->report.chunk_latency_ms.push_back(latency_ms);
    }
    state->publish([&](TransferProgress& p) {
      ++p.chunks_acknowledged;
      p.bytes_acknowledged += chunk.bytes;
    });
  }
}

}  // namespace

std::string VolumeFailure::describe(TransferDirection direction) const {
  const char* verb = direction == TransferDirection::get ? "GET" : "PUT";
  std::string text;
  if (cancelled)
    text = fmt::format("volume {} cancelled", verb);
  else
    text = fmt::format("volume {} failed: {} chunk(s) failed", verb, failed.size());
  if (!not_attempted.empty()) text += fmt::format(", {} not attempted", not_attempted.size());
  const auto box_text = [](const Box& box) {
    return fmt::format("shape (z,y,x) ({},{},{}) at offset ({},{},{})", box.shape[0], box.shape[1],
                       box.shape[2], box.offset[0], box.offset[1], box.offset[2]);
  };
  if (!failed.empty())
    text += fmt::format("; first failed chunk #{} {}: {}", failed.front().chunk.index,
                        box_text(failed.front().chunk.box), failed.front().error.describe());
  return text;
}

asio::awaitable<Result<VolumeReport, VolumeFailure>> transfer_volume(HttpClient& client,
                                                                     VolumeCall call,
                                                                     std::span<char> volume) {
  const auto started_at = Clock::now();
  auto chunks = plan_chunks(call.geometry, call.limits);
  const auto executor = co_await asio::this_coro::executor;
  const std::size_t workers = std::max<std::size_t>(1, std::min(call.max_in_flight, chunks.size()));
  auto state = std::make_shared<CallState>(client, std::move(call), volume, std::move(chunks));
  state->started.assign(state->chunks.size(), false);
  state->publish([&](TransferProgress& p) {
    p.chunks_planned = state->chunks.size();
    p.bytes_planned = state->call.geometry.box.voxels() * state->call.geometry.voxel_bytes;
  });
  const auto stats_before = client.stats();

  auto window = std::make_shared<AdaptiveWindow>(executor, workers);
  auto finished = std::make_shared<AsyncSemaphore>(executor, 0);
  for (std::size_t i = 0; i < workers; ++i)
    asio::co_spawn(executor, run_worker(state, window),
                   [state, finished](std::exception_ptr thrown) {
                     // A worker that threw (out of memory, a throwing target builder) stops the
                     // call; it must still count as finished or the call would wait forever.
                     if (thrown) {
                       state->stop.store(true);
                       std::string what = "unexpected error";
                       try {
                         std::rethrow_exception(thrown);
                       } catch (const std::exception& e) {
                         what = e.what();
                       } catch (...) {
                       }
                       const std::lock_guard lock(state->mutex);
                       state->failures.push_back({Chunk{}, chunk_error(ErrorKind::protocol, what)});
                     }
                     finished->release();
                   });
  for (std::size_t i = 0; i < workers; ++i) co_await finished->acquire(Clock::time_point::max());

  const auto stats_after = client.stats();
  const std::lock_guard lock(state->mutex);
  const bool cancelled = state->call.cancel.cancelled() &&
                         state->report.chunk_latency_ms.size() < state->chunks.size();
  if (!state->failures.empty() || cancelled) {
    VolumeFailure failure;
    failure.failed = std::move(state->failures);
    failure.cancelled = cancelled;
    for (std::size_t i = 0; i < state->chunks.size(); ++i)
      if (!state->started[i]) failure.not_attempted.push_back(state->chunks[i]);
    co_return fail(std::move(failure));
  }
  auto report = std::move(state->report);
  report.chunks = state->chunks.size();
  report.requests = stats_after.attempts - stats_before.attempts;
  report.retries = stats_after.retries - stats_before.retries;
  report.elapsed = Clock::now() - started_at;
  co_return report;
}

}  // namespace dvidxfer::engine
