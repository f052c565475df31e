// ReceivedStringBody: a Beast body held in a std::string, like http::string_body, except that it
// allocates in step with the bytes that arrive rather than reserving a declared Content-Length up
// front. A client that announces 3 GiB and sends 10 bytes then costs 10 bytes plus a small
// reservation, not 3 GiB of address space (which strict overcommit or a memory limit would count
// in full, starving requests that send their bytes).
#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

namespace dvidxfer::server {

struct ReceivedStringBody {
  using value_type = std::string;

  // Reserved at once for a body of known length; past it the string grows as bytes arrive, by
  // kGrowth at a time (few copies of a large body), but never beyond the declared length.
  static constexpr std::size_t kFirstReservation = 1 << 20;
  static constexpr std::size_t kGrowth = 8;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      ec = {};
      if (!length) return;
      if (*length > body_.max_size()) {
        ec = boost::beast::http::error::buffer_overflow;
        return;
      }
      declared_ = static_cast<std::size_t>(*length);
      body_.reserve(std::min(declared_, kFirstReservation));
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const std::size_t extra = boost::beast::buffer_bytes(buffers);
      const std::size_t size = body_.size();
      if (extra > body_.max_size() - size) {
        ec = boost::beast::http::error::buffer_overflow;
        return 0;
      }
      const std::size_t needed = size + extra;
      if (needed > body_.capacity()) {
        std::size_t grown = std::max(needed, body_.capacity() * kGrowth);
        if (declared_ >= needed) grown = std::min(grown, declared_);
        body_.reserve(grown);
      }
      body_.resize(needed);
      char* to = body_.data() + size;
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        std::memcpy(to, buffer.data(), buffer.size());
        to += buffer.size();
      }
      ec = {};
      return extra;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
    std::size_t declared_ = 0;  // the Content-Length, when there was one
  };
};

}  // namespace dvidxfer::server
