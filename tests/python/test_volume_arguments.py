"""Arrays given to put_gray3D / put_labels3D are read in place: a wrong dtype, rank or layout
raises and names the expected layout, it is never converted or copied silently."""
import numpy
import pytest


@pytest.fixture(scope="module")
def instances(node):
    node.create_grayscale8("argsgray")
    node.create_labelblk("argslabels")
    return "argsgray", "argslabels"


def test_wrong_dtype_is_a_type_error_naming_the_expected_dtype(node, instances):
    gray, labels = instances
    with pytest.raises(TypeError, match=r"dtype uint8 .*\(z, y, x\).*got dtype int64"):
        node.put_gray3D(gray, numpy.zeros((32, 32, 32), dtype=numpy.int64), (0, 0, 0))
    with pytest.raises(TypeError, match=r"label_vol_zyx must be a numpy.ndarray of dtype uint64"):
        node.put_labels3D(labels, numpy.zeros((32, 32, 32), dtype=numpy.uint32), (0, 0, 0))
    with pytest.raises(TypeError, match="dtype uint64"):
        node.put_labels3D(labels, numpy.zeros((32, 32, 32), dtype=">u8"), (0, 0, 0))


def test_non_contiguous_is_a_value_error_naming_the_layout(node, instances):
    gray, labels = instances
    transposed = numpy.zeros((32, 32, 32), dtype=numpy.uint64).transpose(2, 1, 0)
    with pytest.raises(ValueError, match=r"C-contiguous.*ascontiguousarray"):
        node.put_labels3D(labels, transposed, (0, 0, 0))
    strided = numpy.zeros((32, 32, 64), dtype=numpy.uint8)[:, :, ::2]
    with pytest.raises(ValueError, match="C-contiguous"):
        node.put_gray3D(gray, strided, (0, 0, 0))


def test_wrong_rank_and_non_arrays_are_rejected(node, instances):
    gray, labels = instances
    with pytest.raises(ValueError, match="got 2 dimensions"):
        node.put_gray3D(gray, numpy.zeros((32, 32), dtype=numpy.uint8), (0, 0, 0))
    with pytest.raises(TypeError, match="got list"):
        node.put_labels3D(labels, [[[0]]], (0, 0, 0))


def test_fortran_order_is_rejected_not_reordered(node, instances):
    _, labels = instances
    fortran = numpy.asfortranarray(numpy.arange(32**3, dtype=numpy.uint64).reshape(32, 32, 32))
    with pytest.raises(ValueError, match="C-contiguous"):
        node.put_labels3D(labels, fortran, (0, 0, 0))


def test_read_only_and_sliced_contiguous_arrays_are_accepted(node, instances):
    _, labels = instances
    big = numpy.arange(64 * 32 * 32, dtype=numpy.uint64).reshape(64, 32, 32)
    view = big[32:]  # contiguous view into a larger array
    view.flags.writeable = False
    node.put_labels3D(labels, view, (0, 0, 0))
    numpy.testing.assert_array_equal(node.get_labels3D(labels, (32, 32, 32), (0, 0, 0)), view)
