// TestCertificates: a private certificate authority and server certificates made with the openssl
// command at test time, in a fresh temporary directory removed afterwards. Nothing is checked in
// and nothing expires between runs.
#pragma once

#include <filesystem>
#include <string>

namespace dvidxfer::testing {

class TestCertificates {
 public:
  // Runs openssl (P-256 keys, valid for two days); throws std::runtime_error with its output when
  // it fails.
  TestCertificates();
  ~TestCertificates();
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  // The CA's certificate (PEM), for ClientOptions::tls_ca_file.
  std::string ca_file() const { return path("ca.pem"); }
  // A certificate for 127.0.0.1 and localhost (subjectAltName), signed by the CA, and its key.
  std::string server_cert() const { return path("server.pem"); }
  std::string server_key() const { return path("server.key"); }
  // A certificate signed by the CA for other.example only, and its key.
  std::string other_host_cert() const { return path("other.pem"); }
  std::string other_host_key() const { return path("other.key"); }

  // The set shared by a test program (made on first use).
  static const TestCertificates& shared();

 private:
  std::string path(const char* name) const { return (directory_ / name).string(); }
  void run(const std::string& arguments) const;
  void make_server_certificate(const std::string& name, const std::string& alt_names,
                               int serial) const;

  std::filesystem::path directory_;
};

}  // namespace dvidxfer::testing
