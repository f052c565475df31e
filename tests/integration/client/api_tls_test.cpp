// HTTPS end to end over real sockets: the embedded server with a certificate from a CA made at
// test time, the client verifying it (trust store plus ClientOptions::tls_ca_file, host names
// included), byte-exact keyvalue and volume round trips, bearer auth over TLS, and the failures
// users meet (untrusted certificate, another host's certificate, plain HTTP on one side) as clear
// errors that are not retried.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"
#include "test_certificates.hpp"

using namespace dvidxfer;
using dvidxfer::testing::TestCertificates;

namespace {

const TestCertificates& certificates() {
  return TestCertificates::shared();
}

server::ServerConfig tls_config(std::string token = "") {
  server::ServerConfig config;
  config.tls_cert_file = certificates().server_cert();
  config.tls_key_file = certificates().server_key();
  config.auth_token = std::move(token);
  return config;
}

ClientOptions trusting_the_test_ca() {
  ClientOptions options;
  options.tls_ca_file = certificates().ca_file();
  options.max_attempts = 5;
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(5);
  return options;
}

std::string localhost_url(const server::EmbeddedServer& server) {
  return "https://localhost:" + std::to_string(server.port());
}

// The TransportError a call ends in (fails the test when there is none).
template <class Call>
TransportError transport_error_of(Call call) {
  try {
    call();
  } catch (const TransportError& e) {
    return e;
  }
  ADD_FAILURE() << "the call succeeded";
  return TransportError("none", TransportError::Kind::connect, "", "", 0);
}

class NoEnvironmentToken : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("DVID_TOKEN"); }
};

using TlsApi = NoEnvironmentToken;

}  // namespace

TEST_F(TlsApi, KeyvalueAndVolumesRoundTripByteExact) {
  server::EmbeddedServer server(tls_config());
  ASSERT_EQ(server.url(), "https://127.0.0.1:" + std::to_string(server.port()));
  const auto options = trusting_the_test_ca();
  const auto uuid = ServerService(server.url(), "u", "a", options).create_new_repo("r", "tls");
  // By address (the certificate's IP entry) and by name (its DNS entry, sent as SNI).
  for (const auto& url : {server.url(), localhost_url(server)}) {
    NodeService node(url, uuid, "u", "a", "", 0, options);
    node.create_keyvalue("kv");
    std::string value(3 << 20, '\0');
    for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>(i * 131 + i / 7);
    node.put("kv", "big", value);
    EXPECT_EQ(node.get("kv", "big"), value) << url;
  }

  NodeService node(server.url(), uuid, "u", "a", "", 0, options);
  ASSERT_TRUE(node.create_grayscale8("gray"));
  Volume<std::uint8_t> written({64, 96, 128});
  for (std::size_t i = 0; i < written.size(); ++i)
    written.data()[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
  TransferOptions small_chunks;
  small_chunks.chunk_bytes = 96 * 1024;  // many requests over a few keep-alive TLS connections
  node.put_gray3D("gray", written, {0, 32, -64}, false, false, small_chunks);
  const auto read =
      node.get_gray3D("gray", {64, 96, 128}, {0, 32, -64}, false, false, "", small_chunks);
  ASSERT_EQ(read.size(), written.size());
  EXPECT_EQ(std::memcmp(read.data(), written.data(), written.size()), 0);
  const auto unaligned = node.get_gray3D("gray", {5, 7, 9}, {3, 40, -60}, false);
  for (std::int64_t z = 0; z < 5; ++z)
    for (std::int64_t y = 0; y < 7; ++y)
      for (std::int64_t x = 0; x < 9; ++x)
        ASSERT_EQ(unaligned.at(z, y, x), written.at(z + 3, y + 8, x + 4));
}

TEST_F(TlsApi, BearerAuthOverTls) {
  const std::string token = "tls-token-51c0ffee";
  server::EmbeddedServer server(tls_config(token));
  auto options = trusting_the_test_ca();
  options.auth_token = token;
  const auto uuid = ServerService(server.url(), "u", "a", options).create_new_repo("r", "d");
  NodeService node(server.url(), uuid, "u", "a", "", 0, options);
  node.create_keyvalue("kv");
  node.put("kv", "k", "v");
  EXPECT_EQ(node.get("kv", "k"), "v");

  options.auth_token = "not-" + token;
  try {
    NodeService refused(server.url(), uuid, "u", "a", "", 0, options);
    FAIL() << "a wrong token was accepted over TLS";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 401u);
    EXPECT_NE(e.body_excerpt().find("invalid DSG token"), std::string::npos) << e.body_excerpt();
    EXPECT_EQ(std::string(e.what()).find(token), std::string::npos) << e.what();
  }
}

TEST_F(TlsApi, AnUntrustedCertificateIsAClearErrorThatIsNotRetried) {
  server::EmbeddedServer server(tls_config());
  ClientOptions options = trusting_the_test_ca();
  options.tls_ca_file.clear();  // the system's trust store alone does not know the test CA
  const auto error = transport_error_of([&] { ServerService(server.url(), "u", "a", options); });
  EXPECT_EQ(error.kind(), TransportError::Kind::tls);
  EXPECT_EQ(error.attempts(), 1);
  const std::string message = error.what();
  EXPECT_NE(message.find("TLS certificate verification failed for host '127.0.0.1'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("unable to get local issuer certificate"), std::string::npos) << message;
  EXPECT_NE(message.find("tls_ca_file"), std::string::npos) << message;
}

TEST_F(TlsApi, ACertificateForAnotherHostIsRefused) {
  server::ServerConfig config = tls_config();
  config.tls_cert_file = certificates().other_host_cert();
  config.tls_key_file = certificates().other_host_key();
  server::EmbeddedServer server(config);
  const auto options = trusting_the_test_ca();
  const auto by_address =
      transport_error_of([&] { ServerService(server.url(), "u", "a", options); });
  EXPECT_EQ(by_address.kind(), TransportError::Kind::tls);
  EXPECT_EQ(by_address.attempts(), 1);
  EXPECT_NE(std::string(by_address.what()).find("IP address mismatch"), std::string::npos)
      << by_address.what();
  const auto by_name =
      transport_error_of([&] { ServerService(localhost_url(server), "u", "a", options); });
  EXPECT_EQ(by_name.kind(), TransportError::Kind::tls);
  EXPECT_NE(std::string(by_name.what()).find("host 'localhost'"), std::string::npos)
      << by_name.what();
  EXPECT_NE(std::string(by_name.what()).find("hostname mismatch"), std::string::npos)
      << by_name.what();
}

TEST_F(TlsApi, PlainHttpToATlsServerGetsGosAnswer) {
  server::EmbeddedServer server(tls_config());
  const std::string plain_url = "http://127.0.0.1:" + std::to_string(server.port());
  try {
    ServerService(plain_url, "u", "a", trusting_the_test_ca()).create_new_repo("r", "d");
    FAIL() << "plain HTTP was served on the TLS port";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400u);
    EXPECT_NE(e.body_excerpt().find("Client sent an HTTP request to an HTTPS server."),
              std::string::npos)
        << e.body_excerpt();
    EXPECT_EQ(std::string(e.what()).find("attempts"), std::string::npos) << "not retried";
  }
}

TEST_F(TlsApi, TlsToAPlainServerSaysSo) {
  server::EmbeddedServer server;
  const std::string tls_url = "https://127.0.0.1:" + std::to_string(server.port());
  const auto error =
      transport_error_of([&] { ServerService(tls_url, "u", "a", trusting_the_test_ca()); });
  EXPECT_EQ(error.kind(), TransportError::Kind::tls);
  EXPECT_EQ(error.attempts(), 1);
  EXPECT_NE(std::string(error.what()).find("does not seem to speak TLS"), std::string::npos)
      << error.what();
}

TEST_F(TlsApi, ACaFileThatCannotBeLoadedIsRefusedUpFront) {
  ClientOptions options;
  options.tls_ca_file = "/nonexistent/ca.pem";
  try {
    ServerService service("https://127.0.0.1:1", "u", "a", options);
    FAIL() << "a missing CA file was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ca.pem"), std::string::npos) << e.what();
  }
}

TEST_F(TlsApi, TheServerRefusesToStartWithoutAUsableCertificate) {
  server::ServerConfig config = tls_config();
  config.tls_key_file = certificates().other_host_key();  // not the certificate's key
  EXPECT_THROW(server::EmbeddedServer{config}, std::runtime_error);
  config.tls_cert_file = "/nonexistent/server.pem";
  try {
    server::EmbeddedServer server(config);
    FAIL() << "a missing certificate was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/server.pem"), std::string::npos) << e.what();
  }
}
