// splitmix64: a fast 64-bit mixer (Steele, Lea and Flood's SplittableRandom finaliser). Equal
// inputs give equal outputs on every platform, so seeded fault plans and generated test payloads
// are reproducible. Not for anything that must be unpredictable.
#pragma once

#include <cstdint>

namespace dvidxfer {

constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace dvidxfer
