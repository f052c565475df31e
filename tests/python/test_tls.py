"""HTTPS from Python: the in-process EmbeddedServer with a certificate made here by the openssl
command, ClientOptions(tls_ca_file=...) to trust its CA; untrusted certificates raise
DVIDTransportError of kind 'tls'."""
import subprocess

import pytest

import dvidxfer

KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")

    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)

    openssl("req", "-x509", *KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
            "/CN=dvidxfer pytest CA", "-addext", "basicConstraints=critical,CA:TRUE")
    openssl("req", *KEY, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (directory / "server.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem")
    return {name: str(directory / name) for name in ("ca.pem", "server.pem", "server.key")}


def test_keyvalue_over_tls_with_a_token(certificates, monkeypatch):
    monkeypatch.delenv("DVID_TOKEN", raising=False)
    with dvidxfer.EmbeddedServer(tls_cert_file=certificates["server.pem"],
                                 tls_key_file=certificates["server.key"],
                                 auth_token="py-tls-token") as server:
        assert server.url.startswith("https://127.0.0.1:")
        options = dvidxfer.ClientOptions(tls_ca_file=certificates["ca.pem"],
                                         auth_token="py-tls-token")
        assert "tls_ca_file=" in repr(options)
        uuid = dvidxfer.DVIDServerService(server.url, options=options).create_new_repo("t", "d")
        node = dvidxfer.DVIDNodeService(server.url, uuid, options=options)
        node.create_keyvalue("kv")
        value = bytes(range(256)) * 4096
        node.put("kv", "k", value)
        assert node.get("kv", "k") == value


def test_an_untrusted_certificate_is_a_tls_transport_error(certificates):
    with dvidxfer.EmbeddedServer(tls_cert_file=certificates["server.pem"],
                                 tls_key_file=certificates["server.key"]) as server:
        with pytest.raises(dvidxfer.DVIDTransportError) as refused:
            dvidxfer.DVIDServerService(server.url)
        assert refused.value.kind == "tls"
        assert refused.value.attempts == 1
        assert "certificate verification failed" in str(refused.value)
