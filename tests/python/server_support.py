"""Skipping tests of calls the server under test (`dvidxfer serve`) does not serve yet."""
import pytest

import dvidxfer

# What DVID (and dvidxfer serve) answers for an endpoint or a type it does not know.
NOT_SERVED = ("Bad API call", "is not supported by current DVID server")


def served(call, what):
    """call(), or a skipped test (naming `what` and the server's answer) when the server answers
    400 because it does not serve `what` yet. Any other failure is raised."""
    try:
        return call()
    except (dvidxfer.DVIDHttpError, dvidxfer.DVIDVolumeTransferError) as error:
        if error.status == 400 and any(text in str(error) for text in NOT_SERVED):
            pytest.skip(f"dvidxfer serve does not serve {what} yet: {error}")
        raise
