// DVIDNodeService: libdvid-cpp's Python class over NodeService, with the seed's method names,
// argument names, order and defaults. Calls release the GIL; each has an `_async` form.
// The default `app` is 'libdvid', as in the seed, so that scripts switching to dvidxfer look the
// same in DVID's logs and per-application settings; pass app= to tell them apart.
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "async_methods.hpp"
#include "bindings.hpp"
#include "bytes_argument.hpp"
#include "json_to_python.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

namespace {

void bind_construction(NodeServiceClass& cls) {
  cls.def(py::init([](const std::string& web_addr, const std::string& uuid, const std::string& user,
                      const std::string& app, const std::string& resource_server, int resource_port,
                      const std::optional<ClientOptions>& options) {
            return make_shared_without_gil<NodeService>(web_addr, uuid, user, app, resource_server,
                                                        resource_port,
                                                        options.value_or(ClientOptions{}));
          }),
          py::arg("web_addr"), py::arg("uuid"), py::arg("user") = "anonymous",
          py::arg("app") = "libdvid", py::arg("resource_server") = "", py::arg("resource_port") = 0,
          py::kw_only(), py::arg("options") = py::none(),
          "Connects to the DVID server at web_addr and checks that node uuid exists (raises "
          "DVIDHttpError otherwise). user and app are sent with every request. resource_server "
          "and resource_port name a dvid-resource-manager every request waits for first. "
          "options is a dvidxfer.ClientOptions (connections, timeouts, retries).");
  cls.def("get_uuid", &NodeService::get_uuid, "The uuid of the node.");
}

void bind_keyvalue(NodeServiceClass& cls) {
  cls.def(
      "create_keyvalue",
      [](NodeService& node, const std::string& instance_name) {
        return without_gil([&] { return node.create_keyvalue(instance_name); });
      },
      py::arg("instance_name"),
      "Creates a keyvalue instance. True if created, False if it already exists.");
  def_async(cls, "create_keyvalue");

  cls.def(
      "put",
      [](NodeService& node, const std::string& instance_name, const std::string& key,
         const py::object& value_bytes) {
        const BytesArgument value(value_bytes, "value_bytes");
        without_gil([&] { node.put(instance_name, key, value.view()); });
      },
      py::arg("instance_name"), py::arg("key"), py::arg("value_bytes"),
      "Stores value_bytes (bytes, str or any buffer) at key, overwriting it at this node.");
  def_async(cls, "put");

  cls.def(
      "get",
      [](NodeService& node, const std::string& instance_name, const std::string& key) {
        return py::bytes(without_gil([&] { return node.get(instance_name, key); }));
      },
      py::arg("instance_name"), py::arg("key"),
      "The bytes stored at key; DVIDHttpError (status 404) when there are none.");
  def_async(cls, "get");

  cls.def(
      "get_json",
      [](NodeService& node, const std::string& instance_name, const std::string& key) {
        return json_to_python(without_gil([&] { return node.get_json(instance_name, key); }));
      },
      py::arg("instance_name"), py::arg("key"),
      "The JSON stored at key, parsed (a dict for an object); DVIDDecodeError if not JSON.");
  def_async(cls, "get_json");

  cls.def(
      "get_keys",
      [](NodeService& node, const std::string& instance_name) {
        return without_gil([&] { return node.get_keys(instance_name); });
      },
      py::arg("instance_name"), "All keys of the keyvalue instance, as a list of str.");
  def_async(cls, "get_keys");
}

void bind_instance_creation(NodeServiceClass& cls) {
  cls.def(
      "create_grayscale8",
      [](NodeService& node, const std::string& instance_name, int blocksize) {
        return without_gil([&] { return node.create_grayscale8(instance_name, blocksize); });
      },
      py::arg("instance_name"), py::arg("blocksize") = 32,
      "Creates a uint8blk instance with cubic blocks. True if created, False if it exists.");
  def_async(cls, "create_grayscale8");

  cls.def(
      "create_labelblk",
      [](NodeService& node, const std::string& instance_name,
         const std::optional<std::string>& labelvol_name, int blocksize) {
        return without_gil([&] {
          return node.create_labelblk(instance_name, labelvol_name.value_or(""), blocksize);
        });
      },
      py::arg("instance_name"), py::arg("labelvol_name") = py::none(), py::arg("blocksize") = 32,
      "Creates a uint64 labelblk instance and, when labelvol_name is given, a labelvol synced "
      "with it. True only if everything was created.");
  def_async(cls, "create_labelblk");

  cls.def(
      "create_instance",
      [](NodeService& node, const std::string& type_name, const std::string& instance_name,
         const std::map<std::string, std::string>& settings) {
        const std::vector<std::pair<std::string, std::string>> pairs(settings.begin(),
                                                                     settings.end());
        return without_gil([&] { return node.create_instance(type_name, instance_name, pairs); });
      },
      py::arg("type_name"), py::arg("instance_name"),
      py::arg("settings") = std::map<std::string, std::string>{},
      "Creates an instance of any DVID type with string settings, e.g. "
      "create_instance('imagetile', 'tiles', {'Format': 'png', 'Source': 'grayscale'}). True if "
      "created, False if it already exists.");
  def_async(cls, "create_instance");

  cls.def(
      "create_roi",
      [](NodeService& node, const std::string& name) {
        return without_gil([&] { return node.create_roi(name); });
      },
      py::arg("name"), "Creates an roi instance. True if created, False if it already exists.");
  def_async(cls, "create_roi");
}

void bind_general(NodeServiceClass& cls) {
  cls.def(
      "body_exists",
      [](NodeService& node, const std::string& labelvol_name, std::uint64_t bodyid) {
        return without_gil([&] { return node.body_exists(labelvol_name, bodyid); });
      },
      py::arg("labelvol_name"), py::arg("bodyid"),
      "Whether body bodyid has voxels in the labelvol instance.");
  def_async(cls, "body_exists");

  cls.def(
      "get_typeinfo",
      [](NodeService& node, const std::string& datatype_name) {
        return json_to_python(without_gil([&] { return node.get_typeinfo(datatype_name); }));
      },
      py::arg("datatype_name"), "The instance's metadata (its /info) as a dict.");
  def_async(cls, "get_typeinfo");

  cls.def(
      "get_blocksize",
      [](NodeService& node, const std::string& instance_name) {
        const auto size = without_gil([&] { return node.get_blocksize(instance_name); });
        return py::make_tuple(size[0], size[1], size[2]);
      },
      py::arg("instance_name"), "The instance's block size as a (z, y, x) tuple.");

  cls.def(
      "custom_request",
      [](NodeService& node, const std::string& endpoint, const py::object& payload,
         ConnectionMethod method, bool compress, std::uint64_t datasize) {
        const BytesArgument body(payload, "payload");
        return py::bytes(without_gil([&] {
          return node.custom_request(endpoint, body.view(), method, compress, datasize);
        }));
      },
      py::arg("endpoint"), py::arg("payload"), py::arg("method"), py::arg("compress") = false,
      py::arg("datasize") = 1,
      "Sends method to /api/node/<uuid><endpoint> with payload (bytes, str or None) as body and "
      "returns the answer's body (bytes) for any 2xx status. compress: lz4 both ways, as libdvid.");
  def_async(cls, "custom_request");
}

}  // namespace

NodeServiceClass bind_node_service(py::module_& module) {
  py::enum_<ConnectionMethod>(module, "ConnectionMethod", "HTTP verbs for custom_request.")
      .value("HEAD", ConnectionMethod::HEAD)
      .value("GET", ConnectionMethod::GET)
      .value("POST", ConnectionMethod::POST)
      .value("PUT", ConnectionMethod::PUT)
      .value("DELETE", ConnectionMethod::DELETE);

  NodeServiceClass cls(module, "DVIDNodeService",
                       "Calls on one version node (uuid) of a DVID server, as libdvid-cpp's "
                       "DVIDNodeService. Shapes, offsets and points are (z, y, x); volumes are "
                       "C-order numpy arrays indexed [z, y, x]. Safe to share between threads.");
  bind_construction(cls);
  bind_keyvalue(cls);
  bind_instance_creation(cls);
  bind_general(cls);
  return cls;
}

}  // namespace dvidxfer::python
