"""The `_async` forms: the same call and arguments, returning a concurrent.futures.Future."""
import concurrent.futures

import numpy
import pytest

import dvidxfer


def test_every_network_call_has_an_async_form():
    for name in ["create_keyvalue", "put", "get", "get_json", "get_keys", "create_grayscale8",
                 "get_gray3D", "put_gray3D", "create_labelblk", "get_labels3D",
                 "get_label_by_location", "put_labels3D", "body_exists", "create_roi", "get_roi",
                 "post_roi", "get_roi_partition", "roi_ptquery", "get_roi3D", "get_tile_slice",
                 "get_tile_slice_binary", "create_graph", "update_vertices", "update_edges",
                 "get_subgraph", "get_vertex_neighbors", "get_typeinfo", "custom_request"]:
        assert hasattr(dvidxfer.DVIDNodeService, name + "_async"), name
    assert hasattr(dvidxfer.DVIDServerService, "create_new_repo_async")


def test_volume_futures_give_the_same_arrays(node, unique_name):
    node.create_labelblk(unique_name)
    labels = numpy.arange(64**3, dtype=numpy.uint64).reshape(64, 64, 64)
    put = node.put_labels3D_async(unique_name, labels, (0, 0, 0), compress=True)
    assert isinstance(put, concurrent.futures.Future)
    assert put.result(timeout=60) is None
    futures = [node.get_labels3D_async(unique_name, (32, 32, 32), (z, 0, 0)) for z in (0, 16, 32)]
    for future, z in zip(futures, (0, 16, 32)):
        numpy.testing.assert_array_equal(future.result(timeout=60), labels[z:z + 32, :32, :32])


def test_gray_and_keyvalue_futures(node, unique_name):
    assert node.create_grayscale8_async(unique_name).result(timeout=60) is True
    volume = numpy.full((32, 32, 32), 9, dtype=numpy.uint8)
    node.put_gray3D_async(unique_name, volume, (0, 0, 0)).result(timeout=60)
    fetched = node.get_gray3D_async(unique_name, (32, 32, 32), (0, 0, 0)).result(timeout=60)
    numpy.testing.assert_array_equal(fetched, volume)
    kv = unique_name + "kv"
    node.create_keyvalue_async(kv).result(timeout=60)
    node.put_async(kv, "k", b"v").result(timeout=60)
    assert node.get_async(instance_name=kv, key="k").result(timeout=60) == b"v"
    assert node.get_keys_async(kv).result(timeout=60) == ["k"]


def test_future_carries_the_exception(node):
    future = node.get_async("no_such_instance", "key")
    with pytest.raises(dvidxfer.DVIDException):
        future.result(timeout=60)
    assert isinstance(future.exception(), dvidxfer.DVIDException)


def test_server_service_future(server_url):
    service = dvidxfer.DVIDServerService(server_url)
    uuid = service.create_new_repo_async("async repo", "made by a future").result(timeout=60)
    assert dvidxfer.DVIDNodeService(server_url, uuid).get_uuid() == uuid
