"""A small persistent cache of successful web answers (OLS4), kept in SQLite.

The cache stores the body of an answer under a key (the full request URL with its sorted
parameters) together with the time it was stored. An entry older than the time-to-live is not
returned; it is replaced the next time the same request succeeds. Only answers that were checked
(parsed, in the expected shape) are stored: errors, 404s and fallbacks never are.

Where it lives: ``$KG_CACHE_DIR`` when set, else the user's cache folder
(``platformdirs.user_cache_dir("bioimage-kg")`` when platformdirs is installed, else
``~/.cache/bioimage-kg``). Nothing is created until the first answer is stored.

The cache is bounded: at most ``max_entries`` rows are kept (the oldest go first) and expired
rows are removed when new ones are written. One cache object holds one SQLite connection (opened
on first use, shared by threads under a lock; :meth:`ResponseCache.close` closes it); several
processes can share the file (write-ahead log, SQLite's own locking). Writes are not synced to
disk one by one (``synchronous=NORMAL``): a crash may lose the last answers, never the file.

A cache that cannot be read or written (read-only folder, corrupt file) never breaks a lookup: the
request goes to the network as if the entry were missing, and the problem is logged once per
cache object with the file and the SQLite error.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["DEFAULT_MAX_ENTRIES", "ResponseCache", "default_cache_dir"]

log = logging.getLogger(__name__)

DEFAULT_MAX_ENTRIES = 50_000
_PRUNE_EVERY = 200  # writes between two prunings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key    TEXT PRIMARY KEY,
    body   TEXT NOT NULL,
    stored REAL NOT NULL
)
"""


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$KG_CACHE_DIR``, else the platform's user cache folder for bioimage-kg."""
    e = os.environ if env is None else env
    given = e.get("KG_CACHE_DIR")
    if given:
        return Path(given).expanduser()
    try:
        import platformdirs
    except ImportError:
        return Path.home() / ".cache" / "bioimage-kg"
    return Path(platformdirs.user_cache_dir("bioimage-kg", appauthor=False))


class ResponseCache:
    """Answers by key, each valid for ``ttl_s`` seconds, in the SQLite file ``path``.

    ``ttl_s <= 0`` turns the cache off (nothing read, nothing written). ``clock`` returns the
    current time in seconds since the epoch; the stored times must survive a restart, so it is a
    wall clock (tests pass their own to age entries without waiting).
    """

    def __init__(
        self,
        path: Path,
        ttl_s: float,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.path = Path(path)
        self.ttl_s = float(ttl_s)
        self.max_entries = max_entries
        self._clock = clock
        self._writes = 0
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    def _connect(self) -> sqlite3.Connection:
        """The connection, opened (and the file and table created) on first use; call under the lock."""
        if self._con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False)
            try:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=NORMAL")
                con.execute(_SCHEMA)
            except sqlite3.Error:
                con.close()
                raise
            self._con = con
        return self._con

    def close(self) -> None:
        """Close the connection (the next use opens it again)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def _problem(self, action: str, exc: Exception) -> None:
        if not self._warned:
            log.warning("cache %s could not be %s (%s); going on without it", self.path, action, exc)
            self._warned = True

    def get(self, key: str) -> str | None:
        """The stored body for ``key`` if it is younger than the TTL, else None."""
        if not self.enabled or not self.path.exists():
            return None
        try:
            with self._lock:
                sql = "SELECT body, stored FROM answers WHERE key = ?"
                row = self._connect().execute(sql, (key,)).fetchone()
        except (sqlite3.Error, OSError) as exc:
            self._problem("read", exc)
            return None
        if row is None:
            return None
        body, stored = row
        if self._clock() - float(stored) > self.ttl_s:
            return None
        return str(body)

    def put(self, key: str, body: str) -> None:
        """Store ``body`` under ``key`` (replacing any older entry)."""
        if not self.enabled:
            return
        try:
            with self._lock:
                con = self._connect()
                with con:  # one transaction
                    con.execute(
                        "INSERT OR REPLACE INTO answers (key, body, stored) VALUES (?, ?, ?)",
                        (key, body, self._clock()),
                    )
                    if self._writes % _PRUNE_EVERY == 0:
                        self._prune(con)
                self._writes += 1
        except (sqlite3.Error, OSError) as exc:
            self._problem("written", exc)

    def _prune(self, con: sqlite3.Connection) -> None:
        con.execute("DELETE FROM answers WHERE stored < ?", (self._clock() - self.ttl_s,))
        con.execute(
            "DELETE FROM answers WHERE key NOT IN (SELECT key FROM answers ORDER BY stored DESC LIMIT ?)",
            (self.max_entries,),
        )

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        try:
            with self._lock:
                return int(self._connect().execute("SELECT COUNT(*) FROM answers").fetchone()[0])
        except (sqlite3.Error, OSError) as exc:
            self._problem("read", exc)
            return 0

    def clear(self) -> None:
        """Remove every entry."""
        if not self.path.exists():
            return
        with self._lock:
            con = self._connect()
            with con:
                con.execute("DELETE FROM answers")
