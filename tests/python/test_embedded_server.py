"""dvidxfer.EmbeddedServer: a DVID-compatible server inside the test process."""
import numpy
import pytest

import dvidxfer


def test_embedded_server_serves_the_client():
    with dvidxfer.EmbeddedServer(port=0) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        uuid = dvidxfer.DVIDServerService(server.url).create_new_repo("embedded", "in process")
        node = dvidxfer.DVIDNodeService(server.url, uuid)
        node.create_labelblk("labels")
        labels = numpy.arange(32**3, dtype=numpy.uint64).reshape(32, 32, 32)
        node.put_labels3D("labels", labels, (0, 0, 0))
        numpy.testing.assert_array_equal(node.get_labels3D("labels", (32, 32, 32), (0, 0, 0)),
                                         labels)
        assert server.fault_counters()["requests"] > 0


def test_injected_503s_are_retried_and_counted():
    server = dvidxfer.EmbeddedServer()
    uuid = dvidxfer.DVIDServerService(server.url).create_new_repo("faults", "503s")
    node = dvidxfer.DVIDNodeService(server.url, uuid)
    node.create_keyvalue("kv")
    node.put("kv", "k", b"v")
    server.set_faults(rate_503=0.5, seed=7)
    assert server.faults()["rate_503"] == 0.5
    for _ in range(10):
        assert node.get("kv", "k") == b"v"
    assert server.fault_counters()["injected_503"] > 0
    server.set_faults()
    assert server.faults()["rate_503"] == 0.0
    server.stop()
    server.stop()


def test_throttle_limit_is_settable():
    with dvidxfer.EmbeddedServer(throttle_limit=3) as server:
        assert server.throttle_limit == 3
        server.throttle_limit = 1
        assert server.throttle_limit == 1


def test_a_stopped_server_is_unreachable():
    server = dvidxfer.EmbeddedServer()
    url = server.url
    server.stop()
    options = dvidxfer.ClientOptions(connect_timeout=0.5, request_timeout=2.0, max_attempts=1)
    with pytest.raises(dvidxfer.DVIDTransportError):
        dvidxfer.DVIDServerService(url, options=options)
