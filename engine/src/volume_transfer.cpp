#include "dvidxfer/engine/volume_transfer.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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

std::uint64_t blocks_in(const Box& box, const std::array<std::int64_t, 3>& block) {
  return box.voxels() / static_cast<std::uint64_t>(block[0] * block[1] * block[2]);
}

// The largest answer a GET chunk may get: what its wire form can take for its voxels, so a
// server sending more is refused as it arrives rather than buffered.
std::size_t chunk_response_limit(const VolumeCall& call, const Chunk& chunk) {
  switch (call.wire) {
    case ChunkWire::raw:
      return chunk.bytes + kRefusalBytes;
    case ChunkWire::lz4:
      return std::max<std::size_t>(chunk.bytes, codecs::lz4_block_bound(chunk.bytes)) +
             kRefusalBytes;
    case ChunkWire::blocks:
      return blocks_in(block_cover(chunk.box, call.geometry.block), call.geometry.block) *
                 (codecs::kBlockRecordHeaderBytes + call.block_codec.max_payload_bytes) +
             kRefusalBytes;
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

// The blocks of a block-aligned box, in z-y-x order: coordinates in blocks, the first one's and
// how many along each axis.
struct BlockGrid {
  std::array<std::int64_t, 3> first{};
  std::array<std::int64_t, 3> count{};

  BlockGrid(const Box& aligned, const std::array<std::int64_t, 3>& block) {
    for (int a = 0; a < 3; ++a) {
      first[a] = aligned.offset[a] / block[a];
      count[a] = aligned.shape[a] / block[a];
    }
  }
  std::size_t size() const { return static_cast<std::size_t>(count[0] * count[1] * count[2]); }
  // The position of block (z, y, x) in the grid, or nullopt outside it.
  std::optional<std::size_t> index(const std::array<std::int64_t, 3>& zyx) const {
    std::size_t at = 0;
    for (int a = 0; a < 3; ++a) {
      const auto i = zyx[a] - first[a];
      if (i < 0 || i >= count[a]) return std::nullopt;
      at = at * static_cast<std::size_t>(count[a]) + static_cast<std::size_t>(i);
    }
    return at;
  }
  Box box(std::size_t at, const std::array<std::int64_t, 3>& block) const {
    Box b{{}, block};
    for (int a = 2; a >= 0; --a) {
      b.offset[a] = (first[a] + static_cast<std::int64_t>(at % count[a])) * block[a];
      at /= static_cast<std::size_t>(count[a]);
    }
    return b;
  }
};

// The error of one block of a stream, naming it as DVID does (x,y,z) and where its record starts.
codecs::CodecError block_error(const codecs::BlockCoord& c, std::uint64_t record_offset,
                               std::string what) {
  return {fmt::format("block (x,y,z) ({},{},{}) in the record at byte {}: {}", c.x, c.y, c.z,
                      record_offset, what),
          static_cast<std::size_t>(record_offset)};
}

// A block's record in an answer: its coordinate, payload, and where the record starts.
struct StreamedBlock {
  codecs::BlockCoord coord;
  std::string_view payload;
  std::uint64_t offset = 0;
  bool present = false;
};

// Decodes a chunk's record stream (of its block-aligned cover) into the chunk's place: each
// block's voxels inside the chunk, zeros where a block is absent. The stream is checked whole
// first (framing, blocks outside the cover or sent twice) so no voxel is written for a bad one;
// then the blocks decode in parallel on oneTBB, which pays when a call has few chunks.
std::optional<codecs::CodecError> place_block_stream(const VolumeCall& call, const Chunk& chunk,
                                                     std::string_view stream,
                                                     std::span<char> volume) {
  const auto& geometry = call.geometry;
  const auto& block = geometry.block;
  const BlockGrid grid(block_cover(chunk.box, block), block);
  std::vector<StreamedBlock> blocks(grid.size());
  codecs::BlockRecordParser parser(call.block_codec.max_payload_bytes);
  // Fed whole, the parser hands out payloads as views of `stream`, which outlives this function.
  auto fed =
      parser.feed(stream, [&](const codecs::BlockRecord& record) -> codecs::CodecResult<Unit> {
        const auto offset = static_cast<std::uint64_t>(record.payload.data() - stream.data()) -
                            codecs::kBlockRecordHeaderBytes;
        const auto at = grid.index({record.coord.z, record.coord.y, record.coord.x});
        if (!at)
          return fail(block_error(record.coord, offset, "it lies outside the requested blocks"));
        if (blocks[*at].present)
          return fail(block_error(record.coord, offset, "it arrives more than once"));
        blocks[*at] = {record.coord, record.payload, offset, true};
        return Unit{};
      });
  if (!fed) return std::move(fed).error();
  if (auto finished = parser.finish(); !finished) return std::move(finished).error();

  std::mutex failed_mutex;
  std::optional<std::pair<std::size_t, codecs::CodecError>> failed;  // the first block that failed
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks.size(), 1), [&](const auto& range) {
    for (auto at = range.begin(); at != range.end(); ++at) {
      // Every block of a chunk's cover overlaps the chunk.
      const auto window = *block_window(geometry, chunk.box, grid.box(at, block), volume);
      const auto& streamed = blocks[at];
      if (!streamed.present) {
        zero_window(window, geometry.voxel_bytes);
        continue;
      }
      auto decoded = call.block_codec.decode(streamed.payload, window);
      if (decoded) continue;
      auto error =
          block_error(streamed.coord, streamed.offset,
                      fmt::format("{} (at byte {} of its {}-byte payload)", decoded.error().message,
                                  decoded.error().offset, streamed.payload.size()));
      const std::lock_guard lock(failed_mutex);
      if (!failed || at < failed->first) failed.emplace(at, std::move(error));
    }
  });
  if (failed) return std::move(failed->second);
  return std::nullopt;
}

// Encodes a block-aligned PUT chunk as a record stream of its blocks in z-y-x order, the blocks
// encoded in parallel on oneTBB.
codecs::CodecResult<std::string> encode_block_stream(const VolumeCall& call, const Chunk& chunk,
                                                     std::span<char> volume) {
  const auto& block = call.geometry.block;
  const BlockGrid grid(chunk.box, block);
  std::vector<std::string> payloads(grid.size());
  std::mutex failed_mutex;
  std::optional<std::pair<std::size_t, codecs::CodecError>> failed;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, payloads.size(), 1), [&](const auto& range) {
    for (auto at = range.begin(); at != range.end(); ++at) {
      const auto block_box = grid.box(at, block);
      auto encoded =
          call.block_codec.encode(*block_window(call.geometry, chunk.box, block_box, volume));
      if (encoded) {
        payloads[at] = std::move(encoded).value();
        continue;
      }
      const codecs::BlockCoord coord{static_cast<std::int32_t>(block_box.offset[2] / block[2]),
                                     static_cast<std::int32_t>(block_box.offset[1] / block[1]),
                                     static_cast<std::int32_t>(block_box.offset[0] / block[0])};
      auto error =
          codecs::CodecError{fmt::format("block (x,y,z) ({},{},{}) does not encode: {}", coord.x,
                                         coord.y, coord.z, encoded.error().message),
                             0};
      const std::lock_guard lock(failed_mutex);
      if (!failed || at < failed->first) failed.emplace(at, std::move(error));
    }
  });
  if (failed) return fail(std::move(failed->second));
  std::size_t total = 0;
  for (const auto& payload : payloads) total += codecs::kBlockRecordHeaderBytes + payload.size();
  std::string stream;
  stream.reserve(total);
  for (std::size_t at = 0; at < payloads.size(); ++at) {
    const auto block_box = grid.box(at, block);
    codecs::append_block_record(stream,
                                {static_cast<std::int32_t>(block_box.offset[2] / block[2]),
                                 static_cast<std::int32_t>(block_box.offset[1] / block[1]),
                                 static_cast<std::int32_t>(block_box.offset[0] / block[0])},
                                payloads[at]);
  }
  return stream;
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
  if (state.call.wire == ChunkWire::blocks) {
    co_await run_on_cpu_pool(
        [&] { decode_error = place_block_stream(state.call, chunk, answer->body, state.volume); });
    if (decode_error)
      co_return chunk_error(
          ErrorKind::protocol,
          fmt::format("the block stream for the chunk is corrupt: {} (stream byte {} of {}; "
                      "blocks named by DVID's x,y,z block coordinates)",
                      decode_error->message, decode_error->offset, answer->body.size()));
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
  } else if (state.call.wire == ChunkWire::blocks) {
    co_await run_on_cpu_pool([&] {
      auto stream = encode_block_stream(state.call, chunk, state.volume);
      if (stream)
        request.body = std::move(stream).value();
      else
        encode_error = std::move(stream).error();
    });
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
                          fmt::format("the chunk cannot be encoded: {}", encode_error->message));
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
    request.target = call.target(
        call.wire == ChunkWire::blocks ? block_cover(chunk.box, call.geometry.block) : chunk.box);
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
