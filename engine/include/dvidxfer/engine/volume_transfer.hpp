// VolumeTransfer: one big volume GET or PUT run as parallel chunk requests over an HttpClient.
// The planner splits the box; up to `max_in_flight` chunks travel at once (fewer while the server
// signals congestion, when `adapt_to_congestion`); oneTBB decodes each answer straight into the
// caller's buffer, or encodes each chunk out of it. Every chunk ends done or failed; the call
// succeeds only if all are done and otherwise names the chunks that failed or never ran.
// The engine knows HTTP, not DVID: the caller supplies each chunk's request target and, for
// block streams, the codec of one block's payload.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dvidxfer/codecs/codec_error.hpp"
#include "dvidxfer/common/transfer_progress.hpp"
#include "dvidxfer/engine/chunk_copy.hpp"
#include "dvidxfer/engine/http_client.hpp"
#include "dvidxfer/engine/volume_planner.hpp"

namespace dvidxfer::engine {

enum class TransferDirection { get, put };

// How a chunk's voxels travel: as they are; as one raw LZ4 block (DVID's compression=lz4); or as
// a /blocks record stream (int32 bx, by, bz, uint32 length, payload; codecs/block_records.hpp)
// of the chunk's blocks, each payload made or read by the call's BlockCodec. A GET asks for the
// block-aligned cover of its chunk and crops edge blocks; absent blocks read as zeros. A PUT's
// chunks must be block aligned.
enum class ChunkWire { raw, lz4, blocks };

// One block's payload codec for ChunkWire::blocks. Both functions run on oneTBB's workers,
// several at once (for different blocks), and must not throw.
struct BlockCodec {
  // Writes the payload's voxels that fall in `window` (a GET), or fails saying why.
  std::function<codecs::CodecResult<Unit>(std::string_view payload, const BlockWindow& window)>
      decode;
  // The payload of the whole block at `window` (a PUT).
  std::function<codecs::CodecResult<std::string>(const BlockWindow& window)> encode;
  // Longer payloads in an answer are refused as corrupt; bounds what a chunk's answer may hold.
  std::size_t max_payload_bytes = 0;
};

struct VolumeCall {
  TransferDirection direction = TransferDirection::get;
  VolumeGeometry geometry;
  ChunkLimits limits;
  ChunkWire wire = ChunkWire::raw;
  BlockCodec block_codec;  // for ChunkWire::blocks
  // Origin-form target for a chunk's box (for a GET of blocks: the block-aligned cover).
  std::function<std::string(const Box& chunk)> target;
  std::size_t max_in_flight = 8;
  bool adapt_to_congestion = false;  // shrink the window on 503s (DVID's throttle)
  ProgressCallback progress;         // optional
  CancellationToken cancel;
};

struct ChunkFailure {
  Chunk chunk;
  TransferError error;  // kind http_status carries the status and the server's words
};

struct VolumeFailure {
  std::vector<ChunkFailure> failed;  // chunks that ended in an error
  std::vector<Chunk> not_attempted;  // chunks never sent because the call stopped first
  bool cancelled = false;
  // "3 of 64 chunks failed ...; 10 not attempted; first: <error>"
  std::string describe(TransferDirection direction) const;
};

struct VolumeReport {
  std::size_t chunks = 0;
  std::uint64_t voxel_bytes = 0;  // uncompressed bytes moved
  std::uint64_t wire_bytes = 0;   // body bytes on the wire (compressed when lz4)
  std::uint64_t requests = 0;     // attempts, retries included
  std::uint64_t retries = 0;
  std::vector<double> chunk_latency_ms;  // per chunk, from send to decoded (retries included)
  std::chrono::duration<double> elapsed{};
};

// Runs the call. For a GET, `volume` receives the box's voxels (z-y-x, dense); for a PUT it holds
// them. Precondition: volume.size() == geometry.box.voxels() * geometry.voxel_bytes.
// On failure a GET's buffer is partly written and must not be used.
boost::asio::awaitable<Result<VolumeReport, VolumeFailure>> transfer_volume(HttpClient& client,
                                                                            VolumeCall call,
                                                                            std::span<char> volume);

}  // namespace dvidxfer::engine
