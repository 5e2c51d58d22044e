"""``kg serve``: contributed to the kg CLI through the ``kg.commands`` entry point."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on")] = 8000,
) -> None:
    """Start the web API: SPARQL endpoint at /sparql, health at /health, entity pages at /id/."""
    import uvicorn

    from api.app import create_app
    from kg.config import Settings

    settings = ctx.obj
    assert isinstance(settings, Settings)
    typer.echo(f"serving {settings.endpoint or settings.store_path.resolve()} on http://{host}:{port}/sparql")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
