// The volume half of `dvidxfer demo`: a grayscale and a label volume written and read back through
// the chunk engine, verified byte for byte, then benchmarked against the libdvid-style baseline.
#pragma once

#include <string>

#include "dvidxfer/client_options.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::cli {

// Runs on node `uuid` of the DVID at `address` with volumes of `shape_zyx` (block aligned),
// reaching it with `client`'s credentials; prints as it goes. True when every volume read back
// identical and no transfer failed.
bool run_volume_demo(const std::string& address, const std::string& uuid, Shape3 shape_zyx,
                     int bench_repetitions, const ClientOptions& client);

}  // namespace dvidxfer::cli
