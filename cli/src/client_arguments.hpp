// The ClientOptions a command's user may set (timeouts, retries, I/O threads, the largest answer,
// the bearer token, a CA file for https), each a --name option and a key of a --config file.
// Shared by get, put, bench and demo.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "dvidxfer/client_options.hpp"

namespace dvidxfer::cli {

// The option names client_options reads, for allow_only and the usage text.
const std::vector<std::string>& client_option_names();

// ClientOptions from those options, defaults for the absent ones; `max_connections` (the
// command's --concurrency) 0 keeps the default. Out-of-range values throw UsageError naming the
// option, or the file and key it came from.
ClientOptions client_options(const Arguments& args, std::size_t max_connections);

}  // namespace dvidxfer::cli
