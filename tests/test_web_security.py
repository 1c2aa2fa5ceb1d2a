"""`contractgen web` over plain HTTP: the token, the cookie, CSRF, the Host check (DNS
rebinding), no CORS, size limits, escaping, and what the server never does (read a path the
browser names). One server for the module."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES
from webtools import Server, require_web, sample_fields

require_web()

from contractgen.questionnaire.rawyaml import MAX_FILE_BYTES  # noqa: E402
from contractgen.web.security import MAX_BODY  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    config = tmp_path_factory.mktemp("web-config")
    running = Server(env={"CONTRACTGEN_CONFIG_DIR": str(config)}).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def csrf(server: Server) -> str:
    return server.csrf()


# -- the token ----------------------------------------------------------------------------------
def test_address_is_loopback_with_a_long_random_token(server: Server) -> None:
    assert server.host == "127.0.0.1"
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", server.token)


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/style.css", "/api/bibliothek",
                                  "/gibt-es-nicht"])
def test_every_request_without_the_token_is_refused(server: Server, path: str) -> None:
    status, headers, body = server.request("GET", path, cookie=False)
    assert status == 403
    assert "Zugriff verweigert" in body.decode()
    assert "access-control-allow-origin" not in headers


def test_a_wrong_token_is_refused(server: Server) -> None:
    status, _, _ = server.request("GET", "/?token=" + "x" * 43, cookie=False)
    assert status == 403
    status, _, _ = server.request("GET", "/", headers={"Cookie": "contractgen_zugang=falsch"},
                                  cookie=False)
    assert status == 403


def test_the_token_in_the_address_becomes_a_strict_cookie_and_leaves_the_address(
        server: Server) -> None:
    status, headers, _ = server.request("GET", f"/?token={server.token}", cookie=False)
    assert status == 303
    assert headers["location"] == "/"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"contractgen_zugang={server.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    status, headers, body = server.request("GET", "/")
    assert status == 200
    assert body.decode().startswith("<!DOCTYPE html>")


def test_security_headers_on_every_answer(server: Server) -> None:
    for path in ("/", "/static/app.js"):
        status, headers, _ = server.request("GET", path)
        assert status == 200
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        assert "server" not in headers
        assert not any(name.startswith("access-control-") for name in headers)


# -- Host header (DNS rebinding) ------------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1",
                                  "127.0.0.1:1", "192.168.1.10:{port}", "",
                                  "127.0.0.1:{port}.evil.example"])
def test_a_foreign_host_header_is_refused_even_with_the_cookie(server: Server, host: str) -> None:
    status, _, body = server.request("GET", "/", host=host.format(port=server.port))
    assert status == 403
    assert "Host" in body.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}"])
def test_the_loopback_host_is_accepted(server: Server, host: str) -> None:
    status, _, _ = server.request("GET", "/", host=host.format(port=server.port))
    assert status == 200


# -- CSRF and CORS ----------------------------------------------------------------------------------
def test_posts_need_the_csrf_token(server: Server, csrf: str) -> None:
    fields = {"_modus": "vertrag", "auftraggeber.name": "X"}
    assert server.post_form("/api/zustand", fields)[0] == 403
    assert server.post_form("/api/zustand", fields, csrf="falsch")[0] == 403
    assert server.post_form("/herunterladen/yaml", fields)[0] == 403
    assert server.post_form("/", fields)[0] == 403
    assert server.post_form("/api/zustand", fields, csrf=csrf)[0] == 200
    assert server.post_form("/api/zustand", fields, headers={"X-CSRF-Token": csrf})[0] == 200


def test_a_foreign_origin_is_refused_even_with_the_csrf_token(server: Server, csrf: str) -> None:
    status, _, _ = server.post_form("/api/zustand", {"_modus": "vertrag"}, csrf=csrf,
                                    headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _, _ = server.post_form("/api/zustand", {"_modus": "vertrag"}, csrf=csrf,
                                    headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert status == 200


def test_no_cors_preflight_and_no_other_methods(server: Server) -> None:
    status, headers, _ = server.request("OPTIONS", "/api/zustand", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert status == 405
    assert not any(name.startswith("access-control-") for name in headers)
    for method in ("PUT", "DELETE", "PATCH"):
        assert server.request(method, "/")[0] == 405
    status, _, body = server.request("GET", "/api/zustand")
    assert status == 405 and "nicht erlaubt" in body.decode()
    status, _, body = server.request("GET", "/gibt-es-nicht")
    assert status == 404 and body.decode() == "Diese Seite gibt es nicht."


def test_uploads_need_the_csrf_token(server: Server) -> None:
    data = (SAMPLES / "designerin-pauschal.yaml").read_bytes()
    status, _, _ = server.post_file("/laden", "a.yaml", data, csrf="falsch")
    assert status == 403


# -- sizes -------------------------------------------------------------------------------------------
def test_a_body_larger_than_the_limit_is_refused(server: Server, csrf: str) -> None:
    big = b"_csrf=" + csrf.encode() + b"&x=" + b"a" * (MAX_BODY + 10)
    status, _, body = server.request("POST", "/api/zustand", big, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    assert "zu groß" in body.decode()


def test_a_body_that_lies_about_its_length_is_cut_off(server: Server, csrf: str) -> None:
    """Chunked transfer without Content-Length: counted while it arrives."""
    import http.client

    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    connection.putrequest("POST", "/api/zustand", skip_host=True)
    connection.putheader("Host", f"{server.host}:{server.port}")
    connection.putheader("Cookie", f"contractgen_zugang={server.token}")
    connection.putheader("X-CSRF-Token", csrf)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    chunk = b"a" * 65536
    try:
        for _ in range(MAX_BODY // len(chunk) + 4):
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass                                  # the server may close the connection early
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_an_uploaded_answers_file_is_bounded_like_a_file_on_disk(server: Server, csrf: str) -> None:
    data = b"# " + b"x" * (MAX_FILE_BYTES + 10) + b"\n"
    assert len(data) < MAX_BODY
    status, _, body = server.post_file("/laden", "gross.yaml", data, csrf=csrf)
    assert status == 422
    text = body.decode()
    assert "Bytes groß; erlaubt sind höchstens 1.000.000 Bytes" in text


def test_too_many_form_fields_are_refused(server: Server, csrf: str) -> None:
    fields = [("_csrf", csrf)] + [(f"x{i}", "1") for i in range(5000)]
    from urllib.parse import urlencode

    status, _, _ = server.request("POST", "/api/zustand", urlencode(fields).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status in (400, 403, 413)


# -- answers stay data --------------------------------------------------------------------------------
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> {{ 7*7 }} {% raw %}'


def test_typed_markup_and_template_syntax_stay_text(server: Server, csrf: str) -> None:
    fields = [(k, HOSTILE if k in ("auftraggeber.name", "projekt.titel") else v)
              for k, v in sample_fields(SAMPLES / "designerin-pauschal.yaml")]
    status, _, body = server.post_form("/api/zustand", [("_modus", "vertrag"), *fields], csrf=csrf)
    assert status == 200
    data = json.loads(body)
    assert data["complete"], data["errors"]
    assert "<script>" not in data["preview"] and "<img" not in data["preview"]
    assert "{{ 7*7 }}" in data["email"]     # plain text (the page shows it as text), not evaluated
    assert "alert" in data["preview"]        # there, escaped
    status, _, body = server.post_form("/", [("_modus", "vertrag"), *fields], csrf=csrf)
    page = body.decode()
    assert status == 200
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page                         # the form field, escaped
    status, _, body = server.post_form("/herunterladen/yaml", [("_modus", "vertrag"), *fields],
                                       csrf=csrf)
    assert status == 200
    import yaml

    assert yaml.safe_load(body)["auftraggeber"]["name"] == HOSTILE


def test_the_server_never_opens_a_path_from_the_browser(server: Server, csrf: str,
                                                        tmp_path) -> None:
    secret = tmp_path / "geheim.yaml"
    secret.write_text("vertragsart: rahmenvertrag\n", encoding="utf-8")
    for fields in ({"_modus": "vertrag", "datei": str(secret)},
                   {"_modus": "vertrag", "_rahmen_name": str(secret)}):
        status, _, body = server.post_form("/laden", fields, csrf=csrf)
        assert status == 422
        assert "Bitte zuerst eine Datei auswählen" in body.decode()
    status, _, body = server.request("GET", "/static/../../pyproject.toml")
    assert status == 404
    status, _, body = server.post_file("/laden", "../../../etc/passwd", b"vertragsart: x\n",
                                       csrf=csrf)
    page = body.decode()
    assert "/etc/passwd" not in page and "Geladen: passwd.yaml" in page


def test_an_order_form_with_a_tampered_framework_is_an_error_page(server: Server,
                                                                 csrf: str) -> None:
    status, _, body = server.post_form("/api/zustand", {"_modus": "auftrag",
                                                        "_rahmen": "vertragsart: [kaputt"},
                                       csrf=csrf)
    assert status == 422
    assert "kein gültiges YAML" in json.loads(body)["fatal"]


# -- the command ------------------------------------------------------------------------------------
def test_ctrl_c_stops_cleanly_and_the_address_is_the_first_line(tmp_path) -> None:
    running = Server(env={"CONTRACTGEN_CONFIG_DIR": str(tmp_path)}).start()
    assert running.url.startswith("http://127.0.0.1:")
    code = running.stop()
    out, err = running.stopped_output
    assert code == 0
    assert out == ""                       # nothing after the address line
    assert "beendet" in err
    assert "Traceback" not in err


def test_a_busy_port_is_a_clear_error(tmp_path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "contractgen", "web", "--no-browser",
                               "--port", str(port)], capture_output=True, text=True, timeout=60,
                              env={**__import__("os").environ, "CONTRACTGEN_CONFIG_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert f"Port {port}" in done.stderr and "nicht frei" in done.stderr


def test_other_commands_do_not_import_the_web_stack() -> None:
    code = ("import sys, contractgen.cli; "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'contractgen.web.app') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_without_the_extra_the_command_says_how_to_install_it(monkeypatch) -> None:
    from typer.testing import CliRunner

    import contractgen.web
    from contractgen.cli import app

    monkeypatch.setattr(contractgen.web, "missing_packages", lambda: ["starlette", "uvicorn"])
    result = CliRunner().invoke(app, ["web", "--no-browser"])
    assert result.exit_code == 7
    assert 'pip install "contractgen[web]"' in result.output
