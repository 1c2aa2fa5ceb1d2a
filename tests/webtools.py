"""Helpers for the tests of `contractgen web`: a real server process, plain HTTP requests
(http.client, so Host and Origin can be set freely), and headless Chromium through Selenium."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

# a fixed clock (2027-01-10 09:30 UTC): downloads and `contractgen generate` agree on "today"
EPOCH = "1799573400"


def require_web() -> None:
    from contractgen.web import missing_packages

    missing = missing_packages()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"In CI fehlt das Extra [web]: {', '.join(missing)}")
        pytest.skip(f"contractgen[web] ist nicht installiert (fehlt: {', '.join(missing)})")


@dataclass
class Server:
    """`contractgen web --no-browser` in its own process; stopped with SIGINT (Ctrl-C)."""

    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None
    url: str = ""
    host: str = ""
    port: int = 0
    token: str = ""
    stopped_output: tuple[str, str] = ("", "")

    def start(self) -> Server:
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONUNBUFFERED="1", **self.env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "contractgen", "web", "--no-browser", *self.args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
            raise AssertionError(f"no address printed: {line!r} {err}")
        self.url = line
        parts = urlsplit(line)
        self.host, self.port = parts.hostname or "", parts.port or 0
        self.token = line.rsplit("token=", 1)[1]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.request("GET", "/", cookie=False)
                if status == 403:
                    break
            except OSError:
                time.sleep(0.05)
        return self

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            out, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        self.stopped_output = (out, err)
        return self.process.returncode

    # -- plain HTTP ----------------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes | None = None, *,
                headers: dict[str, str] | None = None, cookie: bool = True,
                host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host if host is not None else f"{self.host}:{self.port}")
            all_headers = dict(headers or {})
            if cookie:
                all_headers.setdefault("Cookie", f"contractgen_zugang={self.token}")
            if body is not None:
                all_headers.setdefault("Content-Length", str(len(body)))
            for name, value in all_headers.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return (response.status, {k.lower(): v for k, v in response.getheaders()},
                    response.read())
        finally:
            connection.close()

    def page(self) -> str:
        status, _, body = self.request("GET", "/")
        assert status == 200, status
        return body.decode("utf-8")

    def csrf(self) -> str:
        match = re.search(r'name="csrf-token" content="([^"]+)"', self.page())
        assert match
        return match.group(1)

    def post_form(self, path: str, fields: list[tuple[str, str]] | dict[str, str], *,
                  csrf: str | None = None, headers: dict[str, str] | None = None,
                  ) -> tuple[int, dict[str, str], bytes]:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf is not None:
            items.insert(0, ("_csrf", csrf))
        body = urlencode(items).encode()
        return self.request("POST", path, body, headers={
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def post_file(self, path: str, name: str, data: bytes, *, csrf: str,
                  fields: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        boundary = "----contractgen-test-boundary"
        parts = [(k, v) for k, v in {"_csrf": csrf, **(fields or {})}.items()]
        chunks = []
        for key, value in parts:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                          f"{value}\r\n".encode())
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="datei"; '
                      f'filename="{name}"\r\nContent-Type: application/yaml\r\n\r\n'.encode()
                      + data + b"\r\n")
        chunks.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(chunks), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})


def sample_fields(path: Path) -> list[tuple[str, str]]:
    """An answers file as the fields the page's form would post (key paths as names)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields: list[tuple[str, str]] = []

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            if name:
                fields.append((f"_mit:{name}", "ja"))
            for key, item in value.items():
                walk(item, f"{name}.{key}" if name else key)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value, start=1):
                for key, sub in item.items():
                    fields.append((f"{name}[{index}].{key}", str(sub)))
        elif isinstance(value, list):
            fields.append((name, "\n".join(str(v) for v in value)))
        elif isinstance(value, bool):
            fields.append((name, "ja" if value else "nein"))
        else:
            fields.append((name, str(value)))

    walk(data, "")
    return fields


# -- the browser --------------------------------------------------------------------------------
CHROMIUM = ("chromium", "chromium-browser")
CHROMEDRIVER = ("chromedriver",)


def find_browser() -> tuple[str, str] | None:
    browser = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    driver = next((found for name in CHROMEDRIVER if (found := shutil.which(name))), None)
    if browser is None or driver is None:
        return None
    return browser, driver


def require_browser() -> tuple[str, str]:
    found = find_browser()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium/chromedriver fehlen in CI: .ci/run muss chromium und "
                        "chromium-driver installieren")
        pytest.skip("Chromium oder chromedriver ist nicht installiert (apt-get install chromium "
                    "chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("selenium fehlt in CI (Extra [test])")
        pytest.skip("selenium ist nicht installiert")
    return found


def start_browser(downloads: Path, width: int = 1440, height: int = 900) -> Any:
    """Headless Chromium from Debian, with a fresh profile and no network of its own."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="contractgen-chromium-")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-default-apps",
                     "--disable-extensions", "--lang=de-DE", f"--window-size={width},{height}",
                     f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "intl.accept_languages": "de-DE,de"})
    service = Service(executable_path=driver)
    chrome = webdriver.Chrome(service=service, options=options)
    chrome.execute_cdp_cmd("Browser.setDownloadBehavior", {
        "behavior": "allow", "downloadPath": str(downloads)})
    chrome._contractgen_profile = profile  # noqa: SLF001 - removed in stop_browser
    return chrome


def stop_browser(chrome: Any) -> None:
    profile = getattr(chrome, "_contractgen_profile", None)
    chrome.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def wait_for_file(directory: Path, suffix: str, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in directory.iterdir() if p.suffix == suffix]
        if done:
            time.sleep(0.1)
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download in {directory}: {list(directory.iterdir())}")
