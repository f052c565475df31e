"""Network calls release the GIL: Python threads transfer in parallel, and Python code runs while
a transfer is in flight."""
import threading
import time

import numpy
import pytest

import dvidxfer


@pytest.fixture(scope="module")
def slow_node(serve_process):
    """A node on a server that answers every request 150 ms late, with a 64^3 label volume."""
    server = serve_process("--latency-ms", "150")
    uuid = dvidxfer.DVIDServerService(server.url).create_new_repo("slow", "latency")
    node = dvidxfer.DVIDNodeService(server.url, uuid)
    node.create_labelblk("labels")
    labels = numpy.arange(64**3, dtype=numpy.uint64).reshape(64, 64, 64)
    node.put_labels3D("labels", labels, (0, 0, 0))
    return node, labels


def fetch(node):
    # One chunk per call, so each call waits one latency. throttle=False: with DVID's throttle the
    # server itself would admit one volume call at a time.
    return node.get_labels3D("labels", (64, 64, 64), (0, 0, 0), throttle=False, max_in_flight=1,
                             chunk_bytes=64**3 * 8)


def test_four_threads_fetch_volumes_at_once(slow_node):
    node, labels = slow_node
    spans = [None] * 4
    results = [None] * 4
    ready = threading.Barrier(4)

    def worker(index):
        ready.wait()
        start = time.monotonic()
        results[index] = fetch(node)
        spans[index] = (start, time.monotonic())

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        numpy.testing.assert_array_equal(result, labels)
    # A call holding the GIL for its 150 ms wait would keep every other thread from starting its
    # call until it returned; released, all four calls are in flight at once.
    latest_start = max(start for start, _ in spans)
    earliest_end = min(end for _, end in spans)
    assert latest_start < earliest_end, spans


def test_python_runs_while_a_transfer_waits(slow_node):
    node, _ = slow_node
    done = threading.Event()
    ticks = 0

    def transfer():
        fetch(node)
        done.set()

    thread = threading.Thread(target=transfer)
    thread.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    assert ticks > 20
