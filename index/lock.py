"""One writer at a time per index folder, across processes.

Every change to an index (an ingest, a removal, the server's admin routes) holds the writer lock
from the moment it reads the live generation until its own generation is live, so a second
writer merges into the first one's result instead of replacing it. The lock is an flock(2) on
<index>/.writer.lock: the kernel frees it when the holder's process ends, however it ends (a
kill -9 included), so a crashed writer never leaves the index locked. The holder writes its pid,
start time and command into the file, only so that a writer kept waiting can say whom it waits
for. The file itself is never deleted (deleting a lock file lets two writers lock two files).

Within one process the lock is re-entrant for the thread that holds it (an admin route holds it
and calls ingest, which takes it again), and other threads of the process wait like another
process would.

Partial generation folders are named with their writer's pid and that process's start time
(staging_suffix), so the writer that holds the lock can tell the leftovers of a dead run (pid gone,
or reused by a later process) from a folder some live process is still writing."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".writer.lock"
POLL_SECONDS = 0.25


class IndexBusy(RuntimeError):
    """Another writer holds the index and we were not to wait (or waited long enough)."""

    def __init__(self, index_dir: Path, holder: dict | None, waited: float):
        self.index_dir, self.holder, self.waited = index_dir, holder, waited
        waited_text = f" (waited {waited:.0f} s)" if waited >= 1 else ""
        super().__init__(f"the index in {index_dir} is being changed by {describe(holder)}{waited_text}")


class WriterIsParent(RuntimeError):
    """A worker process wants the lock its own parent holds: it would wait for ever, and the
    parent for it. This is how a script that ingests without an `if __name__ == "__main__":`
    guard ends when its parse worker (started by "spawn", which imports the script again) runs
    the script's ingest a second time."""

    def __init__(self, index_dir: Path):
        super().__init__(f"a worker process asked for the writer lock of {index_dir}, which its parent holds: "
                         "a script that calls ingest() must do so under `if __name__ == \"__main__\":`")


def describe(holder: dict | None) -> str:
    """'the ingest by pid 123 started at 2026-12-02 10:40:01 UTC (councilqa ingest papers)'."""
    if not holder or not holder.get("pid"):
        return "another ingest"
    where = f" on {holder['host']}" if holder.get("host") and holder["host"] != socket.gethostname() else ""
    text = f"the ingest by pid {holder['pid']}{where} started at {holder.get('started', '?')}"
    if holder.get("command"):
        text += f" ({holder['command']})"
    return text


def read_holder(index_dir: Path) -> dict | None:
    """Who holds (or last held) the lock, as it wrote itself into the lock file; None if unknown."""
    try:
        text = (Path(index_dir) / LOCK_FILE).read_text(encoding="utf-8")
        holder = json.loads(text)
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) else None


class _Held:
    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None


_registry: dict[str, _Held] = {}
_registry_guard = threading.Lock()


def _held_for(index_dir: Path) -> _Held:
    key = os.path.realpath(index_dir)
    with _registry_guard:
        return _registry.setdefault(key, _Held())


def _me() -> dict:
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else ""
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "command": command[:300]}


@contextmanager
def writer_lock(index_dir: Path, wait: float | None = None,
                on_wait: Callable[[dict | None], None] | None = None) -> Iterator[None]:
    """Hold the writer lock of index_dir for the block. wait: None waits as long as it takes, 0
    does not wait, a number of seconds waits that long; then IndexBusy. on_wait is called with
    the holder's details when we start waiting, and again whenever the holder changes."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    held = _held_for(index_dir)
    start = time.monotonic()
    deadline = None if wait is None else start + max(0.0, wait)
    told: list = []  # the holders we have reported, so each is reported once

    def waiting() -> None:
        holder = read_holder(index_dir)
        if holder is None:  # perhaps caught mid-write by a new holder: look once more
            time.sleep(0.05)
            holder = read_holder(index_dir)
        if holder and holder.get("pid") == os.getppid() and multiprocessing.parent_process() is not None:
            raise WriterIsParent(index_dir)
        key = (holder or {}).get("pid"), (holder or {}).get("started")
        if on_wait is not None and key not in told:
            told.append(key)
            on_wait(holder)

    def give_up() -> None:
        raise IndexBusy(index_dir, read_holder(index_dir), time.monotonic() - start)

    # Other threads of this process first (a thread that holds it already goes straight on).
    if not held.thread_lock.acquire(blocking=False):
        while True:
            if deadline is not None and time.monotonic() >= deadline:
                give_up()
            waiting()
            if held.thread_lock.acquire(timeout=POLL_SECONDS):
                break
    try:
        if held.depth == 0:
            fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if deadline is not None and time.monotonic() >= deadline:
                            give_up()
                        waiting()
                        time.sleep(POLL_SECONDS)
                me = (json.dumps(_me()) + "\n").encode("utf-8")
                os.pwrite(fd, me, 0)
                os.ftruncate(fd, len(me))
            except BaseException:
                os.close(fd)  # closing it drops the flock, if we had it
                raise
            held.fd = fd
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                fd, held.fd = held.fd, None
                os.close(fd)  # releases the flock; the holder details stay as "last holder"
    finally:
        held.thread_lock.release()


# --- partial generation folders -------------------------------------------------------------

def _start_ticks(pid: int) -> int | None:
    """When process pid started, in clock ticks since boot (Linux); None if there is no such
    process or no /proc to ask."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        return int(stat.rsplit(")", 1)[1].split()[19])  # field 22, counting from the pid
    except (IndexError, ValueError):
        return None


def staging_suffix() -> str:
    """'<pid>-<start ticks>' of this process, for naming its partial folders."""
    return f"{os.getpid()}-{_start_ticks(os.getpid()) or 0}"


def writer_alive(pid: int, start_ticks: int) -> bool:
    """Whether the process that named a partial folder pid-start_ticks may still be running.
    False only when it provably is not: no such pid, or the pid now belongs to a process that
    started at another time."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, another user's
    if start_ticks and Path("/proc/self/stat").exists():
        now = _start_ticks(pid)
        if now is None:
            return False
        if now != start_ticks:
            return False
        try:  # a zombie writes nothing more
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        return state not in ("Z", "X")
    return True
