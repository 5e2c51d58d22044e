"""The bioimage-kg web API (FastAPI). Imports kg; nothing imports api."""

from api.app import create_app

__all__ = ["create_app"]
