"""The ASGI application: four routes and nothing else.

``/`` the page, ``/live.js`` its script, ``/view?name=…`` a view's fragment, ``/events`` the
server-sent events that announce a new picture. No route reads a path from the request, so no
file of the machine can be fetched; every other URL is a 404. A Host header other than the
address served is refused (a web page cannot rebind its domain to the loopback address and read
the declarations).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from align_audit.serve.state import LiveReport
from align_audit.serve.views import UnknownView, render_view
from align_audit.workshop.html import escape, page_css

HEARTBEAT = 15.0
"""Seconds between comments on an idle event stream (proxies close silent connections)."""
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
}


def _asset(name: str) -> str:
    return files("align_audit.serve").joinpath(name).read_text(encoding="utf-8")


def _shell(title: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{page_css()}{_asset('live.css')}</style>\n"
        "</head>\n<body>\n"
        '<main id="live"><p class="lead">Auditing…</p></main>\n'
        '<script src="live.js"></script>\n</body>\n</html>\n'
    )


class Broadcast:
    """The generation of the latest picture, and a way to wait for the next one."""

    def __init__(self) -> None:
        self.generation = 0
        self._changed = asyncio.Condition()
        self.closing = False
        self.loop: asyncio.AbstractEventLoop | None = None

    def begin_close(self) -> None:
        """End every event stream (from a signal handler): the server then stops at once
        instead of waiting for browsers that never hang up."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self.close()))

    async def publish(self, generation: int) -> None:
        async with self._changed:
            self.generation = generation
            self._changed.notify_all()

    async def close(self) -> None:
        async with self._changed:
            self.closing = True
            self._changed.notify_all()

    async def next(self, seen: int) -> int | None:
        """The next generation after ``seen``; None on a heartbeat or when closing."""
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.generation != seen or self.closing),
                    HEARTBEAT,
                )
            return None if self.closing or self.generation == seen else self.generation


def create_app(
    live: LiveReport,
    hosts: list[str],
    title: str,
    broadcast: Broadcast | None = None,
    on_ready: Callable[[], None] | None = None,
) -> Starlette:
    """The application over one live report; ``hosts`` are the Host names accepted;
    ``on_ready`` runs once the first picture is there."""
    broadcast = broadcast or Broadcast()
    script = _asset("live.js")

    async def home(request: Request) -> Response:
        return HTMLResponse(_shell(title), headers=_HEADERS)

    async def live_js(request: Request) -> Response:
        return Response(script, media_type="text/javascript", headers=_HEADERS)

    async def view(request: Request) -> Response:
        picture = live.picture
        try:
            html = render_view(picture, request.query_params.get("name", "overview"))
        except UnknownView:
            return PlainTextResponse("no such view", status_code=404, headers=_HEADERS)
        headers = {**_HEADERS, "X-Generation": str(picture.generation)}
        return HTMLResponse(html, headers=headers)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen = broadcast.generation
            yield f"retry: 500\nevent: update\ndata: {seen}\n\n"
            while not broadcast.closing:
                generation = await broadcast.next(seen)
                if broadcast.closing:
                    return
                if generation is None:
                    yield ": still here\n\n"
                    continue
                seen = generation
                yield f"event: update\ndata: {generation}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers=_HEADERS)

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("not found", status_code=404, headers=_HEADERS)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        broadcast.loop = asyncio.get_running_loop()
        await asyncio.to_thread(live.refresh)
        await broadcast.publish(live.picture.generation)
        task = asyncio.create_task(_watch(live, broadcast, stop))
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            stop.set()
            await broadcast.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    routes = [
        Route("/", home),
        Route("/live.js", live_js),
        Route("/view", view),
        Route("/events", events),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
        exception_handlers={404: not_found, 405: not_found},
        lifespan=lifespan,
    )


async def _watch(live: LiveReport, broadcast: Broadcast, stop: asyncio.Event) -> None:
    """Refresh whenever a watched file changes (a burst of saves is one refresh)."""
    from watchfiles import awatch

    while not stop.is_set():
        folders, singles = live.watched()
        roots = sorted({str(f) for f in folders} | {str(p.parent) for p in singles})
        roots = [r for r in roots if Path(r).is_dir()]

        def relevant(
            change: Any, path: str, singles: set[Path] = singles, folders: set[Path] = folders
        ) -> bool:
            changed = Path(path)
            if changed in singles:
                return True
            return changed.suffix in (".yaml", ".yml") and any(
                changed.is_relative_to(folder) for folder in folders
            )

        async for _ in awatch(
            *roots, watch_filter=relevant, stop_event=stop, debounce=100, step=20, recursive=True
        ):
            await asyncio.to_thread(live.refresh)
            await broadcast.publish(live.picture.generation)
            if live.watched() != (folders, singles):
                break  # a catalog or folder was added: watch the new set
