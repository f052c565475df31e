// DVID's keyvalue protobuf messages (codecs/keyvalue_protobuf): malformed bytes give an error at
// an offset inside the input; a message that decodes re-encodes to canonical bytes that decode to
// the same pairs (KeyValues) or the same request (Keys), and encoding is then stable.
#include "dvidxfer/codecs/keyvalue_protobuf.hpp"
#include "fuzz_check.hpp"

namespace codecs = dvidxfer::codecs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const auto pairs = codecs::decode_key_values(bytes);
  if (pairs) {
    const std::string encoded = codecs::encode_key_values(*pairs);
    const auto again = codecs::decode_key_values(encoded);
    FUZZ_CHECK(again.ok() && *again == *pairs);
    FUZZ_CHECK(codecs::encode_key_values(*again) == encoded);
  } else {
    FUZZ_CHECK(pairs.error().offset <= size);
    FUZZ_CHECK(!pairs.error().message.empty());
  }

  const auto keys = codecs::decode_keys(bytes);
  if (keys) {
    const std::string encoded = codecs::encode_keys(*keys);
    const auto again = codecs::decode_keys(encoded);
    FUZZ_CHECK(again.ok() && *again == *keys);
    FUZZ_CHECK(codecs::encode_keys(*again) == encoded);
  } else {
    FUZZ_CHECK(keys.error().offset <= size);
    FUZZ_CHECK(!keys.error().message.empty());
  }
  return 0;
}
