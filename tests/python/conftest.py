"""Fixtures for the dvidxfer Python tests: one `dvidxfer serve` process for the session (the
binary named by DVIDXFER_BINARY, default build/bin/dvidxfer), a fresh repo per test module."""
import os
import pathlib
import subprocess
import uuid as uuid_module

import pytest

import dvidxfer

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary():
    return os.environ.get("DVIDXFER_BINARY", str(REPO_ROOT / "build" / "bin" / "dvidxfer"))


class ServeProcess:
    """`dvidxfer serve` started with extra arguments; .url is read from its first line."""

    def __init__(self, *arguments):
        self.process = subprocess.Popen(
            [_binary(), "serve", "--listen", "127.0.0.1:0", *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first_line = self.process.stdout.readline()
        prefix = "listening on "
        if not first_line.startswith(prefix):
            self.stop()
            raise RuntimeError(f"dvidxfer serve did not start: {first_line!r}")
        self.url = first_line[len(prefix):].strip()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="session")
def server_url():
    server = ServeProcess()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def serve_process():
    """Starts another `dvidxfer serve` with the given arguments; stopped at the session's end."""
    started = []

    def start(*arguments):
        server = ServeProcess(*arguments)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def repo_uuid(server_url):
    service = dvidxfer.DVIDServerService(server_url)
    return service.create_new_repo(f"pytest {uuid_module.uuid4().hex[:8]}", "dvidxfer Python tests")


@pytest.fixture(scope="module")
def node(server_url, repo_uuid):
    return dvidxfer.DVIDNodeService(server_url, repo_uuid)


@pytest.fixture
def unique_name():
    """A fresh instance name for each test."""
    return f"i{uuid_module.uuid4().hex[:10]}"
