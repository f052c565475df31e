"""Label calls: create_labelblk, put_labels3D, get_labels3D, get_label_by_location, body_exists."""
import numpy
import pytest

import dvidxfer


def blocky_labels(shape, seed=1):
    """Labels constant on 8^3 cells, like a segmentation (compresses as real ones do)."""
    rng = numpy.random.default_rng(seed)
    cells = rng.integers(1, 2**40, size=tuple((s + 7) // 8 for s in shape), dtype=numpy.uint64)
    full = cells.repeat(8, 0).repeat(8, 1).repeat(8, 2)
    return numpy.ascontiguousarray(full[:shape[0], :shape[1], :shape[2]])


def test_create_labelblk_with_and_without_labelvol(node, unique_name):
    assert node.create_labelblk(unique_name) is True
    assert node.create_labelblk(unique_name) is False
    assert node.create_labelblk(unique_name + "b", unique_name + "vol") is True
    assert node.get_typeinfo(unique_name + "vol")["Base"]["TypeName"] == "labelvol"
    assert node.create_labelblk(instance_name=unique_name + "c", labelvol_name=None,
                                blocksize=32) is True


def test_put_then_get_round_trips_compressed_and_raw(node, unique_name):
    node.create_labelblk(unique_name)
    labels = blocky_labels((64, 64, 96))
    node.put_labels3D(unique_name, labels, (0, 32, 32))
    for compress in (True, False):
        fetched = node.get_labels3D(unique_name, (64, 64, 96), (0, 32, 32), compress=compress)
        assert fetched.dtype == numpy.uint64
        assert fetched.shape == (64, 64, 96)
        assert fetched.flags["C_CONTIGUOUS"]
        numpy.testing.assert_array_equal(fetched, labels)


def test_every_seed_argument_of_put_and_get(node, unique_name):
    node.create_labelblk(unique_name)
    labels = blocky_labels((32, 32, 32), seed=2)
    node.put_labels3D(unique_name, labels, (0, 0, 0), throttle=True, compress=False, roi=None,
                      mutate=False)
    node.put_labels3D(instance_name=unique_name, label_vol_zyx=labels + numpy.uint64(1),
                      offset_zyx=(0, 0, 0), throttle=False, compress=True, mutate=True)
    fetched = node.get_labels3D(instance_name=unique_name, shape_zyx=(16, 8, 4),
                                offset_zyx=(3, 2, 1), throttle=False, compress=True, roi=None)
    numpy.testing.assert_array_equal(fetched, labels[3:19, 2:10, 1:5] + numpy.uint64(1))


def test_get_label_by_location_reads_zyx(node, unique_name):
    node.create_labelblk(unique_name)
    labels = numpy.zeros((32, 32, 32), dtype=numpy.uint64)
    labels[1, 2, 3] = 42
    labels[3, 2, 1] = 7
    node.put_labels3D(unique_name, labels, (32, 0, 0))
    assert node.get_label_by_location(unique_name, (33, 2, 3)) == 42
    assert node.get_label_by_location(unique_name, (35, 2, 1)) == 7
    assert node.get_label_by_location(unique_name, (0, 0, 0)) == 0
    assert node.get_label_by_location(instance_name=unique_name, point_zyx=[33, 2, 3]) == 42


def test_body_exists_through_the_synced_labelvol(node, unique_name):
    labelvol = unique_name + "vol"
    node.create_labelblk(unique_name, labelvol)
    labels = numpy.zeros((32, 32, 32), dtype=numpy.uint64)
    labels[:16] = 1234
    node.put_labels3D(unique_name, labels, (0, 0, 0))
    assert node.body_exists(labelvol, 1234) is True
    assert node.body_exists(labelvol_name=labelvol, bodyid=99) is False


def test_roi_masks_get_labels3D(node, unique_name):
    roi = unique_name + "roi"
    node.create_labelblk(unique_name)
    node.create_roi(roi)
    node.post_roi(roi, [(0, 0, 0)])
    labels = blocky_labels((32, 32, 64), seed=3)
    node.put_labels3D(unique_name, labels, (0, 0, 0))
    masked = node.get_labels3D(unique_name, (32, 32, 64), (0, 0, 0), roi=roi)
    numpy.testing.assert_array_equal(masked[:, :, :32], labels[:, :, :32])
    assert not masked[:, :, 32:].any()


def test_unaligned_label_put_is_an_argument_error(node, unique_name):
    node.create_labelblk(unique_name)
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.put_labels3D(unique_name, numpy.zeros((32, 32, 32), numpy.uint64), (0, 16, 0))
