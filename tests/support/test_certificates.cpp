#include "test_certificates.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dvidxfer::testing {

namespace {

constexpr const char* kKey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TestCertificates::TestCertificates() {
  std::string pattern = (std::filesystem::temp_directory_path() / "dvidxfer-tls-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("cannot create a temporary directory for test certificates");
  directory_ = pattern;
  run(fmt::format(
      "req -x509 {} -keyout ca.key -out ca.pem -days 2 -subj '/CN=dvidxfer test CA' "
      "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
      kKey));
  make_server_certificate("server", "IP:127.0.0.1,DNS:localhost", 2);
  make_server_certificate("other", "DNS:other.example", 3);
}

TestCertificates::~TestCertificates() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

const TestCertificates& TestCertificates::shared() {
  static const TestCertificates certificates;
  return certificates;
}

void TestCertificates::run(const std::string& arguments) const {
  const auto log = directory_ / "openssl.log";
  const auto command =
      fmt::format("cd '{}' && openssl {} >'{}' 2>&1", directory_.string(), arguments, log.string());
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error(fmt::format("openssl {} failed:\n{}", arguments, read_file(log)));
}

void TestCertificates::make_server_certificate(const std::string& name,
                                               const std::string& alt_names, int serial) const {
  std::ofstream(directory_ / (name + ".ext"))
      << "subjectAltName=" << alt_names << "\nbasicConstraints=CA:FALSE\n"
      << "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n";
  run(fmt::format("req {} -keyout {}.key -out {}.csr -subj '/CN={}'", kKey, name, name, name));
  run(
      fmt::format("x509 -req -in {0}.csr -CA ca.pem -CAkey ca.key -set_serial {1} -days 2 "
                  "-extfile {0}.ext -out {0}.pem",
                  name, serial));
}

}  // namespace dvidxfer::testing
