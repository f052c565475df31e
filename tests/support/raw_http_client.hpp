// RawHttpClient: a small blocking HTTP/1.1 client over one POSIX socket, for tests of the
// embedded server. It reuses its connection (keep-alive), reconnects when the server closed it,
// and can send arbitrary bytes (chunked bodies, oversized headers, garbage) and then read what
// comes back, including short bodies, EOFs and resets.
//
//   RawHttpClient client(server.port());
//   auto r = client.request("POST", "/api/repos", R"({"alias":"a"})");
//   EXPECT_EQ(r.status, 200); r.body; r.header("content-type");
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dvidxfer::testing {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// How reading a response ended.
enum class ReadEnd {
  complete,   // status, headers and the whole body (by Content-Length, chunks or EOF) arrived
  eof,        // the server closed (FIN) before the response was complete
  reset,      // the connection failed (RST) before the response was complete
  timeout,    // nothing arrived within the client's timeout
  malformed,  // the bytes were not an HTTP/1.1 response
};

struct RawHttpResponse {
  ReadEnd end = ReadEnd::complete;
  int status = 0;
  std::string reason;
  HttpHeaders headers;  // names lower-cased, in order
  std::string body;     // decoded from chunks; as much as arrived when `end` is not complete

  // First value of a header (any case), or "".
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

class RawHttpClient {
 public:
  // Connects to host:port (throws std::runtime_error on failure). `timeout` bounds every wait for
  // the server, so a hanging server fails a test instead of hanging it.
  explicit RawHttpClient(std::uint16_t port, std::string host = "127.0.0.1",
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  // Sends a request (adding Host, and Content-Length unless `headers` set Content-Length or
  // Transfer-Encoding) and reads the complete response. Reconnects first if the server closed the
  // connection after the previous response. Throws std::runtime_error unless the response is
  // complete.
  RawHttpResponse request(std::string_view method, std::string_view target,
                          std::string_view body = {}, const HttpHeaders& headers = {});

  // Sends a request like request() but does not read the answer.
  void send_request(std::string_view method, std::string_view target, std::string_view body = {},
                    const HttpHeaders& headers = {});
  // Sends bytes as they are. Throws std::runtime_error if the connection fails.
  void send_raw(std::string_view bytes);
  // Like send_raw but reports failure (e.g. the server closed early) instead of throwing.
  bool try_send_raw(std::string_view bytes);
  // Reads one response; never throws for what the server did (see RawHttpResponse::end).
  // A response to HEAD has no body, so say whether the request was one.
  RawHttpResponse read_response(bool head_request = false);
  // Whatever bytes arrive next, unparsed (after any already buffered); "" on EOF, error or
  // timeout.
  std::string read_some();
  // Whether the server closed the connection: true on EOF or error within the timeout.
  bool server_closed();

  // Closes the current connection and opens a new one.
  void reconnect();
  bool connected() const noexcept { return fd_ >= 0; }
  std::uint16_t port() const noexcept { return port_; }

  // The bytes of a request as send_request() sends them.
  static std::string format_request(std::string_view method, std::string_view target,
                                    std::string_view body, const HttpHeaders& headers);

 private:
  void connect();
  void close() noexcept;
  // Appends what the socket has to `pending_`; returns how the read ended (complete = got data).
  ReadEnd receive_more();
  ReadEnd read_line(std::string& line);
  ReadEnd read_exactly(std::size_t count, std::string& out);

  std::uint16_t port_;
  std::string host_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  bool reconnect_before_next_ = false;
  std::string pending_;  // received, not yet consumed
};

}  // namespace dvidxfer::testing
