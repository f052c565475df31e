"""Bearer tokens from Python: ClientOptions(auth_token=...) or DVID_TOKEN, against `dvidxfer serve
--auth-token` and the in-process EmbeddedServer(auth_token=...); the token never shows in reprs,
error messages or error attributes."""
import pytest

import dvidxfer

TOKEN = "py-token-6d1e0a77"


def _shown(error):
    return " ".join([str(error), repr(error), str(error.url), str(getattr(error, "body", ""))])


def test_the_right_token_is_served(serve_process, monkeypatch):
    monkeypatch.delenv("DVID_TOKEN", raising=False)
    server = serve_process("--auth-token", TOKEN)
    options = dvidxfer.ClientOptions(auth_token=TOKEN)
    uuid = dvidxfer.DVIDServerService(server.url, options=options).create_new_repo("auth", "t")
    node = dvidxfer.DVIDNodeService(server.url, uuid, options=options)
    node.create_keyvalue("kv")
    node.put("kv", "k", b"value")
    assert node.get("kv", "k") == b"value"


def test_a_missing_or_wrong_token_is_a_401_that_never_shows_the_token(serve_process, monkeypatch):
    monkeypatch.delenv("DVID_TOKEN", raising=False)
    server = serve_process("--auth-token", TOKEN)
    with pytest.raises(dvidxfer.DVIDHttpError) as missing:
        dvidxfer.DVIDServerService(server.url)
    assert missing.value.status == 401
    assert "dsg token required" in str(missing.value)

    wrong = "wrong-" + TOKEN
    with pytest.raises(dvidxfer.DVIDHttpError) as refused:
        dvidxfer.DVIDServerService(server.url, options=dvidxfer.ClientOptions(auth_token=wrong))
    assert refused.value.status == 401
    assert "invalid DSG token" in str(refused.value)
    assert wrong not in _shown(refused.value)
    assert TOKEN not in _shown(refused.value)


def test_dvid_token_environment_variable(monkeypatch):
    with dvidxfer.EmbeddedServer(auth_token=TOKEN) as server:
        monkeypatch.setenv("DVID_TOKEN", TOKEN)
        assert dvidxfer.DVIDServerService(server.url).create_new_repo("env", "t")
        monkeypatch.setenv("DVID_TOKEN", "stale")
        with pytest.raises(dvidxfer.DVIDHttpError):
            dvidxfer.DVIDServerService(server.url)
        # The options win over the environment.
        options = dvidxfer.ClientOptions(auth_token=TOKEN)
        assert dvidxfer.DVIDServerService(server.url, options=options).create_new_repo("opt", "t")


def test_client_options_repr_hides_the_token():
    options = dvidxfer.ClientOptions(auth_token=TOKEN)
    assert TOKEN not in repr(options)
    assert "auth_token='<hidden>'" in repr(options)
    assert "auth_token=''" in repr(dvidxfer.ClientOptions())
    assert options.auth_token == TOKEN


def test_a_token_with_a_line_break_is_refused_without_showing_it():
    with pytest.raises(dvidxfer.DVIDArgumentError) as refused:
        dvidxfer.ClientOptions(auth_token="abc\r\nX-Evil: 1")
    assert "X-Evil" not in str(refused.value)
