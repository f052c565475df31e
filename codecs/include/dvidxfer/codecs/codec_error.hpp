// The error every decoder returns: what is wrong and the byte offset where it was found.
#pragma once

#include <cstddef>
#include <string>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::codecs {

struct CodecError {
  std::string message;     // what is wrong, e.g. "varint runs past the end of the message"
  std::size_t offset = 0;  // byte offset in the input where decoding stopped
};

template <class T>
using CodecResult = Result<T, CodecError>;

}  // namespace dvidxfer::codecs
