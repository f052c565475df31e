// MD5 (RFC 1321) as lower-case hex, for DVID's content hashes (labelblk labels?hash=...).
#pragma once

#include <string>
#include <string_view>

namespace dvidxfer::server {

std::string md5_hex(std::string_view data);

}  // namespace dvidxfer::server
