// Creating data instances (POST /api/repo/{uuid}/instance), shared by every create_* call.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "client_core.hpp"

namespace dvidxfer::api {

// Creates instance `name` of `type_name` with string-valued `settings` (DVID wants strings).
// True if created, false if DVID answers that the name exists; other refusals throw HttpError.
boost::asio::awaitable<bool> create_instance(
    ClientCore* core, std::string uuid, std::string type_name, std::string name,
    std::vector<std::pair<std::string, std::string>> settings);

// DVID's "n,n,n" BlockSize setting for cubic blocks; ArgumentError unless blocksize > 0.
std::string cubic_block_size(int blocksize);

// Validates an instance name before anything is sent (ArgumentError).
void require_instance_name(const std::string& name);

}  // namespace dvidxfer::api
