// DVIDServerService: calls about a DVID server as a whole (libdvid-cpp's class of that name).
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "dvidxfer/server_service.hpp"
#include "json_to_python.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

void bind_server_service(py::module_& module) {
  py::class_<ServerService, std::shared_ptr<ServerService>> cls(
      module, "DVIDServerService",
      "Calls about a DVID server as a whole: create repos, read its info. Safe to share between "
      "threads.");
  cls.def(py::init([](const std::string& web_addr, const std::string& user, const std::string& app,
                      const std::optional<ClientOptions>& options) {
            return make_shared_without_gil<ServerService>(web_addr, user, app,
                                                          options.value_or(ClientOptions{}));
          }),
          py::arg("web_addr"), py::arg("user") = "anonymous", py::arg("app") = "libdvid",
          py::kw_only(), py::arg("options") = py::none(),
          "Connects to the DVID server at web_addr (host:port or http://host:port) and checks it "
          "answers.");

  cls.def(
      "create_new_repo",
      [](ServerService& server, const std::string& alias, const std::string& description,
         const std::string& admin_token) {
        return without_gil([&] { return server.create_new_repo(alias, description, admin_token); });
      },
      py::arg("alias"), py::arg("description"), py::arg("admin_token") = "",
      "Creates a repo and returns its root uuid. admin_token is sent when not empty (newer DVIDs "
      "require it).");
  def_async(cls, "create_new_repo");

  cls.def(
      "get_server_info",
      [](ServerService& server) {
        return json_to_python(without_gil([&] { return server.get_server_info(); }));
      },
      "DVID's description of itself, as a dict.");
  def_async(cls, "get_server_info");

  cls.def("get_addr", &ServerService::get_addr, "'http://host:port' of the server.");
}

}  // namespace dvidxfer::python
