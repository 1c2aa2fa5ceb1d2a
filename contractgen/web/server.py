"""Running the page: a free loopback port, the address with its token as the first line of
standard output, the default browser, and a clean stop on Ctrl-C (uvicorn's own handling)."""

from __future__ import annotations

import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError
from .app import Start, clean_name, create_app
from .core import Workbench
from .security import Secrets

HOST = "127.0.0.1"            # loopback only: nothing on the network can reach the page


def bind(port: int | None) -> socket.socket:
    """A listening socket on the loopback address; port 0 (None) = a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port or 0))
    except OSError as exc:
        sock.close()
        raise UsageError(f"Port {port} auf {HOST} ist nicht frei ({exc.strerror}). Ohne --port "
                         "wählt contractgen web einen freien Port.") from None
    sock.listen(16)
    return sock


def serve(*, library: Path | None = None, answers: Path | None = None,
          framework: Path | None = None, port: int | None = None, open_browser: bool = True,
          lawyer: bool = False, echo: Callable[[str], None] | None = None) -> None:
    """Serve until Ctrl-C. `answers`: start from this answers file; `framework`: an individual
    order under this framework (both read here, from the command line, never from the page)."""
    import uvicorn

    from ..questionnaire.rawyaml import read_yaml_file

    bench = Workbench(library)
    bench.library()                           # a broken library fails here, with exit code 4
    start = Start()
    if answers is not None:
        start.answers = read_yaml_file(answers)
        start.answers_name = str(answers)
    if framework is not None:
        read_yaml_file(framework)             # the bounds and messages of every answers file
        text = framework.read_bytes().decode("utf-8-sig")
        bench.order_mode(text, clean_name(framework.name))    # an invalid framework: exit 3
        start.framework_text, start.framework_name = text, clean_name(framework.name)
    helper = None
    if lawyer and library is not None:
        from .lawyer import Lawyer

        helper = Lawyer(library)
        helper.ensure_lint()
    sock = bind(port)
    secrets = Secrets(HOST, sock.getsockname()[1])
    app = create_app(bench, secrets, start, helper)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                            date_header=False, lifespan="off", timeout_graceful_shutdown=2,
                            limit_concurrency=32)
    server = uvicorn.Server(config)
    url = secrets.url()
    (echo or _stdout)(url)
    _stderr("contractgen web läuft (nur auf diesem Rechner erreichbar). Beenden mit Strg+C.")
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:     # uvicorn re-raises Ctrl-C after its graceful shutdown
        pass
    _stderr("contractgen web: beendet.")


def _open_when_ready(server: object, url: str) -> None:
    for _ in range(100):
        if getattr(server, "started", False):
            break
        time.sleep(0.05)
    webbrowser.open(url)


def _stdout(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
