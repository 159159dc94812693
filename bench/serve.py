"""``qa serve`` in a subprocess on a free loopback port: what the benchmarks and the end-to-end tests run.

Started, it waits until ``/healthz`` answers (the first start of a machine builds the model and the
index, so the wait is long by default), and fails with the tail of the server's log if the process
exits or never answers. Stopped, it sends SIGINT, as Ctrl-C would, and kills the process if that does
not end it; ``kill()`` is the SIGKILL of a power cut.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A real server on ``data_dir``: ``qa serve`` itself, or with ``fake_embedder`` the API alone over
    the hash test embedder (``bench/load_mixed.py --serve-only``, up in seconds). ``api_key`` enables
    writes; QA_API_KEY from the caller's environment is never passed on."""

    def __init__(self, data_dir: Path, *, fake_embedder: bool = False, api_key: str | None = None,
                 env: dict[str, str] | None = None, log_path: Path | None = None,
                 startup_s: float = 900.0) -> None:
        self.data_dir, self.fake_embedder, self.api_key = data_dir, fake_embedder, api_key
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or data_dir.parent / f"server-{self.port}.log"
        self.startup_s = startup_s
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        if self.fake_embedder:
            return [sys.executable, str(REPO / "bench" / "load_mixed.py"), "--serve-only", "--fake-embedder",
                    "--port", str(self.port), "--data-dir", str(self.data_dir)]
        return [sys.executable, "-m", "qa.cli", "serve", "--port", str(self.port)]

    def start(self) -> Self:
        env = {**os.environ, "QA_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1", **self.extra_env}
        env.pop("QA_API_KEY", None)
        if self.api_key:
            env["QA_API_KEY"] = self.api_key
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command(), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.proc.returncode}:\n{self.log_tail(40)}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer /healthz within {self.startup_s:.0f} s:\n{self.log_tail(40)}")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut or the OOM killer."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> int | None:
        """SIGINT, then SIGKILL after 30 s; the exit status."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode if self.proc is not None else None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
