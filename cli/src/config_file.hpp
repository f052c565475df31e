// --config FILE: a command's options kept in a JSON file, e.g. a client profile or a bench
// scenario from configs/. The file is one JSON object whose keys are the command's long option
// names (without "--") and whose values are typed:
//   on/off switches (throttle, compress)        true or false
//   flags (baseline, mutate, supervoxels,       true (false leaves the flag off)
//          downres, noindexing, ingest)
//   counts and milliseconds                     integers; concurrency also "auto"
//   byte sizes (chunk-bytes, bandwidth, ...)    an integer or a string such as "64Mi" ("auto" for
//                                               chunk-bytes)
//   boxes (shape, offset, volume-shape)         [z, y, x]
//   words (op, type, wire, volume, fixtures)    strings
// Options given on the command line win over the file. Unknown keys, wrong types and values out of
// range are refused (UsageError naming the file, the key and why) before any request is sent.
#pragma once

#include <string>
#include <vector>

#include "arguments.hpp"

namespace dvidxfer::cli {

// Every key a config file may hold, whichever command reads it.
const std::vector<std::string>& config_file_keys();

// When `args` has --config FILE: reads FILE and sets its values as defaults of `args`. Keys the
// command does not take are then refused by the command's Arguments::allow_only.
void apply_config_file(Arguments& args);

}  // namespace dvidxfer::cli
