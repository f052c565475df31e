// MaybeTlsStream: one connection's byte stream, plain TCP or TLS over TCP, behind the single
// AsyncReadStream / AsyncWriteStream interface that Beast's HTTP functions and Asio's composed
// operations take, so the HTTP code of the client and of the server is written once for both.
// Deadlines (expires_after) and the socket belong to the TCP layer, tcp(); the TLS layer, tls(),
// is there for the handshake and its settings (SNI, host name verification).
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cstddef>
#include <utility>
#include <variant>

namespace dvidxfer::net {

class MaybeTlsStream {
 public:
  using Plain = boost::beast::tcp_stream;
  using Tls = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  using executor_type = Plain::executor_type;

  // Plain TCP.
  explicit MaybeTlsStream(Plain plain) : stream_(std::in_place_type<Plain>, std::move(plain)) {}
  // TLS over `plain` with `context`'s settings (which must outlive the stream); the handshake is
  // the caller's first step.
  MaybeTlsStream(Plain plain, boost::asio::ssl::context& context)
      : stream_(std::in_place_type<Tls>, std::move(plain), context) {}

  bool is_tls() const noexcept { return std::holds_alternative<Tls>(stream_); }
  // The TLS layer, or nullptr when the stream is plain.
  Tls* tls() noexcept { return std::get_if<Tls>(&stream_); }
  // The TCP layer: deadlines, the socket, closing.
  Plain& tcp() noexcept {
    if (auto* tls_layer = std::get_if<Tls>(&stream_)) return tls_layer->next_layer();
    return std::get<Plain>(stream_);
  }

  executor_type get_executor() noexcept { return tcp().get_executor(); }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& to) {
          std::visit([&](auto& layer) { layer.async_read_some(to, std::move(handler)); }, stream_);
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& from) {
          std::visit([&](auto& layer) { layer.async_write_some(from, std::move(handler)); },
                     stream_);
        },
        token, buffers);
  }

 private:
  std::variant<Plain, Tls> stream_;
};

}  // namespace dvidxfer::net
