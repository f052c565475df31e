#include "serve_process.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

extern char** environ;

namespace dvidxfer::testing {

ServeProcess::ServeProcess(const std::string& cli, const std::vector<std::string>& arguments) {
  std::vector<std::string> words{cli, "serve", "--listen", "127.0.0.1:0"};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  const int spawned = posix_spawn(&pid_, cli.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    pid_ = -1;
    throw std::runtime_error("cannot start " + cli);
  }
  // The first line names the address; the pipe stays open but unread after it (nothing more
  // is printed until the process stops).
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd ready{out[0], POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0) continue;
    char chunk[256];
    const ssize_t n = read(out[0], chunk, sizeof chunk);
    if (n <= 0) break;
    line.append(chunk, static_cast<std::size_t>(n));
  }
  close(out[0]);
  // Parsed by hand: GCC 12 warns falsely inside <regex> at -O1 with sanitizers (-Werror).
  const std::string_view prefix = "listening on http://127.0.0.1:";
  unsigned port = 0;
  const char* digits = line.data() + prefix.size();
  const auto [end, error] = line.starts_with(prefix)
                                ? std::from_chars(digits, line.data() + line.size(), port)
                                : std::from_chars_result{digits, std::errc::invalid_argument};
  if (error != std::errc() || end == digits || *end != '\n' || port == 0 || port > 65535) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("dvidxfer serve did not announce its address: '" + line + "'");
  }
  port_ = static_cast<std::uint16_t>(port);
}

ServeProcess::~ServeProcess() {
  if (pid_ <= 0 || exited_) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 300; ++i) {  // up to 30 s for a clean stop
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

bool ServeProcess::running() const {
  if (pid_ <= 0 || exited_) return false;
  if (waitpid(pid_, nullptr, WNOHANG) == pid_) exited_ = true;
  return !exited_;
}

std::uint64_t ServeProcess::rss_kib() const {
  return status_field_kib("VmRSS:");
}

std::uint64_t ServeProcess::peak_rss_kib() const {
  return status_field_kib("VmHWM:");
}

std::uint64_t ServeProcess::virtual_kib() const {
  return status_field_kib("VmSize:");
}

std::uint64_t ServeProcess::peak_virtual_kib() const {
  return status_field_kib("VmPeak:");
}

std::uint64_t ServeProcess::status_field_kib(const char* name) const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string word;
  while (status >> word) {
    if (word == name) {
      std::uint64_t kib = 0;
      status >> kib;
      return kib;
    }
  }
  throw std::runtime_error(std::string("no ") + name + " for process " + std::to_string(pid_));
}

}  // namespace dvidxfer::testing
