#include "dvidxfer/common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace dvidxfer::log {
namespace {

Level level_from_environment() {
  const char* text = std::getenv("DVIDXFER_LOG");
  if (text == nullptr) return Level::warn;
  const std::string_view value(text);
  if (value == "debug") return Level::debug;
  if (value == "info") return Level::info;
  if (value == "error") return Level::error;
  if (value == "off") return Level::off;
  return Level::warn;
}

std::atomic<Level>& current_level() {
  static std::atomic<Level> level{level_from_environment()};
  return level;
}

const char* level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
    case Level::off:
      break;
  }
  return "off";
}

}  // namespace

void set_level(Level level) noexcept {
  current_level().store(level);
}
Level level() noexcept {
  return current_level().load();
}
bool enabled(Level level) noexcept {
  return level >= current_level().load(std::memory_order_relaxed);
}

void write(Level level, std::string_view message) {
  static std::mutex mutex;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::lock_guard lock(mutex);
  std::fprintf(stderr, "dvidxfer %lld.%03lld %s: %.*s\n", static_cast<long long>(now / 1000),
               static_cast<long long>(now % 1000), level_name(level),
               static_cast<int>(message.size()), message.data());
}

}  // namespace dvidxfer::log
