// NodeService: the calls of libdvid-cpp's DVIDNodeService on one version node (uuid) of a DVID
// server, with the seed's names, argument order and defaults. Every call has a blocking form and
// a future-returning `_async` form.
//
// Thread safety: one NodeService may be shared by any number of threads; calls run concurrently
// over a pool of keep-alive connections (ClientOptions::max_connections). Copies share the pool.
// Destroying the last copy abandons calls still in flight (their futures throw broken_promise).
//
// Errors: ArgumentError before anything is sent for bad input; HttpError (status, method, URL,
// the server's words) when DVID refuses; TransportError when it cannot be reached or the
// connection fails beyond the retry policy; DecodeError when an answer cannot be decoded.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dvidxfer/client_options.hpp"
#include "dvidxfer/client_statistics.hpp"
#include "dvidxfer/graph.hpp"
#include "dvidxfer/json_document.hpp"
#include "dvidxfer/roi.hpp"
#include "dvidxfer/tiles.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer {

namespace api {
class ClientCore;
class InstanceInfoCache;
}  // namespace api

// What get_specificblocks3D returns: the blocks DVID has among those asked for, decoded, sorted by
// (z, y, x); blocks it does not have are absent. Exactly one of `gray` and `labels` is filled,
// parallel to `coords_zyx`, each volume of the instance's block size (z, y, x).
struct SpecificBlocks {
  std::vector<BlockZYX> coords_zyx;
  std::vector<Grayscale3D> gray;
  std::vector<Labels3D> labels;
};

// HTTP verbs for custom_request, as libdvid's ConnectionMethod.
enum class ConnectionMethod { HEAD, GET, POST, PUT, DELETE };

class NodeService {
 public:
  // Connects to `web_addr` and checks that node `uuid` exists (a full uuid, a unique prefix, or
  // "uuid:branch"); throws HttpError naming server and uuid when DVID does not know it.
  // `user` and `app` are sent as u= and app= on every request. A non-empty resource_server names
  // a dvid-resource-manager at resource_server:resource_port (grants on resource_port + 1): every
  // HTTP request, this constructor's probe included, first waits for its admission, weighed by
  // its bytes, and is released however it ends; a manager silent past options.resource_timeout
  // fails the call with TransportError(admission). Throws ArgumentError for a resource_port
  // outside 1..65534, or one given without a resource_server.
  NodeService(const std::string& web_addr, std::string uuid, std::string user = "anonymous",
              std::string app = "dvidxfer", const std::string& resource_server = "",
              int resource_port = 0, ClientOptions options = {});

  const std::string& get_uuid() const noexcept { return uuid_; }

  // Counters of the HTTP requests made through this service and its copies (they share one pool)
  // since construction, the constructor's probe included. Thread-safe.
  ClientStatistics statistics() const noexcept;

  // ---- key-value -----------------------------------------------------------------------------
  // Creates a keyvalue instance. True if created, false if an instance of that name existed.
  bool create_keyvalue(const std::string& instance_name);
  std::future<bool> create_keyvalue_async(std::string instance_name);

  // Stores `value` at `key` (overwriting at this node). Keys must be non-empty and must not
  // contain '/', which DVID cannot address.
  void put(const std::string& instance_name, const std::string& key, std::string_view value);
  std::future<void> put_async(std::string instance_name, std::string key, std::string value);

  // The bytes stored at `key`; HttpError 404 when the key does not exist.
  std::string get(const std::string& instance_name, const std::string& key);
  std::future<std::string> get_async(std::string instance_name, std::string key);

  // The value at `key` parsed as JSON; DecodeError when it is not valid JSON.
  JsonDocument get_json(const std::string& instance_name, const std::string& key);
  std::future<JsonDocument> get_json_async(std::string instance_name, std::string key);

  // All keys of the instance, in DVID's (byte) order.
  std::vector<std::string> get_keys(const std::string& instance_name);
  std::future<std::vector<std::string>> get_keys_async(std::string instance_name);

  // ---- grayscale (uint8blk) ------------------------------------------------------------------
  // Volume calls split the box into block-aligned chunks fetched in parallel over the pool and
  // decoded straight into the result. `throttle` sends DVID's throttle=on and backs off (fewer
  // requests in flight) when the server answers 503; false runs at full concurrency. A failed
  // call throws VolumeTransferError naming the chunks that failed; a GET never returns a partly
  // filled volume. Shapes must be positive; writes must be block aligned (ArgumentError, before
  // any chunk is sent, names the axis and the block size).

  // Creates a uint8blk instance with cubic blocks of `blocksize`. False if the name existed.
  bool create_grayscale8(const std::string& instance_name, int blocksize = 32);

  // The uint8 voxels of the box at `offset_zyx` of `shape_zyx` (any alignment; never-written
  // voxels are 0). `compress` fetches DVID's stored blocks (subvolblocks: lz4, or JPEG for a
  // jpeg-compressed instance) and decodes them here instead of raw voxels; `roi` masks voxels
  // outside the named ROI.
  Grayscale3D get_gray3D(const std::string& instance_name, Shape3 shape_zyx, Point3 offset_zyx,
                         bool throttle = true, bool compress = false, const std::string& roi = "",
                         const TransferOptions& options = {});
  // The same into the caller's buffer of exactly shape voxels (z-y-x).
  void get_gray3D(const std::string& instance_name, Shape3 shape_zyx, Point3 offset_zyx,
                  std::span<std::uint8_t> out, bool throttle = true, bool compress = false,
                  const std::string& roi = "", const TransferOptions& options = {});
  std::future<Grayscale3D> get_gray3D_async(std::string instance_name, Shape3 shape_zyx,
                                            Point3 offset_zyx, bool throttle = true,
                                            bool compress = false, std::string roi = "",
                                            TransferOptions options = {});

  // Writes a block-aligned volume. DVID has no compressed write for uint8blk, so `compress` is
  // accepted for the seed's signature and the voxels travel raw.
  void put_gray3D(const std::string& instance_name, const Grayscale3D& volume, Point3 offset_zyx,
                  bool throttle = true, bool compress = false, const TransferOptions& options = {});
  void put_gray3D(const std::string& instance_name, std::span<const std::uint8_t> voxels,
                  Shape3 shape_zyx, Point3 offset_zyx, bool throttle = true, bool compress = false,
                  const TransferOptions& options = {});
  // `voxels` must stay alive until the future is ready.
  std::future<void> put_gray3D_async(std::string instance_name,
                                     std::span<const std::uint8_t> voxels, Shape3 shape_zyx,
                                     Point3 offset_zyx, bool throttle = true, bool compress = false,
                                     TransferOptions options = {});

  // ---- labels (labelblk, labelmap, labelarray; labelvol) -------------------------------------
  // The label calls read the instance's type from its info once (cached with its block size) and
  // choose the wire from it; an instance of another type is an ArgumentError naming instance and
  // type, before any voxel request. labelmap and labelarray move gzip'd compressed blocks
  // (/blocks), decoded and encoded here on oneTBB's workers, straight into or out of the caller's
  // buffer; labelblk moves dense voxels (/raw, lz4 when `compress`). `label_options` carries the
  // labelmap/labelarray settings (volume.hpp); its defaults suit every label type.

  // Creates a labelblk instance and, when `labelvol_name` is given, a labelvol synced with it
  // both ways (as DVID wires them). True only if everything was created.
  bool create_labelblk(const std::string& instance_name, const std::string& labelvol_name = "",
                       int blocksize = 32);
  // Create a labelarray / labelmap instance with cubic blocks of `blocksize` (DVID wants a multiple
  // of 16 for labelmap), gzip-stored as DVID's default; libdvid's names and defaults. False if an
  // instance of that name existed (whatever its type).
  bool create_labelarray(const std::string& instance_name, int blocksize = 64);
  std::future<bool> create_labelarray_async(std::string instance_name, int blocksize = 64);
  bool create_labelmap(const std::string& instance_name, int blocksize = 64);
  std::future<bool> create_labelmap_async(std::string instance_name, int blocksize = 64);

  // The uint64 labels of the box (any alignment; never-written voxels are 0). labelblk and the raw
  // wire: `compress` moves them as lz4. labelmap/labelarray over stored blocks: the request asks
  // for the block-aligned cover and edge blocks are cropped here; a corrupt block stream fails the
  // call (VolumeTransferError naming the block, DVID's x,y,z, and the byte offset).
  Labels3D get_labels3D(const std::string& instance_name, Shape3 shape_zyx, Point3 offset_zyx,
                        bool throttle = true, bool compress = true, const std::string& roi = "",
                        const TransferOptions& options = {},
                        const LabelReadOptions& label_options = {});
  void get_labels3D(const std::string& instance_name, Shape3 shape_zyx, Point3 offset_zyx,
                    std::span<std::uint64_t> out, bool throttle = true, bool compress = true,
                    const std::string& roi = "", const TransferOptions& options = {},
                    const LabelReadOptions& label_options = {});
  std::future<Labels3D> get_labels3D_async(std::string instance_name, Shape3 shape_zyx,
                                           Point3 offset_zyx, bool throttle = true,
                                           bool compress = true, std::string roi = "",
                                           TransferOptions options = {},
                                           LabelReadOptions label_options = {});

  // libdvid's labelarray read: get_labels3D over stored blocks at `scale` (shape and offset in
  // that level's voxels). Unlike libdvid it accepts unaligned boxes.
  Labels3D get_labelarray_blocks3D(const std::string& instance_name, Shape3 shape_zyx,
                                   Point3 offset_zyx, bool throttle = true, int scale = 0,
                                   bool supervoxels = false);
  std::future<Labels3D> get_labelarray_blocks3D_async(std::string instance_name, Shape3 shape_zyx,
                                                      Point3 offset_zyx, bool throttle = true,
                                                      int scale = 0, bool supervoxels = false);

  // The label at one voxel (0 where nothing was written): get_labels_by_location of one point.
  std::uint64_t get_label_by_location(const std::string& instance_name, Point3 point_zyx,
                                      bool supervoxels = false);
  std::future<std::uint64_t> get_label_by_location_async(std::string instance_name,
                                                         Point3 point_zyx,
                                                         bool supervoxels = false);
  // The labels at the voxel points (z, y, x), in order, in one GET .../labels (DVID's JSON body of
  // [x,y,z] points). `supervoxels` is labelmap's (ArgumentError elsewhere). An empty list answers
  // an empty list without a request.
  std::vector<std::uint64_t> get_labels_by_location(const std::string& instance_name,
                                                    const std::vector<PointZYX>& points_zyx,
                                                    bool supervoxels = false);
  std::future<std::vector<std::uint64_t>> get_labels_by_location_async(
      std::string instance_name, std::vector<PointZYX> points_zyx, bool supervoxels = false);

  // Writes a block-aligned label volume (unaligned: ArgumentError naming the axis, offset/shape
  // and block size, before any byte is sent). labelblk: `roi` skips blocks outside it; `mutate`
  // tells DVID the voxels overwrite earlier labels (synced labelvols then drop the old ones).
  // labelmap/labelarray: POST /blocks chunks of gzip'd blocks encoded here (so `compress` is
  // moot); `roi` and `mutate` exist only on DVID's raw write, which this call does not use
  // (ArgumentError). A failed write names the chunks that did not land (VolumeTransferError).
  void put_labels3D(const std::string& instance_name, const Labels3D& volume, Point3 offset_zyx,
                    bool throttle = true, bool compress = true, const std::string& roi = "",
                    bool mutate = false, const TransferOptions& options = {},
                    const LabelWriteOptions& label_options = {});
  void put_labels3D(const std::string& instance_name, std::span<const std::uint64_t> voxels,
                    Shape3 shape_zyx, Point3 offset_zyx, bool throttle = true, bool compress = true,
                    const std::string& roi = "", bool mutate = false,
                    const TransferOptions& options = {},
                    const LabelWriteOptions& label_options = {});
  // `voxels` must stay alive until the future is ready.
  std::future<void> put_labels3D_async(std::string instance_name,
                                       std::span<const std::uint64_t> voxels, Shape3 shape_zyx,
                                       Point3 offset_zyx, bool throttle = true,
                                       bool compress = true, std::string roi = "",
                                       bool mutate = false, TransferOptions options = {},
                                       LabelWriteOptions label_options = {});

  // libdvid's labelarray write: put_labels3D over POST /blocks at `scale` (shape and offset in
  // that level's voxels); `noindexing` skips DVID's label indices. labelmap/labelarray only.
  void put_labelblocks3D(const std::string& instance_name, const Labels3D& label_vol_zyx,
                         Point3 offset_zyx, bool throttle = true, int scale = 0,
                         bool noindexing = false);
  // `label_vol_zyx` must stay alive until the future is ready.
  std::future<void> put_labelblocks3D_async(std::string instance_name,
                                            const Labels3D& label_vol_zyx, Point3 offset_zyx,
                                            bool throttle = true, int scale = 0,
                                            bool noindexing = false);

  // The blocks at block coordinates `blockcoords_zyx` (at `scale`) in one GET .../specificblocks,
  // decoded. `gray`: a uint8blk instance (scale must be 0), else labelmap/labelarray; it must
  // match the instance's type (ArgumentError). `uncompressed` asks DVID for expanded voxels
  // instead of its stored form; `supervoxels` is labelmap's. An empty list sends nothing.
  // DecodeError when a block does not decode, arrives twice or was not asked for.
  SpecificBlocks get_specificblocks3D(const std::string& instance_name, bool gray,
                                      const std::vector<BlockZYX>& blockcoords_zyx, int scale = 0,
                                      bool uncompressed = false, bool supervoxels = false);
  std::future<SpecificBlocks> get_specificblocks3D_async(std::string instance_name, bool gray,
                                                         std::vector<BlockZYX> blockcoords_zyx,
                                                         int scale = 0, bool uncompressed = false,
                                                         bool supervoxels = false);

  // Whether body `bodyid` has voxels in labelvol `labelvol_name` (HEAD sparsevol: 200 yes,
  // 204 no).
  bool body_exists(const std::string& labelvol_name, std::uint64_t bodyid);
  std::future<bool> body_exists_async(std::string labelvol_name, std::uint64_t bodyid);

  // The instance's block size (z, y, x), read from its info once and cached.
  Shape3 get_blocksize(const std::string& instance_name);

  // ---- ROI -------------------------------------------------------------------------------------
  // Creates an roi instance (32^3 blocks). False if the name existed.
  bool create_roi(const std::string& name);

  // Posts the blocks (z, y, x), in any order, as DVID's sorted, run-length-encoded spans. DVID
  // (at HEAD) replaces the ROI at this node with them. An empty list clears it.
  void post_roi(const std::string& roi_name, const std::vector<BlockZYX>& blocks_zyx);
  std::future<void> post_roi_async(std::string roi_name, std::vector<BlockZYX> blocks_zyx);

  // The ROI's blocks (z, y, x), sorted by z, then y, then x.
  std::vector<BlockZYX> get_roi(const std::string& roi_name);
  std::future<std::vector<BlockZYX>> get_roi_async(std::string roi_name);

  // Substacks of partition_size^3 blocks covering the ROI (sorted z, y, x), and the fraction of
  // their blocks that are in the ROI. partition_size must be positive.
  RoiPartition get_roi_partition(const std::string& roi_name, int partition_size);

  // For each voxel point (z, y, x), in order, whether it lies in the ROI. The list must not be
  // empty (ArgumentError).
  std::vector<bool> roi_ptquery(const std::string& roi_name,
                                const std::vector<PointZYX>& points_zyx);

  // A 0/1 mask of the box (1 inside the ROI), one byte per voxel, z-y-x, through the volume
  // engine (parallel chunks). DVID's mask endpoint has neither throttle nor compression, so
  // those seed arguments are accepted and not sent.
  Grayscale3D get_roi3D(const std::string& roi_name, Shape3 dims_zyx, Point3 offset_zyx,
                        bool throttle = true, bool compress = false,
                        const TransferOptions& options = {});

  // ---- tiles -----------------------------------------------------------------------------------
  // The stored tile (PNG or JPEG bytes, undecoded). `tile_numbers` is the seed's (x, y, z): x and
  // y in tile units of that scale, z the full-resolution slice (for XY tiles). `scaling` 0 is full
  // resolution. Throws HttpError when DVID has no such plane, scale or tile.
  std::string get_tile_slice_binary(const std::string& instance_name, Slice2D slice_type,
                                    unsigned scaling,
                                    const std::vector<std::int64_t>& tile_numbers);
  // The tile decoded to 8-bit grayscale; DecodeError when it is neither PNG nor JPEG.
  GrayImage get_tile_slice(const std::string& instance_name, Slice2D slice_type, unsigned scaling,
                           const std::vector<std::int64_t>& tile_numbers);
  std::future<GrayImage> get_tile_slice_async(std::string instance_name, Slice2D slice_type,
                                              unsigned scaling,
                                              std::vector<std::int64_t> tile_numbers);

  // ---- label graphs ----------------------------------------------------------------------------
  // Creates a labelgraph instance. False if the name existed.
  bool create_graph(const std::string& name);
  // Adds the vertices, or adds their weights to existing ones (DVID's weight increments). Sent in
  // parallel batches of at most 1000 vertices (DVID's transaction limit); never retried once sent,
  // since a repeated increment would count twice.
  void update_vertices(const std::string& graph_name, const std::vector<Vertex>& vertices);
  // Adds the edges, or adds their weights to existing ones. Every endpoint must exist already
  // (create them with update_vertices first); each batch touches at most 1000 vertices.
  void update_edges(const std::string& graph_name, const std::vector<Edge>& edges);
  // The whole graph, or with `vertices`, those vertices and the edges that touch them.
  Graph get_subgraph(const std::string& graph_name, const std::vector<Vertex>& vertices = {});
  // A vertex, its neighbours and the edges between them.
  Graph get_vertex_neighbors(const std::string& graph_name, std::uint64_t vertex_id);

  // ---- general -------------------------------------------------------------------------------
  // Creates an instance of any DVID type with string-valued settings (DVID's rule), e.g.
  // create_instance("imagetile", "tiles", {{"Format", "png"}, {"Source", "grayscale"}}).
  // False if the name existed.
  bool create_instance(const std::string& type_name, const std::string& instance_name,
                       const std::vector<std::pair<std::string, std::string>>& settings = {});

  // The instance's metadata (GET .../info).
  JsonDocument get_typeinfo(const std::string& instance_name);
  std::future<JsonDocument> get_typeinfo_async(std::string instance_name);

  // `method` on /api/node/<uuid><endpoint> (a leading '/' is added if missing; a query in the
  // endpoint is kept) with `payload` as body; returns the answer's body for any 2xx status.
  // `compress`: the payload is sent lz4-compressed and the answer lz4-decompressed, with
  // compression=lz4 in the query, as libdvid does; the decompressed answer, like any answer, is
  // refused above ClientOptions::max_response_bytes. `datasize` is for a resource manager.
  std::string custom_request(const std::string& endpoint, std::string_view payload,
                             ConnectionMethod method, bool compress = false,
                             std::uint64_t datasize = 1);
  std::future<std::string> custom_request_async(std::string endpoint, std::string payload,
                                                ConnectionMethod method, bool compress = false,
                                                std::uint64_t datasize = 1);

 private:
  std::shared_ptr<api::ClientCore> core_;
  std::shared_ptr<api::InstanceInfoCache> instances_;
  std::string uuid_;
};

}  // namespace dvidxfer
