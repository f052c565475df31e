"""Constructors, get_typeinfo, custom_request, ClientOptions and DVIDServerService."""
import json
import re

import pytest

import dvidxfer


def test_constructor_takes_the_seed_arguments(server_url, repo_uuid):
    node = dvidxfer.DVIDNodeService(server_url, repo_uuid, "someone", "my-app")
    assert node.get_uuid() == repo_uuid
    node = dvidxfer.DVIDNodeService(web_addr=server_url, uuid=repo_uuid, user="u", app="a",
                                    resource_server="", resource_port=0)
    assert node.get_uuid() == repo_uuid


def test_constructor_accepts_a_uuid_prefix(server_url, repo_uuid):
    node = dvidxfer.DVIDNodeService(server_url, repo_uuid[:8])
    assert repo_uuid.startswith(node.get_uuid()[:8])


def test_resource_port_without_resource_server_is_an_argument_error(server_url, repo_uuid):
    with pytest.raises(dvidxfer.DVIDArgumentError):
        dvidxfer.DVIDNodeService(server_url, repo_uuid, "anonymous", "libdvid", "", 5000)


def test_unknown_uuid_raises_http_error(server_url):
    with pytest.raises(dvidxfer.DVIDHttpError) as raised:
        dvidxfer.DVIDNodeService(server_url, "0123456789abcdef0123456789abcdef")
    assert raised.value.status >= 400


def test_unreachable_server_raises_transport_error():
    options = dvidxfer.ClientOptions(connect_timeout=0.5, request_timeout=2.0, max_attempts=1)
    with pytest.raises(dvidxfer.DVIDTransportError) as raised:
        dvidxfer.DVIDNodeService("127.0.0.1:1", "abc", options=options)
    assert raised.value.status == 0
    assert raised.value.kind in ("connect", "timeout", "connection")


def test_bad_address_is_an_argument_error():
    with pytest.raises(dvidxfer.DVIDArgumentError):
        dvidxfer.DVIDServerService("http://")


def test_client_options_keywords_and_validation(server_url, repo_uuid):
    options = dvidxfer.ClientOptions(max_connections=16, request_timeout=120.0)
    assert options.max_connections == 16
    assert options.request_timeout == 120.0
    assert options.connect_timeout == 5.0
    options.inactivity_timeout = 12.5
    assert options.inactivity_timeout == 12.5
    assert dvidxfer.ClientOptions(resource_timeout=60.0).resource_timeout == 60.0
    assert "max_connections=16" in repr(options)
    node = dvidxfer.DVIDNodeService(server_url, repo_uuid, options=options)
    assert node.get_uuid() == repo_uuid
    with pytest.raises(dvidxfer.DVIDArgumentError):
        dvidxfer.ClientOptions(max_connections=0)
    with pytest.raises(dvidxfer.DVIDArgumentError):
        dvidxfer.ClientOptions(request_timeout=-1.0)


def test_create_instance_of_any_type_with_settings(node, unique_name):
    assert node.create_instance("uint8blk", unique_name, {"BlockSize": "64,64,64"}) is True
    assert node.create_instance("uint8blk", unique_name) is False
    assert node.get_blocksize(unique_name) == (64, 64, 64)


def test_get_typeinfo_is_a_dict_of_the_instance_metadata(node, unique_name):
    node.create_grayscale8(unique_name)
    info = node.get_typeinfo(unique_name)
    assert isinstance(info, dict)
    assert info["Base"]["TypeName"] == "uint8blk"
    assert info["Base"]["Name"] == unique_name


def test_get_typeinfo_of_unknown_instance_raises(node):
    with pytest.raises(dvidxfer.DVIDException) as raised:
        node.get_typeinfo("no_such_instance")
    assert raised.value.status >= 400


def test_custom_request_with_each_connection_method(node, unique_name):
    node.create_keyvalue(unique_name)
    endpoint = f"/{unique_name}/key/greeting"
    assert node.custom_request(endpoint, b"hello", dvidxfer.ConnectionMethod.POST) == b""
    assert node.custom_request(endpoint, b"", dvidxfer.ConnectionMethod.GET) == b"hello"
    assert node.custom_request(endpoint.lstrip("/"), None, dvidxfer.ConnectionMethod.GET) == b"hello"
    assert node.custom_request(endpoint, "", dvidxfer.ConnectionMethod.HEAD) == b""
    node.custom_request(endpoint, b"", dvidxfer.ConnectionMethod.DELETE)
    with pytest.raises(dvidxfer.DVIDHttpError) as raised:
        node.custom_request(endpoint, b"", dvidxfer.ConnectionMethod.GET)
    assert raised.value.status == 404


def test_custom_request_keywords_compress_and_datasize(node, unique_name):
    node.create_grayscale8(unique_name)
    info = node.custom_request(endpoint=f"/{unique_name}/info", payload=b"",
                               method=dvidxfer.ConnectionMethod.GET, compress=False, datasize=1)
    assert json.loads(info)["Base"]["Name"] == unique_name


def test_connection_method_has_the_seed_members():
    assert {m for m in dvidxfer.ConnectionMethod.__members__} == {"HEAD", "GET", "POST", "PUT",
                                                                  "DELETE"}


def test_server_service_creates_repos(server_url):
    service = dvidxfer.DVIDServerService(server_url)
    first = service.create_new_repo("repo one", "first")
    second = service.create_new_repo("repo two", "second")
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
    assert dvidxfer.DVIDNodeService(server_url, first).get_uuid() == first
    assert isinstance(service.get_server_info(), dict)
    assert service.get_addr() == server_url
