"""``align-audit serve`` (SPEC §4.1): the workshop report as a local page that updates itself.

``state.py`` re-audits and keeps the last good picture; ``views.py`` renders the views from the
report's facts; ``app.py`` is the ASGI application (starlette) with its event stream; this module
binds the socket and runs the server (uvicorn) until Ctrl-C. Nothing here computes a fact.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from align_audit.errors import AuditError

if TYPE_CHECKING:
    from types import FrameType

    from align_audit.settings import Settings

EXTRA_HINT = "serve needs the optional extra: pip install 'align-audit[serve]'"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def extra_installed() -> bool:
    """Whether starlette, uvicorn and watchfiles can be imported (without importing them)."""
    from importlib.util import find_spec

    try:
        return all(find_spec(n) is not None for n in ("starlette", "uvicorn", "watchfiles"))
    except (ImportError, ValueError):
        return False


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, or one line saying why not (port in use, unknown host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AuditError(f"cannot listen on {host}:{port}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        raise AuditError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(
    paths: list[str],
    settings: Callable[[], Settings],
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = False,
) -> None:
    """Serve the live page until interrupted."""
    if not extra_installed():
        raise AuditError(EXTRA_HINT)
    import uvicorn

    from align_audit.serve.app import Broadcast, create_app
    from align_audit.serve.state import LiveReport

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            broadcast.begin_close()
            super().handle_exit(sig, frame)
            # Stopping is what Ctrl-C asked for: uvicorn would raise the signal again once
            # stopped (a KeyboardInterrupt traceback, exit 130); this is a clean exit.
            self._captured_signals.clear()

    if host not in LOOPBACK:
        sys.stderr.write(
            f"align-audit: warning: serving on {host}: anyone who can reach this address can "
            "read the declarations\n"
        )
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    # On the loopback address only local names are accepted as Host (no DNS rebinding); another
    # address was asked for on purpose, and is reached under names we cannot know.
    hosts = ["127.0.0.1", "localhost", "[", host] if host in LOOPBACK else ["*"]

    def ready() -> None:
        sys.stderr.write(f"align-audit: serving {url} (Ctrl-C stops)\n")
        sys.stderr.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    broadcast = Broadcast()
    title = "align-audit: live workshop"
    app = create_app(LiveReport(paths, settings), hosts, title, broadcast, ready)
    config = uvicorn.Config(
        app, log_level="warning", timeout_graceful_shutdown=1, lifespan="on", access_log=False
    )
    server = Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # before the server took the signal over
        pass
    finally:
        sock.close()
    sys.stderr.write("align-audit: stopped\n")
