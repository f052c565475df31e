"""Key-value calls of DVIDNodeService with the seed's signatures."""
import pytest

import dvidxfer


def test_create_keyvalue_is_true_once_then_false(node, unique_name):
    assert node.create_keyvalue(unique_name) is True
    assert node.create_keyvalue(unique_name) is False


def test_put_then_get_bytes_and_str(node, unique_name):
    node.create_keyvalue(unique_name)
    node.put(unique_name, "blob", b"\x00\x01binary\xff")
    node.put(unique_name, "text", "héllo")
    node.put(unique_name, "buffer", bytearray(b"from a bytearray"))
    assert node.get(unique_name, "blob") == b"\x00\x01binary\xff"
    assert node.get(unique_name, "text") == "héllo".encode()
    assert node.get(unique_name, "buffer") == b"from a bytearray"
    assert isinstance(node.get(unique_name, "blob"), bytes)


def test_put_overwrites(node, unique_name):
    node.create_keyvalue(unique_name)
    node.put(unique_name, "k", b"first")
    node.put(unique_name, "k", b"second")
    assert node.get(unique_name, "k") == b"second"


def test_get_json_parses_into_a_dict(node, unique_name):
    node.create_keyvalue(unique_name)
    node.put(unique_name, "config", b'{"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}}')
    assert node.get_json(unique_name, "config") == {"a": 1, "b": [True, None, "x"], "c": {"d": 2.5}}


def test_get_json_of_non_json_raises_decode_error(node, unique_name):
    node.create_keyvalue(unique_name)
    node.put(unique_name, "notjson", b"{not json")
    with pytest.raises(dvidxfer.DVIDDecodeError):
        node.get_json(unique_name, "notjson")


def test_get_keys_lists_every_key_in_order(node, unique_name):
    node.create_keyvalue(unique_name)
    assert node.get_keys(unique_name) == []
    for key in ["b", "a", "c10", "c2"]:
        node.put(unique_name, key, key)
    assert node.get_keys(unique_name) == ["a", "b", "c10", "c2"]


def test_missing_key_raises_dvid_exception_with_status_404(node, unique_name):
    node.create_keyvalue(unique_name)
    with pytest.raises(dvidxfer.DVIDException) as raised:
        node.get(unique_name, "absent")
    assert raised.value.status == 404
    assert isinstance(raised.value, dvidxfer.DVIDHttpError)
    assert raised.value.method == "GET"
    assert "absent" in raised.value.url


def test_unaddressable_key_is_an_argument_error(node, unique_name):
    node.create_keyvalue(unique_name)
    with pytest.raises(dvidxfer.DVIDArgumentError) as raised:
        node.put(unique_name, "a/b", b"x")
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, dvidxfer.DVIDException)
    assert raised.value.status == 0


def test_value_of_another_type_is_a_type_error(node, unique_name):
    node.create_keyvalue(unique_name)
    with pytest.raises(TypeError, match="value_bytes"):
        node.put(unique_name, "k", 12)
