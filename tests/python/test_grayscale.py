"""Grayscale (uint8blk) calls: create_grayscale8, put_gray3D, get_gray3D."""
import numpy
import pytest

import dvidxfer


def random_gray(shape, seed=1):
    return numpy.random.default_rng(seed).integers(0, 256, size=shape, dtype=numpy.uint8)


def test_create_grayscale8_is_true_once_then_false(node, unique_name):
    assert node.create_grayscale8(unique_name) is True
    assert node.create_grayscale8(unique_name) is False
    assert node.create_grayscale8(unique_name + "b", 32) is True
    assert node.create_grayscale8(instance_name=unique_name + "c", blocksize=64) is True
    assert node.get_blocksize(unique_name + "c") == (64, 64, 64)


def test_put_then_get_round_trips_in_zyx_order(node, unique_name):
    node.create_grayscale8(unique_name)
    volume = random_gray((64, 32, 96))
    node.put_gray3D(unique_name, volume, (32, 0, 64))
    fetched = node.get_gray3D(unique_name, (64, 32, 96), (32, 0, 64))
    assert fetched.dtype == numpy.uint8
    assert fetched.shape == (64, 32, 96)
    assert fetched.flags["C_CONTIGUOUS"] and fetched.flags["WRITEABLE"]
    numpy.testing.assert_array_equal(fetched, volume)
    # Indexed [z, y, x]: a box one voxel wide in x and z at (42, 20, 94) is that voxel.
    assert node.get_gray3D(unique_name, (1, 1, 1), (42, 20, 94))[0, 0, 0] == volume[10, 20, 30]


def test_get_any_box_with_every_seed_argument(node, unique_name):
    node.create_grayscale8(unique_name)
    volume = random_gray((64, 64, 64), seed=2)
    node.put_gray3D(unique_name, volume, (0, 0, 0), throttle=False, compress=True)
    box = node.get_gray3D(unique_name, (10, 20, 30), (5, 6, 7), throttle=True, compress=False,
                          roi=None)
    numpy.testing.assert_array_equal(box, volume[5:15, 6:26, 7:37])
    compressed = node.get_gray3D(instance_name=unique_name, shape_zyx=(64, 64, 64),
                                 offset_zyx=(0, 0, 0), throttle=False, compress=True)
    numpy.testing.assert_array_equal(compressed, volume)


def test_never_written_voxels_are_zero(node, unique_name):
    node.create_grayscale8(unique_name)
    assert not node.get_gray3D(unique_name, (32, 32, 32), (1000, 1000, 1000)).any()


def test_a_2d_slice_is_a_box_one_voxel_thick(node, unique_name):
    node.create_grayscale8(unique_name)
    volume = random_gray((32, 32, 32), seed=3)
    node.put_gray3D(unique_name, volume, (0, 0, 0))
    numpy.testing.assert_array_equal(node.get_gray3D(unique_name, (1, 32, 32), (7, 0, 0))[0],
                                     volume[7])


def test_unaligned_put_is_an_argument_error(node, unique_name):
    node.create_grayscale8(unique_name)
    with pytest.raises(dvidxfer.DVIDArgumentError, match="align"):
        node.put_gray3D(unique_name, random_gray((32, 32, 32)), (1, 0, 0))
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.put_gray3D(unique_name, random_gray((32, 32, 31)), (0, 0, 0))


def test_bad_shapes_are_argument_errors(node, unique_name):
    node.create_grayscale8(unique_name)
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_gray3D(unique_name, (0, 32, 32), (0, 0, 0))
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_gray3D(unique_name, (-1, 32, 32), (0, 0, 0))
    with pytest.raises(TypeError):
        node.get_gray3D(unique_name, (32, 32), (0, 0, 0))


def test_unknown_instance_raises_dvid_exception(node):
    with pytest.raises(dvidxfer.DVIDException) as raised:
        node.get_gray3D("no_such_gray", (32, 32, 32), (0, 0, 0))
    assert raised.value.status >= 400
