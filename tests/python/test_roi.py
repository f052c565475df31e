"""ROI calls: create_roi, post_roi, get_roi, get_roi_partition, roi_ptquery, get_roi3D."""
import numpy
import pytest

import dvidxfer


@pytest.fixture
def roi(node, unique_name):
    """An ROI of three blocks (z, y, x): (0, 0, 0), (0, 0, 1) and (1, 1, 1)."""
    assert node.create_roi(unique_name) is True
    node.post_roi(unique_name, [(1, 1, 1), (0, 0, 1), (0, 0, 0)])
    return unique_name


def test_create_roi_is_false_when_it_exists(node, roi):
    assert node.create_roi(roi) is False
    assert node.create_roi(name=roi) is False


def test_get_roi_returns_sorted_zyx_tuples(node, roi):
    assert node.get_roi(roi) == [(0, 0, 0), (0, 0, 1), (1, 1, 1)]
    assert node.get_roi(roi=roi) == [(0, 0, 0), (0, 0, 1), (1, 1, 1)]


def test_post_roi_takes_keywords_and_any_order(node, unique_name):
    node.create_roi(unique_name)
    node.post_roi(roi_name=unique_name, blocks_zyx=[[2, 0, 5], [2, 0, 4], [0, 3, 0]])
    assert node.get_roi(unique_name) == [(0, 3, 0), (2, 0, 4), (2, 0, 5)]


def test_get_roi_partition_is_substacks_and_packing_factor(node, roi):
    substacks, packing_factor = node.get_roi_partition(roi, 2)
    assert substacks == [(64, 0, 0, 0)]
    assert packing_factor == pytest.approx(3 / 8)
    substacks, packing_factor = node.get_roi_partition(roi=roi, partition_size=1)
    assert substacks == [(32, 0, 0, 0), (32, 0, 0, 32), (32, 32, 32, 32)]
    assert packing_factor == pytest.approx(1.0)


def test_roi_ptquery_answers_in_the_points_order(node, roi):
    points = [(0, 0, 40), (0, 0, 70), (40, 40, 40), (5, 5, 5), (40, 40, 5)]
    assert node.roi_ptquery(roi, points) == [True, False, True, True, False]
    assert node.roi_ptquery(roi=roi, point_list_zyx=[(0, 0, 0)]) == [True]


def test_get_roi3D_is_a_uint8_mask_in_zyx(node, roi):
    mask = node.get_roi3D(roi, (64, 64, 96), (0, 0, 0))
    expected = numpy.zeros((64, 64, 96), dtype=numpy.uint8)
    expected[0:32, 0:32, 0:64] = 1
    expected[32:64, 32:64, 32:64] = 1
    assert mask.dtype == numpy.uint8 and mask.flags["C_CONTIGUOUS"]
    numpy.testing.assert_array_equal(mask, expected)
    part = node.get_roi3D(instance_name=roi, dims_zyx=(8, 8, 8), offset_zyx=(28, 28, 60),
                          throttle=False, compress=False)
    numpy.testing.assert_array_equal(part, expected[28:36, 28:36, 60:68])


def test_roi_calls_on_a_missing_roi_raise(node):
    with pytest.raises(dvidxfer.DVIDException):
        node.get_roi("no_such_roi")
