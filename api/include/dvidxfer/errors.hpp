// The exceptions of dvidxfer's public API. Everything thrown by NodeService and ServerService
// derives from dvidxfer::Error; messages name the server, the endpoint and what went wrong.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dvidxfer {

// Base of every dvidxfer exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input rejected before any byte was sent (bad shape, bad address, unusable key...).
class ArgumentError : public Error {
 public:
  using Error::Error;
};

// The server answered with a status the call treats as failure.
class HttpError : public Error {
 public:
  HttpError(std::string message, unsigned status, std::string method, std::string url,
            std::string body_excerpt);
  unsigned status() const noexcept { return status_; }
  const std::string& method() const noexcept { return method_; }
  const std::string& url() const noexcept { return url_; }
  // The first bytes of the server's answer (DVID puts its reason there).
  const std::string& body_excerpt() const noexcept { return body_excerpt_; }

 private:
  unsigned status_;
  std::string method_;
  std::string url_;
  std::string body_excerpt_;
};

// No answer could be had: connect failure, timeout, broken connection, malformed HTTP, cancel,
// a resource manager that refused or did not answer (admission), or a TLS handshake that failed
// (tls: the certificate was not trusted or names another host, or the server does not speak TLS).
class TransportError : public Error {
 public:
  enum class Kind { connect, timeout, connection, protocol, cancelled, admission, tls };
  TransportError(std::string message, Kind kind, std::string method, std::string url, int attempts);
  Kind kind() const noexcept { return kind_; }
  const std::string& method() const noexcept { return method_; }
  const std::string& url() const noexcept { return url_; }
  int attempts() const noexcept { return attempts_; }

 private:
  Kind kind_;
  std::string method_;
  std::string url_;
  int attempts_;
};

// The kind's name as written in code ("connect", "timeout", ..., "tls"); the Python module's
// `kind` attribute. Thread-safe, never null.
const char* to_string(TransportError::Kind kind) noexcept;

// The server answered 200 but its payload could not be decoded (malformed JSON, bad framing...).
class DecodeError : public Error {
 public:
  DecodeError(std::string message, std::string url);
  const std::string& url() const noexcept { return url_; }

 private:
  std::string url_;
};

// A box of voxels, (z, y, x), as volume errors report it.
struct VoxelBox {
  std::array<std::int64_t, 3> offset_zyx{};
  std::array<std::int64_t, 3> shape_zyx{};
};

// A volume GET or PUT that did not complete. For a PUT, failed_chunks() and unsent_chunks() are
// exactly the parts of the volume that did not land; every other chunk was acknowledged. A GET
// that throws this never hands its (partly written) buffer out as a result.
class VolumeTransferError : public Error {
 public:
  VolumeTransferError(std::string message, unsigned status, std::vector<VoxelBox> failed,
                      std::vector<VoxelBox> unsent, bool cancelled);
  // HTTP status of the first failed chunk (0 when it failed in transport or was cancelled).
  unsigned status() const noexcept { return status_; }
  const std::vector<VoxelBox>& failed_chunks() const noexcept { return failed_; }
  const std::vector<VoxelBox>& unsent_chunks() const noexcept { return unsent_; }
  bool cancelled() const noexcept { return cancelled_; }

 private:
  unsigned status_;
  std::vector<VoxelBox> failed_;
  std::vector<VoxelBox> unsent_;
  bool cancelled_;
};

}  // namespace dvidxfer
