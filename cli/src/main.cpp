// dvidxfer: move volumetric data to and from DVID servers, serve an embedded DVID, benchmark.
#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "arguments.hpp"
#include "commands.hpp"
#include "dvidxfer/errors.hpp"

namespace {

constexpr const char* kUsage = R"(usage: dvidxfer COMMAND [options]

commands:
  serve   run the embedded DVID-compatible server (in memory, versioned)
            --listen HOST:PORT      address to listen on (default 127.0.0.1:8000; port 0 = any)
            --threads N             I/O threads (default 2)
            --admin-token T         require ?admintoken=T to create repos and change settings
            --auth-token T          refuse (401) every request without "Authorization: Bearer T"
            --tls-cert FILE --tls-key FILE   serve HTTPS with this PEM certificate chain and key
            --throttle N            DVID's limit of concurrent throttled operations (default 1)
            --max-body-bytes B      largest request body accepted (default 3Gi; larger: 413)
            --max-header-bytes B    largest request head accepted (default 64Ki; larger: 431)
            --max-connections N     open connections at most (default 10000); a newcomer closes
                                    the one idle longest, or gets 503 when all are busy
            --max-pending-response-bytes B   answers not yet sent, at most (default 4Gi); past
                                    it a larger answer than 1Mi gets 503
            --idle-timeout S        close a connection idle this long (seconds, default 60)
            --header-timeout S      close one whose request head takes longer (default 30)
            --body-timeout S        close one whose request body stalls this long (default 60)
            --request-timeout S     close one whose whole request takes longer (default 600)
            --response-timeout S    close one that takes longer to read an answer (default 600)
            fault injection (deterministic under --seed):
            --seed S  --latency-ms MS  --bandwidth BYTES_PER_S (e.g. 100M)
            --fault-503 P  --fault-500 P  --fault-reset P  --fault-truncate P   (P in [0,1])
  demo    key-value round trip: create a repo and a keyvalue instance, write and read keys;
          then put, get and verify a grayscale and a label volume, and benchmark both (GET and
          PUT) against the libdvid-style baseline; then a labelmap with one lower scale: ingest
          a segmentation with downres, read it back at scales 0 and 1, verify, benchmark
            --server ADDR           a running DVID (default: start an embedded server in-process)
            --keys N                number of keys (default 10000)
            --value-bytes B         value size (default 1024)
            --concurrency N         requests in flight (default 8)
            --volume-shape Z,Y,X    the volumes' shape (default 512,512,512; multiples of 32; the
                                    labelmap's rounded up to multiples of its 64^3 blocks)
            --bench-repetitions N   repetitions per benchmark (default 3)
            --config FILE           these options and the client's (see get) from a JSON file
  get SERVER UUID INSTANCE --shape Z,Y,X [--offset Z,Y,X] --file F
          read a box of a uint8blk, labelblk, labelarray or labelmap instance into F (raw z-y-x
          voxels: uint8, or uint64 little-endian for labels; the type comes from the instance's
          info)
            --throttle on|off       DVID's throttle=on and back-off on 503 (default off: full speed;
                                    turn it on when sharing a production DVID with other loaders)
            --compress on|off       labels as lz4 (default on); grayscale as DVID's stored lz4
                                    blocks (default off)
            --concurrency N|auto    requests in flight (default auto = 8)
            --chunk-bytes B|auto    uncompressed bytes per request (default auto, from the shape)
            --roi NAME              voxels outside the ROI read as 0
            labelarray and labelmap:
            --scale N               resolution level (default 0; shape and offset in its voxels)
            --supervoxels           labelmap: the stored supervoxel ids, not their bodies
            --wire blocks|raw       blocks (default): DVID's stored gzip'd blocks, decoded here;
                                    raw: dense voxels decoded by DVID (lz4 unless --compress off)
            --config FILE           options from a JSON file (e.g. configs/polite-shared-server.json);
                                    options on the command line win
            the client (also for put, bench, demo):
            --io-threads N  --connect-timeout-ms MS  --inactivity-timeout-ms MS
            --request-timeout-ms MS (a whole call, retries included)  --max-attempts N
            --initial-backoff-ms MS  --max-backoff-ms MS  --max-response-bytes B
            --token T               send "Authorization: Bearer T" (default: $DVID_TOKEN)
            --tls-ca-file FILE      for https:// servers, trust the CA certificates in FILE too
  put SERVER UUID INSTANCE --shape Z,Y,X [--offset Z,Y,X] --file F
          write F (as get writes it; block aligned) into the instance; a file whose size does not
          match the shape is refused before anything is sent
            --throttle, --compress, --concurrency, --chunk-bytes, --config and the client's
                                    options as for get
            --mutate                tell DVID the labels overwrite earlier ones (labelblk)
            labelarray and labelmap (always gzip'd blocks, encoded here):
            --scale N               write that level (default 0)
            --downres               DVID recomputes the lower levels from this write
            --noindexing            DVID skips the label indices
            --ingest                POST /ingest-supervoxels (labelmap): DVID's fastest path, no
                                    indexing, extents or downres
  A progress bar is drawn on stderr when it is a terminal.
  bench [SERVER UUID INSTANCE | --embedded] [options]
          move one box repeatedly and report voxel and wire MB/s, requests/s, request latency
          p50/p90/p99, retries, errors and seconds per repetition (median)
            --embedded              start an in-process server, create a repo and instance, write
                                    the box first when benchmarking GETs
            --op get|put            (default get; put writes --volume's voxels to the instance!)
            --type uint8blk|labelblk|labelarray|labelmap   instance type (--embedded; default
                                    labelblk) or a check
            --shape Z,Y,X           (default 256,256,256)   --offset Z,Y,X (default 0,0,0)
            --concurrency N|auto  --chunk-bytes B|auto  --compress on|off  --throttle on|off
                                    as for get (throttle default off)
            --repetitions N         (default 3)
            --scale, --supervoxels, --wire (get), --downres, --noindexing, --ingest (put)
                                    labelarray/labelmap options, as for get and put
            --volume synthetic|fixtures   what a PUT (or --embedded's setup) writes: synthetic
                                    cells (default) or 64^3 tiles of DVID's real segmentation
                                    fixtures, each tile with its own labels
            --fixtures DIR          where those are (default: ../shared/fixtures/dvid relative to
                                    the repository root: above the source tree the binary was
                                    built from, else above the executable's folder)
            --baseline              also move the box as libdvid-cpp does (one request, one
                                    connection, whole-body buffer, then lz4; labelarray/labelmap
                                    as one dense /raw request, lz4) and print the ratio
            --json                  the figures as JSON on stdout
            --latency-ms MS  --bandwidth B   (--embedded) emulate a remote DVID: latency added to
                                    every response, bandwidth cap per connection (e.g. 100M)
            --config FILE           a scenario or client profile (configs/bench-*.json), and the
                                    client's options, as for get
            The CPU s/GiB column is the process's user+sys CPU per GiB moved (with --embedded
            the in-process server's included). labelarray/labelmap GETs, and uint8blk GETs with
            --compress on, also fetch the stored blocks once and time one thread's decode of them
            (gunzip + label Blocks; JPEG or lz4 grayscale), and print dvidxfer's CPU over that
  help    this text
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  try {
    if (command == "serve") return dvidxfer::cli::run_serve(argc, argv, 2);
    if (command == "demo") return dvidxfer::cli::run_demo(argc, argv, 2);
    if (command == "get") return dvidxfer::cli::run_get(argc, argv, 2);
    if (command == "put") return dvidxfer::cli::run_put(argc, argv, 2);
    if (command == "bench") return dvidxfer::cli::run_bench(argc, argv, 2);
    if (command == "help" || command == "--help" || command == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    fmt::print(stderr, "dvidxfer: unknown command '{}'\n\n{}", command, kUsage);
    return 2;
  } catch (const dvidxfer::cli::UsageError& e) {
    fmt::print(stderr, "dvidxfer {}: {}\n", command, e.what());
    return 2;
  } catch (const dvidxfer::Error& e) {
    fmt::print(stderr, "dvidxfer {}: {}\n", command, e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dvidxfer {}: {}\n", command, e.what());
    return 1;
  }
}
