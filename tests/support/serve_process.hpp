// ServeProcess: `dvidxfer serve` running as a separate process on a free loopback port, for tests
// that measure the server's own memory (VmRSS and VmHWM from /proc/PID/status) while clients
// misbehave. Stopped with SIGTERM (SIGKILL if it does not stop) on destruction.
//
//   ServeProcess serve(DVIDXFER_CLI_PATH, {"--header-timeout", "2"});
//   RawHttpClient client(serve.port());
//   serve.rss_kib();
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dvidxfer::testing {

class ServeProcess {
 public:
  // Starts `cli serve --listen 127.0.0.1:0 ARGS...` and waits (up to a minute) for its
  // "listening on" line. Throws std::runtime_error if it does not start.
  ServeProcess(const std::string& cli, const std::vector<std::string>& arguments);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }
  // Whether the process is still running (not exited or killed).
  bool running() const;
  // The resident set size now, and its peak since start, in KiB (VmRSS, VmHWM).
  std::uint64_t rss_kib() const;
  std::uint64_t peak_rss_kib() const;
  // Its address space now, and its peak since start, in KiB (VmSize, VmPeak): what strict
  // overcommit or a memory limit would count.
  std::uint64_t virtual_kib() const;
  std::uint64_t peak_virtual_kib() const;

 private:
  std::uint64_t status_field_kib(const char* name) const;

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  mutable bool exited_ = false;  // reaped by running()
};

}  // namespace dvidxfer::testing
