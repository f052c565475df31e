// The volume half of `dvidxfer demo`: a grayscale and a label volume written and read back through
// the chunk engine, verified byte for byte, then benchmarked against the libdvid-style baseline.
#pragma once

#include <string>

#include "dvidxfer/client_options.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::cli {

// Runs on node `uuid` of the DVID at `address` with volumes of `shape_zyx` (block aligned),
// reaching it with `client`'s credentials; prints as it goes. `server_in_process`: the DVID is
// the embedded server in this process (its CPU then counts in the figures). True when every
// volume read back identical and no transfer failed.
bool run_volume_demo(const std::string& address, const std::string& uuid, Shape3 shape_zyx,
                     int bench_repetitions, const ClientOptions& client, bool server_in_process);

// The labelmap part (demo_labelmap.cpp): a labelmap with MaxDownresLevel 1 is written with downres
// (real segmentation tiles when DVID's fixtures are found), read back at scale 0 (byte for byte)
// and scale 1 (both wires agree, each voxel a label of its cell), then benchmarked against the
// baseline. `shape_zyx` is rounded up to multiples of 64 (the labelmap's blocks). True when all
// held.
bool run_labelmap_demo(const std::string& address, const std::string& uuid, Shape3 shape_zyx,
                       int bench_repetitions, const ClientOptions& client, bool server_in_process);

}  // namespace dvidxfer::cli
