// The dvid-resource-manager's messages (janelia-flyem/dvid-resource-manager, server.py): JSON
// objects over a REQ/REP socket, and "<id> 1" grant announcements on the PUB socket at port + 1.
// Pure functions, no sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dvidxfer/common/result.hpp"
#include "dvidxfer/engine/admission_control.hpp"

namespace dvidxfer::engine::resource_manager {

// The datasize the manager is told: the request's bytes, but a read of unknown size (0 bytes)
// weighs 1, as libdvid asks.
std::uint64_t datasize(const AdmissionRequest& request);
// {"type":"request","resource":...,"numopts":1,"datasize":...,"read":...}.
std::string request_message(const AdmissionRequest& request);
// {"type":"hold","id":n}: takes a grant announced on the PUB socket (stops its re-announcement).
std::string hold_message(std::uint64_t id);
// {"type":"release","id":n}: gives a granted request's share back.
std::string release_message(std::uint64_t id);

// The answer to a request message.
struct RequestReply {
  std::uint64_t id = 0;
  bool available = false;  // granted now; otherwise wait for the id to be announced
  bool invalid = false;    // larger than the manager's configured maximums: never grantable
};

// Parses {"id": n, "available": bool[, "invalid": true]} of any length; the error says what is
// wrong with it.
Result<RequestReply, std::string> parse_request_reply(std::string_view reply);

// The id a grant announcement names: its first space-separated word, when that word is a number
// written as the manager writes ids (decimal, no leading zero). "11 1" names 11, never 1, and
// "01 1" names nothing (ZeroMQ subscriptions match prefixes; ids must match whole).
std::optional<std::uint64_t> announced_id(std::string_view message);

}  // namespace dvidxfer::engine::resource_manager
