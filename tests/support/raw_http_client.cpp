#include "raw_http_client.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace dvidxfer::testing {
namespace {

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

bool has_header(const HttpHeaders& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return lower_case(h.first) == lower_name; });
}

const char* describe(ReadEnd end) {
  switch (end) {
    case ReadEnd::complete:
      return "complete";
    case ReadEnd::eof:
      return "connection closed before the response was complete";
    case ReadEnd::reset:
      return "connection reset";
    case ReadEnd::timeout:
      return "timed out";
    case ReadEnd::malformed:
      return "malformed response";
  }
  return "?";
}

}  // namespace

std::string RawHttpResponse::header(std::string_view name) const {
  const auto lower = lower_case(name);
  for (const auto& [key, value] : headers)
    if (key == lower) return value;
  return {};
}

bool RawHttpResponse::has_header(std::string_view name) const {
  const auto lower = lower_case(name);
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return h.first == lower; });
}

RawHttpClient::RawHttpClient(std::uint16_t port, std::string host,
                             std::chrono::milliseconds timeout)
    : port_(port), host_(std::move(host)), timeout_(timeout) {
  connect();
}

RawHttpClient::~RawHttpClient() {
  close();
}

void RawHttpClient::connect() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port_);
  if (getaddrinfo(host_.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr)
    throw std::runtime_error("cannot resolve " + host_);
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0)
    throw std::runtime_error("cannot connect to " + host_ + ":" + service + ": " +
                             std::strerror(errno));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout_.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout_.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
  pending_.clear();
  reconnect_before_next_ = false;
}

void RawHttpClient::close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawHttpClient::reconnect() {
  close();
  connect();
}

std::string RawHttpClient::format_request(std::string_view method, std::string_view target,
                                          std::string_view body, const HttpHeaders& headers) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  if (!has_header(headers, "host")) out += "Host: localhost\r\n";
  if (!has_header(headers, "content-length") && !has_header(headers, "transfer-encoding") &&
      (!body.empty() || method == "POST" || method == "PUT"))
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [name, value] : headers) out.append(name).append(": ").append(value) += "\r\n";
  out += "\r\n";
  out.append(body);
  return out;
}

RawHttpResponse RawHttpClient::request(std::string_view method, std::string_view target,
                                       std::string_view body, const HttpHeaders& headers) {
  if (reconnect_before_next_ || fd_ < 0) reconnect();
  send_request(method, target, body, headers);
  auto response = read_response(method == "HEAD");
  if (response.end != ReadEnd::complete)
    throw std::runtime_error(std::string(method) + " " + std::string(target) + ": " +
                             describe(response.end));
  return response;
}

void RawHttpClient::send_request(std::string_view method, std::string_view target,
                                 std::string_view body, const HttpHeaders& headers) {
  send_raw(format_request(method, target, body, headers));
}

void RawHttpClient::send_raw(std::string_view bytes) {
  if (!try_send_raw(bytes))
    throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
}

bool RawHttpClient::try_send_raw(std::string_view bytes) {
  if (fd_ < 0) return false;
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

ReadEnd RawHttpClient::receive_more() {
  if (fd_ < 0) return ReadEnd::eof;
  char chunk[64 * 1024];
  for (;;) {
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      pending_.append(chunk, static_cast<std::size_t>(n));
      return ReadEnd::complete;
    }
    if (n == 0) return ReadEnd::eof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return ReadEnd::timeout;
    return ReadEnd::reset;
  }
}

ReadEnd RawHttpClient::read_line(std::string& line) {
  for (;;) {
    const auto end = pending_.find("\r\n");
    if (end != std::string::npos) {
      line = pending_.substr(0, end);
      pending_.erase(0, end + 2);
      return ReadEnd::complete;
    }
    if (const auto got = receive_more(); got != ReadEnd::complete) return got;
  }
}

ReadEnd RawHttpClient::read_exactly(std::size_t count, std::string& out) {
  for (;;) {
    const auto take = std::min(count, pending_.size());
    out.append(pending_, 0, take);
    pending_.erase(0, take);
    count -= take;
    if (count == 0) return ReadEnd::complete;
    if (const auto got = receive_more(); got != ReadEnd::complete) return got;
  }
}

RawHttpResponse RawHttpClient::read_response(bool head_request) {
  RawHttpResponse response;
  auto fail = [&](ReadEnd end) {
    response.end = end;
    reconnect_before_next_ = true;
    return response;
  };
  std::string line;
  // Interim 1xx answers (100 Continue) precede the real one.
  do {
    if (const auto got = read_line(line); got != ReadEnd::complete) return fail(got);
    if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) return fail(ReadEnd::malformed);
    response.status = std::atoi(line.c_str() + 9);
    response.reason = line.size() > 13 ? line.substr(13) : std::string();
    response.headers.clear();
    for (;;) {
      if (const auto got = read_line(line); got != ReadEnd::complete) return fail(got);
      if (line.empty()) break;
      const auto colon = line.find(':');
      if (colon == std::string::npos) return fail(ReadEnd::malformed);
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      response.headers.emplace_back(lower_case(line.substr(0, colon)), std::move(value));
    }
  } while (response.status >= 100 && response.status < 200);

  if (lower_case(response.header("connection")) == "close") reconnect_before_next_ = true;
  if (head_request || response.status == 204 || response.status == 304) return response;
  if (lower_case(response.header("transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      if (const auto got = read_line(line); got != ReadEnd::complete) return fail(got);
      const auto size = std::strtoull(line.c_str(), nullptr, 16);
      if (size == 0) break;
      if (const auto got = read_exactly(size, response.body); got != ReadEnd::complete)
        return fail(got);
      if (const auto got = read_line(line); got != ReadEnd::complete) return fail(got);
    }
    do {  // trailers end with an empty line
      if (const auto got = read_line(line); got != ReadEnd::complete) return fail(got);
    } while (!line.empty());
    return response;
  }
  if (response.has_header("content-length")) {
    const auto length = std::strtoull(response.header("content-length").c_str(), nullptr, 10);
    if (const auto got = read_exactly(length, response.body); got != ReadEnd::complete)
      return fail(got);
    return response;
  }
  // No framing: the body runs to EOF.
  for (;;) {
    const auto got = receive_more();
    response.body += pending_;
    pending_.clear();
    if (got == ReadEnd::eof) break;
    if (got != ReadEnd::complete) return fail(got);
  }
  reconnect_before_next_ = true;
  return response;
}

std::string RawHttpClient::read_some() {
  if (pending_.empty() && receive_more() != ReadEnd::complete) return {};
  return std::exchange(pending_, std::string());
}

bool RawHttpClient::server_closed() {
  if (!pending_.empty()) return false;
  const auto got = receive_more();
  return got == ReadEnd::eof || got == ReadEnd::reset;
}

}  // namespace dvidxfer::testing
