"""The access log: one JSON line for every response that carried restricted content (who, when,
which route, which documents), so a council can answer "who was shown this exempt paper?".

Append-only: opened with O_APPEND for each record, one write per line (a line from another
process never lands inside one of ours), and flushed to disk before the response leaves. When
the record cannot be written the response is refused (503): restricted content is never given
out unrecorded."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from fastapi import HTTPException, Request

from .callers import Caller


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, caller: Caller, request: Request, documents: Iterable[str]) -> None:
        """Record that `caller` was sent these restricted documents (nothing when there are none)."""
        shown = sorted(set(documents))
        if not shown:
            return
        line = json.dumps({
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "who": caller.name, "role": caller.role,
            "route": f"{request.method} {request.url.path}",
            "documents": shown,
        }, ensure_ascii=False) + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, line.encode("utf-8"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            raise HTTPException(503, "restricted papers cannot be shown: the access log cannot be written; "
                                     "ask the administrator") from exc
