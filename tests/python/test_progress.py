"""progress= and cancel= on volume calls."""
import threading

import numpy
import pytest

import dvidxfer


@pytest.fixture(scope="module")
def labels_instance(node):
    node.create_labelblk("progresslabels")
    labels = numpy.arange(64 * 128 * 128, dtype=numpy.uint64).reshape(64, 128, 128)
    node.put_labels3D("progresslabels", labels, (0, 0, 0))
    return "progresslabels", labels


def test_progress_reports_every_chunk_up_to_the_whole_volume(node, labels_instance):
    name, labels = labels_instance
    reports = []
    threads = set()

    def progress(report):
        reports.append((report.chunks_acknowledged, report.chunks_planned,
                        report.bytes_acknowledged, report.bytes_planned))
        threads.add(threading.get_ident())

    fetched = node.get_labels3D(name, (64, 128, 128), (0, 0, 0), progress=progress,
                                chunk_bytes=32 * 128 * 128 * 8)
    numpy.testing.assert_array_equal(fetched, labels)
    assert reports
    final = max(reports)
    assert final[0] == final[1] >= 2
    assert final[2] == final[3] == labels.nbytes
    assert isinstance(repr(dvidxfer.TransferProgress), str)


def test_progress_on_puts(node):
    node.create_grayscale8("progressgray")
    acknowledged = []
    volume = numpy.ones((64, 64, 64), dtype=numpy.uint8)
    node.put_gray3D("progressgray", volume, (0, 0, 0),
                    progress=lambda report: acknowledged.append(report.bytes_acknowledged))
    assert max(acknowledged) == volume.nbytes


def test_an_exception_in_progress_cancels_and_is_raised(node, labels_instance):
    name, _ = labels_instance

    class Stop(Exception):
        pass

    def progress(report):
        raise Stop("enough")

    with pytest.raises(Stop, match="enough"):
        node.get_labels3D(name, (64, 128, 128), (0, 0, 0), progress=progress,
                          chunk_bytes=16 * 128 * 128 * 8, max_in_flight=1)


def test_cancel_token_stops_the_call(node, labels_instance):
    name, _ = labels_instance
    token = dvidxfer.CancellationToken()
    token.cancel()
    assert token.cancelled
    with pytest.raises(dvidxfer.DVIDVolumeTransferError) as raised:
        node.get_labels3D(name, (64, 128, 128), (0, 0, 0), cancel=token)
    assert raised.value.cancelled is True


def test_progress_must_be_callable(node, labels_instance):
    name, _ = labels_instance
    with pytest.raises(TypeError, match="progress"):
        node.get_labels3D(name, (32, 32, 32), (0, 0, 0), progress=5)
