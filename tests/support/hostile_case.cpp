#include "hostile_case.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <exception>

#include "dvidxfer/errors.hpp"
#include "peak_memory.hpp"

namespace dvidxfer::testing {

CaseOutcome run_hostile_case(const std::function<void()>& call) {
  CaseOutcome outcome;
  const PeakMemory memory;
  const auto started = std::chrono::steady_clock::now();
  const auto caught = [&](std::string type, const std::exception& e, bool ours) {
    outcome.threw = true;
    outcome.dvidxfer_error = ours;
    outcome.type = std::move(type);
    outcome.message = e.what();
  };
  try {
    call();
  } catch (const TransportError& e) {
    caught(fmt::format("TransportError({})", to_string(e.kind())), e, true);
  } catch (const HttpError& e) {
    caught(fmt::format("HttpError({})", e.status()), e, true);
  } catch (const DecodeError& e) {
    caught("DecodeError", e, true);
  } catch (const VolumeTransferError& e) {
    caught("VolumeTransferError", e, true);
  } catch (const Error& e) {
    caught("Error", e, true);
  } catch (const std::exception& e) {
    caught("std::exception", e, false);
  }
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  outcome.memory_rise_bytes = memory.rise_bytes();
  outcome.memory_exact = memory.exact();
  outcome.virtual_rise_bytes = memory.virtual_rise_bytes();
  return outcome;
}

void report_hostile_case(std::string_view name, std::string_view server_did,
                         const CaseOutcome& outcome) {
  // The head names the call and endpoint, the tail says what was wrong: keep both.
  constexpr std::size_t kHead = 160, kTail = 260;
  const auto& message = outcome.message;
  const std::string excerpt =
      message.size() <= kHead + kTail
          ? message
          : message.substr(0, kHead) + " [...] " + message.substr(message.size() - kTail);
  const std::string client =
      outcome.threw ? fmt::format("{}: {}", outcome.type, excerpt) : "returned (no error)";
  std::printf(
      "[hostile-server] %.*s | server: %.*s | client: %s | %.2f s | peak RSS %+.1f MiB%s | "
      "peak virtual %+.1f MiB\n",
      static_cast<int>(name.size()), name.data(), static_cast<int>(server_did.size()),
      server_did.data(), client.c_str(), outcome.seconds,
      static_cast<double>(outcome.memory_rise_bytes) / (1 << 20),
      outcome.memory_exact ? "" : " (peak not resettable: lower bound)",
      static_cast<double>(outcome.virtual_rise_bytes) / (1 << 20));
  std::fflush(stdout);
}

}  // namespace dvidxfer::testing
