"""labelarray and labelmap calls: create_labelarray, create_labelmap, get_labelarray_blocks3D,
put_labelblocks3D, get_specificblocks3D, get_labels_by_location, and get_labels3D/put_labels3D
with scale, supervoxels, wire, downres, noindexing and ingest_supervoxels, against the embedded
server (`dvidxfer serve`)."""
import threading

import numpy
import pytest

import dvidxfer


def segmentation(shape, seed=1, cell=8):
    """Labels constant on cell^3 cubes, with ids up to 2**40 (none 0), like a segmentation."""
    rng = numpy.random.default_rng(seed)
    cells = rng.integers(1, 2**40, size=tuple((s + cell - 1) // cell for s in shape),
                         dtype=numpy.uint64)
    full = cells.repeat(cell, 0).repeat(cell, 1).repeat(cell, 2)
    return numpy.ascontiguousarray(full[:shape[0], :shape[1], :shape[2]])


def labelmap_with_scales(node, name, levels=1):
    assert node.create_instance("labelmap", name,
                                {"BlockSize": "64,64,64", "MaxDownresLevel": str(levels)})


def test_create_labelarray_and_labelmap(node, unique_name):
    assert node.create_labelarray(unique_name) is True
    assert node.create_labelarray(unique_name) is False
    assert node.get_typeinfo(unique_name)["Base"]["TypeName"] == "labelarray"
    assert node.create_labelmap(instance_name=unique_name + "m", blocksize=64) is True
    assert node.create_labelmap(unique_name + "m") is False
    assert node.get_typeinfo(unique_name + "m")["Base"]["TypeName"] == "labelmap"
    assert node.get_blocksize(unique_name + "m") == (64, 64, 64)
    assert node.create_labelmap_async(unique_name + "f").result(timeout=60) is True


@pytest.mark.parametrize("create", ["create_labelarray", "create_labelmap"])
def test_put_labelblocks3D_then_get_labelarray_blocks3D(node, unique_name, create):
    getattr(node, create)(unique_name)
    labels = segmentation((64, 128, 192))
    node.put_labelblocks3D(unique_name, labels, (64, 0, 128))
    fetched = node.get_labelarray_blocks3D(unique_name, (64, 128, 192), (64, 0, 128))
    assert fetched.dtype == numpy.uint64 and fetched.shape == (64, 128, 192)
    assert fetched.flags["C_CONTIGUOUS"]
    numpy.testing.assert_array_equal(fetched, labels)
    # libdvid's keyword names; an unaligned box (libdvid refuses those) is cropped here.
    part = node.get_labelarray_blocks3D(instance_name=unique_name, shape_zyx=(10, 20, 30),
                                        offset_zyx=(70, 5, 150), throttle=False, scale=0,
                                        supervoxels=False)
    numpy.testing.assert_array_equal(part, labels[6:16, 5:25, 22:52])
    # Never-written voxels read as 0.
    assert not node.get_labelarray_blocks3D(unique_name, (64, 64, 64), (0, 0, 0)).any()


def test_get_labels3D_on_labelmap_over_both_wires(node, unique_name):
    node.create_labelmap(unique_name)
    labels = segmentation((128, 64, 64), seed=2)
    node.put_labels3D(unique_name, labels, (0, 64, 0))
    for wire in ("blocks", "raw"):
        for compress in (True, False):
            fetched = node.get_labels3D(unique_name, (100, 50, 40), (10, 70, 12),
                                        compress=compress, wire=wire)
            numpy.testing.assert_array_equal(fetched, labels[10:110, 6:56, 12:52])
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_labels3D(unique_name, (64, 64, 64), (0, 0, 0), wire="dense")


def test_put_labelblocks3D_keywords_and_noindexing(node, unique_name):
    node.create_labelmap(unique_name)
    labels = segmentation((64, 64, 64), seed=3)
    node.put_labelblocks3D(instance_name=unique_name, label_vol_zyx=labels, offset_zyx=(0, 0, 0),
                           throttle=False, scale=0, noindexing=True)
    numpy.testing.assert_array_equal(
        node.get_labels3D(unique_name, (64, 64, 64), (0, 0, 0)), labels)


def test_downres_writes_scale_1_that_both_wires_read_alike(node, unique_name):
    labelmap_with_scales(node, unique_name)
    labels = segmentation((128, 128, 128), seed=4, cell=4)
    # Chunks of one block each: downres goes on every chunk and the levels still come out whole.
    node.put_labels3D(unique_name, labels, (0, 0, 0), downres=True, chunk_bytes=64**3 * 8)
    blocks = node.get_labels3D(unique_name, (64, 64, 64), (0, 0, 0), scale=1)
    raw = node.get_labels3D(unique_name, (64, 64, 64), (0, 0, 0), scale=1, wire="raw")
    numpy.testing.assert_array_equal(blocks, raw)
    numpy.testing.assert_array_equal(
        node.get_labelarray_blocks3D(unique_name, (64, 64, 64), (0, 0, 0), scale=1), blocks)
    # Each scale-1 voxel is one of the eight labels of its 2x2x2 cell at scale 0.
    cells = labels.reshape(64, 2, 64, 2, 64, 2).transpose(0, 2, 4, 1, 3, 5).reshape(64, 64, 64, 8)
    assert (cells == blocks[..., None]).any(axis=-1).all()


def test_writing_and_reading_a_lower_scale_directly(node, unique_name):
    labelmap_with_scales(node, unique_name, levels=2)
    coarse = segmentation((64, 64, 128), seed=6)
    node.put_labelblocks3D(unique_name, coarse, (0, 0, 64), scale=2)
    numpy.testing.assert_array_equal(
        node.get_labels3D(unique_name, (64, 64, 128), (0, 0, 64), scale=2), coarse)
    assert not node.get_labels3D(unique_name, (64, 64, 64), (0, 0, 64), scale=1).any()


def test_supervoxels_without_a_mapping_read_the_stored_ids(node, unique_name):
    node.create_labelmap(unique_name)
    labels = segmentation((64, 64, 64), seed=7)
    node.put_labels3D(unique_name, labels, (0, 0, 0), ingest_supervoxels=True)
    numpy.testing.assert_array_equal(
        node.get_labels3D(unique_name, (64, 64, 64), (0, 0, 0), True, True, None, True), labels)
    numpy.testing.assert_array_equal(
        node.get_labelarray_blocks3D(unique_name, (64, 64, 64), (0, 0, 0), supervoxels=True),
        labels)
    assert node.get_label_by_location(unique_name, (1, 2, 3), supervoxels=True) == labels[1, 2, 3]


def test_get_labels_by_location_in_order(node, unique_name):
    node.create_labelmap(unique_name)
    labels = segmentation((64, 64, 64), seed=8)
    node.put_labels3D(unique_name, labels, (64, 0, 0))
    points = [(64, 0, 0), (127, 63, 63), (100, 5, 40), (0, 0, 0)]
    expected = [labels[0, 0, 0], labels[63, 63, 63], labels[36, 5, 40], 0]
    found = node.get_labels_by_location(unique_name, points)
    assert found.dtype == numpy.uint64
    numpy.testing.assert_array_equal(found, expected)
    as_array = node.get_labels_by_location(instance_name=unique_name,
                                           points_zyx=numpy.array(points, dtype=numpy.int32),
                                           supervoxels=True)
    numpy.testing.assert_array_equal(as_array, expected)
    assert len(node.get_labels_by_location(unique_name, [])) == 0
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_labels_by_location(unique_name, [(1, 2)])


def test_get_specificblocks3D_answers_as_libdvid(node, unique_name):
    node.create_labelmap(unique_name)
    labels = segmentation((64, 128, 128), seed=9)
    node.put_labels3D(unique_name, labels, (0, 0, 0))
    wanted = numpy.array([[0, 1, 1], [0, 0, 1], [5, 5, 5]], dtype=numpy.int32)  # (z, y, x)
    for uncompressed in (False, True):
        coords, blocks = node.get_specificblocks3D(unique_name, False, wanted, 0, uncompressed,
                                                   False)
        # Block (5, 5, 5) was never written; the others come sorted by z, y, x, each with its
        # first voxel (block coordinate times block size) as libdvid returns them.
        assert coords.dtype == numpy.int32 and coords.shape == (2, 3)
        numpy.testing.assert_array_equal(coords, [[0, 0, 64], [0, 64, 64]])
        assert len(blocks) == 2
        for corner, block in zip(coords, blocks):
            assert block.dtype == numpy.uint64 and block.shape == (64, 64, 64)
            z, y, x = corner
            numpy.testing.assert_array_equal(block, labels[z:z + 64, y:y + 64, x:x + 64])
    coords, blocks = node.get_specificblocks3D(instance=unique_name, gray=False,
                                               blockcoords_zyx=[(0, 1, 0)], scale=0,
                                               uncompressed=False, supervoxels=True)
    numpy.testing.assert_array_equal(coords, [[0, 64, 0]])
    numpy.testing.assert_array_equal(blocks[0], labels[:, 64:, :64])
    coords, blocks = node.get_specificblocks3D(unique_name, False, numpy.zeros((0, 3), numpy.int32))
    assert coords.shape == (0, 3) and blocks == []
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_specificblocks3D(unique_name, True, wanted)  # not a uint8blk


def test_labelarray_calls_refuse_labelblk(node, unique_name):
    node.create_labelblk(unique_name)
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_labelarray_blocks3D(unique_name, (32, 32, 32), (0, 0, 0))
    with pytest.raises(dvidxfer.DVIDArgumentError):
        node.get_labels3D(unique_name, (32, 32, 32), (0, 0, 0), scale=1)


def test_async_forms_and_the_gil_is_released(node, unique_name):
    node.create_labelmap(unique_name)
    labels = segmentation((128, 128, 128), seed=10)
    node.put_labelblocks3D_async(unique_name, labels, (0, 0, 0)).result(timeout=60)
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
    counter = threading.Thread(target=count)
    counter.start()
    try:
        future = node.get_labelarray_blocks3D_async(unique_name, (128, 128, 128), (0, 0, 0))
        fetched = future.result(timeout=60)
    finally:
        stop.set()
        counter.join()
    numpy.testing.assert_array_equal(fetched, labels)
    assert ticks  # another Python thread ran meanwhile
    points = node.get_labels_by_location_async(unique_name, [(0, 0, 0)]).result(timeout=60)
    assert points[0] == labels[0, 0, 0]
    coords, _ = node.get_specificblocks3D_async(unique_name, False, [(1, 1, 1)]).result(timeout=60)
    numpy.testing.assert_array_equal(coords, [[64, 64, 64]])
