#include "dvidxfer/errors.hpp"

namespace dvidxfer {

HttpError::HttpError(std::string message, unsigned status, std::string method, std::string url,
                     std::string body_excerpt)
    : Error(std::move(message)),
      status_(status),
      method_(std::move(method)),
      url_(std::move(url)),
      body_excerpt_(std::move(body_excerpt)) {}

TransportError::TransportError(std::string message, Kind kind, std::string method, std::string url,
                               int attempts)
    : Error(std::move(message)),
      kind_(kind),
      method_(std::move(method)),
      url_(std::move(url)),
      attempts_(attempts) {}

const char* to_string(TransportError::Kind kind) noexcept {
  switch (kind) {
    case TransportError::Kind::connect:
      return "connect";
    case TransportError::Kind::timeout:
      return "timeout";
    case TransportError::Kind::connection:
      return "connection";
    case TransportError::Kind::protocol:
      return "protocol";
    case TransportError::Kind::cancelled:
      return "cancelled";
    case TransportError::Kind::admission:
      return "admission";
    case TransportError::Kind::tls:
      return "tls";
  }
  return "unknown";
}

DecodeError::DecodeError(std::string message, std::string url)
    : Error(std::move(message)), url_(std::move(url)) {}

VolumeTransferError::VolumeTransferError(std::string message, unsigned status,
                                         std::vector<VoxelBox> failed, std::vector<VoxelBox> unsent,
                                         bool cancelled)
    : Error(std::move(message)),
      status_(status),
      failed_(std::move(failed)),
      unsent_(std::move(unsent)),
      cancelled_(cancelled) {}

}  // namespace dvidxfer
