"""App factory. Nothing happens at import time: settings and the store come in at startup.

With an embedded store, ``kg serve`` runs the store inside an ``oxigraph`` server child process
on loopback, so that every query runs under the server's timeout and can really be stopped
(an in-process pyoxigraph query cannot be, FACTS.md). With ``KG_ENDPOINT`` it talks to that
endpoint instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.templating import Jinja2Templates

from kg import __version__
from kg.config import Settings
from kg.store import OxigraphServer, RemoteStore, Store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        s = settings or Settings.from_env()
        app.state.settings = s
        server: OxigraphServer | None = None
        if store is not None:
            app.state.store = store
        elif s.endpoint:
            app.state.store = RemoteStore(s.endpoint, s.update_endpoint, timeout_s=s.query_timeout_s)
        else:
            server = OxigraphServer(s.store_path.resolve(), timeout_s=s.query_timeout_s).start()
            app.state.store = RemoteStore(server.query_url, server.update_url, timeout_s=s.query_timeout_s)
            app.state.store.description = (
                f"embedded Oxigraph at {s.store_path.resolve()} (served by oxigraph)"
            )
        try:
            yield
        finally:
            if server is not None:
                server.stop()

    app = FastAPI(
        title="bioimage-kg",
        version=__version__,
        summary="Microscopy metadata as a validated, queryable knowledge graph.",
        lifespan=lifespan,
    )
    from api.annotation_routes import router as annotation_router
    from api.qc_routes import router as qc_router
    from api.routes import router

    app.include_router(router)
    app.include_router(qc_router)
    app.include_router(annotation_router)
    return app
