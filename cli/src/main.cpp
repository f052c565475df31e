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
            --throttle N            DVID's limit of concurrent throttled operations (default 1)
            --max-body-bytes B      largest request body accepted (default 3Gi)
            fault injection (deterministic under --seed):
            --seed S  --latency-ms MS  --bandwidth BYTES_PER_S (e.g. 100M)
            --fault-503 P  --fault-500 P  --fault-reset P  --fault-truncate P   (P in [0,1])
  demo    key-value round trip: create a repo and a keyvalue instance, write and read keys
            --server ADDR           a running DVID (default: start an embedded server in-process)
            --keys N                number of keys (default 10000)
            --value-bytes B         value size (default 1024)
            --concurrency N         requests in flight (default 8)
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
