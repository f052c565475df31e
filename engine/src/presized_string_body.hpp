// A Beast body that gathers a response into a std::string, as http::string_body does, but trusts
// the announced Content-Length only so far: it reserves at most kMaxPresizeBytes before the
// bytes arrive (string_body reserves all of it, so a lying length of gigabytes would make the
// client allocate gigabytes up front). Beyond that the string grows as the body really arrives.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

namespace dvidxfer::engine {

struct PresizedStringBody {
  using value_type = std::string;
  static constexpr std::uint64_t kMaxPresizeBytes = std::uint64_t(256) << 20;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::system::error_code& ec) {
      if (length) body_.reserve(static_cast<std::size_t>(std::min(*length, kMaxPresizeBytes)));
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      const auto extra = boost::asio::buffer_size(buffers);
      if (extra > body_.max_size() - body_.size()) {
        ec = boost::beast::http::error::buffer_overflow;
        return 0;
      }
      for (const auto piece : boost::beast::buffers_range_ref(buffers))
        body_.append(static_cast<const char*>(piece.data()), piece.size());
      ec = {};
      return extra;
    }

    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace dvidxfer::engine
