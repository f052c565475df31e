// ServeProcess: `dvidxfer serve` started as a separate process for benchmarks that must measure the
// client alone (CPU time, memory). Stops it with SIGTERM on destruction.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace dvidxfer::bench {

class ServeProcess {
 public:
  // Starts `cli_path serve --listen 127.0.0.1:0 <extra...>` and waits for its "listening on" line.
  // Throws std::runtime_error when it does not start.
  ServeProcess(const std::string& cli_path, const std::vector<std::string>& extra_arguments = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  const std::string& url() const noexcept { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace dvidxfer::bench
