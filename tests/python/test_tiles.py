"""Tile calls: get_tile_slice and get_tile_slice_binary on an imagetile instance generated from a
uint8blk volume (the embedded server's tiles/generate)."""
import numpy
import pytest

import dvidxfer

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tiled_volume(node):
    """A 64^3 uint8 volume and 'tiles', its imagetile of 32-pixel tiles at two scales."""
    volume = numpy.random.default_rng(5).integers(0, 256, size=(64, 64, 64), dtype=numpy.uint8)
    node.create_grayscale8("tilesource")
    node.put_gray3D("tilesource", volume, (0, 0, 0))
    assert node.create_instance("imagetile", "tiles", {"Source": "tilesource"}) is True
    node.custom_request("/tiles/generate", b'{"scales":2,"tilesize":32}',
                        dvidxfer.ConnectionMethod.POST)
    return volume


def test_get_tile_slice_xy_is_the_volume_slice(node, tiled_volume):
    tile = node.get_tile_slice("tiles", dvidxfer.Slice2D.XY, 0, (1, 0, 17))
    assert tile.dtype == numpy.uint8 and tile.shape == (32, 32)
    numpy.testing.assert_array_equal(tile, tiled_volume[17, 0:32, 32:64])


def test_get_tile_slice_xz_and_yz(node, tiled_volume):
    xz = node.get_tile_slice(instance_name="tiles", slice_type=dvidxfer.Slice2D.XZ, scaling=0,
                             tile_numbers=(0, 40, 1))
    numpy.testing.assert_array_equal(xz, tiled_volume[32:64, 40, 0:32])
    yz = node.get_tile_slice("tiles", dvidxfer.Slice2D.YZ, 0, [5, 1, 0])
    numpy.testing.assert_array_equal(yz, tiled_volume[0:32, 32:64, 5])


def test_get_tile_slice_at_scale_1_is_the_2x_mean(node, tiled_volume):
    tile = node.get_tile_slice("tiles", dvidxfer.Slice2D.XY, 1, (0, 0, 8))
    slice_ = tiled_volume[8].astype(numpy.uint32)
    mean = (slice_[0::2, 0::2] + slice_[1::2, 0::2] + slice_[0::2, 1::2] + slice_[1::2, 1::2]) // 4
    numpy.testing.assert_array_equal(tile, mean.astype(numpy.uint8))


def test_get_tile_slice_binary_is_the_stored_png(node, tiled_volume):
    raw = node.get_tile_slice_binary("tiles", dvidxfer.Slice2D.XY, 0, (0, 1, 3))
    assert isinstance(raw, bytes) and raw.startswith(PNG_MAGIC)
    raw = node.get_tile_slice_binary(instance_name="tiles", slice_type=dvidxfer.Slice2D.XY,
                                     scaling=0, tile_numbers=(0, 1, 3))
    assert raw.startswith(PNG_MAGIC)


def test_a_tile_never_generated_is_blank_as_in_dvid(node, tiled_volume):
    blank = node.get_tile_slice("tiles", dvidxfer.Slice2D.XY, 0, (9, 9, 500))
    assert blank.shape == (32, 32) and not blank.any()


def test_unknown_scale_raises(node, tiled_volume):
    with pytest.raises(dvidxfer.DVIDHttpError) as raised:
        node.get_tile_slice("tiles", dvidxfer.Slice2D.XY, 9, (0, 0, 0))
    assert raised.value.status == 400


def test_slice2d_has_the_seed_members():
    assert set(dvidxfer.Slice2D.__members__) == {"XY", "XZ", "YZ"}
