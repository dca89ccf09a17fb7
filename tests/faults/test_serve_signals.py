"""`bezpieczny serve` becomes the server: a process manager's SIGTERM stops gunicorn and frees the port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.localstack import free_ports, wait_http

BIN = Path(sys.executable).parent


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.slow
def test_sigterm_to_serve_stops_the_server_and_frees_its_port(warehouse_path):
    port = free_ports(1)[0]
    env = {**os.environ, "BEZPIECZNY_WAREHOUSE": str(warehouse_path)}
    process = subprocess.Popen(
        [str(BIN / "bezpieczny"), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout_s=90, process=process)
        process.send_signal(signal.SIGTERM)  # to the pid a process manager knows, not to a process group
        assert process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while not _port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _port_is_free(port), "gunicorn outlived `bezpieczny serve` and still holds the port"
    finally:
        if process.poll() is None:
            process.kill()
