// Uses the installed library end to end: an embedded server, a repo, a key-value round trip.
#include <dvidxfer/node_service.hpp>
#include <dvidxfer/server/embedded_server.hpp>
#include <dvidxfer/server_service.hpp>

#include <cstdio>

int main() {
  dvidxfer::server::EmbeddedServer server;
  const auto uuid = dvidxfer::ServerService(server.url()).create_new_repo("consumer", "install test");
  dvidxfer::NodeService node(server.url(), uuid);
  node.create_keyvalue("kv");
  node.put("kv", "hello", "world");
  const bool ok = node.get("kv", "hello") == "world";
  std::printf("installed dvidxfer round trip: %s\n", ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
