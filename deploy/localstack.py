"""The production recipe on one machine: N `bezpieczny serve` instances behind a real nginx, all on 127.0.0.1.

Used by `deploy/run-local.sh`, by the tests in `tests/faults/test_production_front.py` and by the benchmarks. It
talks to the dashboard only through its command line (`bezpieczny serve`, `bezpieczny publish`) and HTTP, so it does
not depend on how the dashboard is organised inside.

Run `python deploy/localstack.py --help` for the proof run: (a) 50 slow clients holding unfinished requests while a
page is requested, on an instance directly and through nginx; (b) load through nginx while one instance is stopped
and started again.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "bezpieczny.conf"
BIN = Path(sys.executable).parent
# Views requested under load: the scorecard, trends and comparisons, as a visitor's browser asks for them.
VIEWS = [
    ("/", "?period=2024"),
    ("/", "?period=2023"),
    ("/trendy", ""),
    ("/porownania", ""),
    ("/", "?lang=en"),
    ("/trendy", "?lang=en"),
    ("/porownania", "?lang=en"),
]


def port_range() -> range:
    low, high = os.environ.get("BEZPIECZNY_LOCAL_PORTS", "8250-8299").split("-")
    return range(int(low), int(high) + 1)


def free_ports(count: int) -> list[int]:
    """`count` ports of BEZPIECZNY_LOCAL_PORTS (default 8250-8299) nobody listens on."""
    found = []
    for port in port_range():
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {port_range()}")


def wait_http(url: str, timeout_s: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with code {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


# What each worker of `bezpieczny serve` logs once its warm-up is done (`deploy/gunicorn_conf.py`, WARM_UP_DONE).
WARMED_UP_LINE = "worker warmed up"


def wait_warmed_up(
    log: Path, workers: int, since: int = 0, timeout_s: float = 180.0, process: subprocess.Popen | None = None
) -> float:
    """Wait until `workers` workers have logged the end of their warm-up in `log` (after byte offset `since`), so
    a benchmark measures a running server, not one still rendering its first views; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server logging to {log} exited with code {process.returncode}")
        with open(log, "rb") as handle:
            handle.seek(since)
            if handle.read().decode("utf-8", "replace").count(WARMED_UP_LINE) >= workers:
                return time.monotonic() - started
        time.sleep(0.2)
    raise TimeoutError(f"{workers} workers did not finish warming up within {timeout_s} s (log: {log})")


def stop(process: subprocess.Popen, timeout_s: float = 30.0, group: bool = False) -> None:
    """SIGTERM (graceful), then SIGKILL after `timeout_s`. `group`: the process was started in its own session and
    the signal goes to all of it (`bezpieczny serve` runs gunicorn as a child that would outlive it)."""

    def send(sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig) if group else process.send_signal(sig)

    if process.poll() is None or group:
        send(signal.SIGTERM)
        try:
            process.wait(timeout_s)
            if group:
                _wait_group_gone(process.pid, timeout_s)
        except (subprocess.TimeoutExpired, TimeoutError):
            send(signal.SIGKILL)
            process.wait(5)


def _wait_group_gone(pgid: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise TimeoutError(f"process group {pgid} still running")


class Instance:
    """One `bezpieczny serve` on 127.0.0.1:port reading the warehouse in its own folder (`data_dir`)."""

    def __init__(self, port: int, data_dir: Path, workers: int = 1, threads: int = 4):
        self.port, self.data_dir, self.workers, self.threads = port, data_dir, workers, threads
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self, wait: bool = True) -> Instance:
        env = {**os.environ, "BEZPIECZNY_WAREHOUSE": str(self.data_dir / "bezpieczny.duckdb")}
        # The child keeps its own copy of the log's file descriptor; ours can close once Popen has returned.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "bezpieczny"),
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )
        if wait:
            wait_http(self.url + "/", process=self.process)
        return self

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"serve-{self.port}.log"

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, group=True)


def publish(warehouse: Path, data_dirs: list[Path]) -> None:
    subprocess.run(
        [str(BIN / "bezpieczny"), "publish", "--warehouse", str(warehouse), *map(str, data_dirs)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def nginx_conf(listen_port: int, upstream_ports: list[int], prefix: Path) -> str:
    """A complete nginx.conf around the repository's `deploy/nginx/bezpieczny.conf`, with its listen port and
    upstream servers replaced by local ones and every file nginx writes kept under `prefix`."""
    site = NGINX_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=1s;\n" for port in upstream_ports)
    site = re.sub(
        r"(upstream bezpieczny \{\n(?:    #[^\n]*\n)*)(?:    server [^\n]*\n)+", lambda m: m.group(1) + servers, site
    )
    site = re.sub(r"^    listen [^;]+;", f"    listen 127.0.0.1:{listen_port};", site, flags=re.MULTILINE)
    temp = "".join(
        f"{kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\nworker_processes 1;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{\naccess_log {prefix}/access.log;\n{temp}\n{site}\n}}\n"
    )


@contextmanager
def running_nginx(listen_port: int, upstream_ports: list[int]):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory(prefix="bezpieczny-nginx-") as folder:
        prefix = Path(folder)
        (prefix / "nginx.conf").write_text(nginx_conf(listen_port, upstream_ports, prefix))
        process = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_http(f"http://127.0.0.1:{listen_port}/", timeout_s=20, process=process)
            yield f"http://127.0.0.1:{listen_port}"
        finally:
            stop(process)


@contextmanager
def running_redis(port: int):
    """Debian's redis-server on 127.0.0.1:port, nothing written to disk; yields its URL."""
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    with tempfile.TemporaryDirectory(prefix="bezpieczny-redis-") as folder:
        process = subprocess.Popen(
            [
                redis,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                folder,
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                        sock.sendall(b"PING\r\n")
                        if sock.recv(16).startswith(b"+PONG"):
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"redis-server did not start on port {port}") from None
                    time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop(process)


@contextmanager
def local_stack(warehouse: Path, instances: int = 2, workers: int = 1):
    """Publish `warehouse` to `instances` data folders, serve each, put nginx in front; yields (url, [Instance])."""
    with ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bezpieczny-stack-")))
        *ports, front = free_ports(instances + 1)
        servers = [Instance(port, base / f"instance-{port}", workers=workers) for port in ports]
        for server in servers:
            server.data_dir.mkdir()
        publish(warehouse, [server.data_dir for server in servers])
        for server in servers:
            server.start(wait=False)
            stack.callback(server.stop)
        for server in servers:
            wait_http(server.url + "/", process=server.process)
        url = stack.enter_context(running_nginx(front, ports))
        yield url, servers


def router_payload(dependencies: list[dict], path: str, search: str) -> dict:
    """The request a browser sends to render the page at `path?search`, found from the app's own callback list
    (`/_dash-dependencies`): the callback whose inputs are the location's pathname and search — Dash Pages' own
    router (its output is `_pages_content`) where there is one, not the navigation that listens to the same URL."""
    routers = [dep for dep in dependencies if {i["property"] for i in dep["inputs"]} >= {"pathname", "search"}]
    router = next((dep for dep in routers if "_pages_content.children" in dep["output"]), routers[0])
    values = {"pathname": path, "search": search, "hash": "", "href": f"http://localhost{path}{search}"}
    inputs = [{**i, "value": values.get(i["property"])} for i in router["inputs"]]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]} for part in router["output"].strip(".").split("...")
    ]
    return {
        "output": router["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": [],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


def hold_slow_clients(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` connections that each send half a request head and then wait (a slowloris)."""
    sockets = []
    for number in range(count):
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(f"POST /_dash-update-component HTTP/1.1\r\nHost: {host}\r\nX-Slow-{number}: ".encode())
        sockets.append(sock)
    return sockets


def page_time_with_slow_clients(url: str, slow_clients: int) -> dict:
    """Seconds for a page request while `slow_clients` connections hold unfinished requests."""
    host, port = url.split("//")[1].split(":")
    dependencies = requests.get(url + "/_dash-dependencies", timeout=10).json()
    payload = router_payload(dependencies, "/", "?period=2024")
    requests.post(url + "/_dash-update-component", json=payload, timeout=30)  # time the slow clients, not a cold view
    sockets = hold_slow_clients(host, int(port), slow_clients)
    try:
        time.sleep(1.0)  # let the server take them all
        started = time.perf_counter()
        try:
            status = requests.post(url + "/_dash-update-component", json=payload, timeout=30).status_code
        except requests.RequestException as err:
            status = type(err).__name__
        seconds = time.perf_counter() - started
    finally:
        for sock in sockets:
            sock.close()
    return {"slow_clients": slow_clients, "status": status, "seconds": round(seconds, 3)}


class Load:
    """Router-callback requests at a fixed concurrency until stopped; counts statuses and error pages."""

    def __init__(self, url: str, concurrency: int = 8, unseen: bool = False):
        """`unseen`: every request adds a parameter the page ignores (`&seen=N`), so no cached layout answers it
        and each request runs the page's queries, as a view nobody asked for before does."""
        self.url, self.concurrency, self.unseen = url, concurrency, unseen
        self.statuses: Counter = Counter()
        self.error_pages = 0
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.dependencies = requests.get(url + "/_dash-dependencies", timeout=10).json()
        self.payloads = [router_payload(self.dependencies, path, search) for path, search in VIEWS]
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(concurrency)]

    def _run(self, number: int) -> None:
        session = requests.Session()
        count = number
        while not self._stop.is_set():
            payload = self.payloads[count % len(self.payloads)]
            if self.unseen:
                path, search = VIEWS[count % len(VIEWS)]
                payload = router_payload(self.dependencies, path, f"{search or '?'}&seen={count}")
            count += self.concurrency
            started = time.perf_counter()
            try:
                response = session.post(self.url + "/_dash-update-component", json=payload, timeout=30)
                status, body = response.status_code, response.text
            except requests.RequestException as err:
                status, body = type(err).__name__, ""
            with self._lock:
                self.statuses[status] += 1
                self.latencies.append(time.perf_counter() - started)
                self.error_pages += '"role":"alert"' in body.replace(" ", "")

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join(40)

    def summary(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        total = sum(self.statuses.values())
        failed = sum(n for status, n in self.statuses.items() if not (isinstance(status, int) and status < 300))
        return {
            "requests": total,
            "failed": failed,
            "error_pages": self.error_pages,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=str)},
            "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
        }


def load_with_restart(url: str, instance: Instance, duration_s: float, concurrency: int = 8) -> dict:
    """`duration_s` of load through nginx; a third of the way in `instance` is stopped, and started again."""
    with Load(url, concurrency) as load:
        started = time.monotonic()
        time.sleep(duration_s / 3)
        instance.stop()  # graceful: in-flight requests finish, then gunicorn exits
        stopped_s = time.monotonic() - started - duration_s / 3
        time.sleep(duration_s / 6)
        instance.start(wait=False)
        time.sleep(max(0.0, started + duration_s - time.monotonic()))
    restarted = instance.process is not None and instance.process.poll() is None
    return {
        "duration_s": round(time.monotonic() - started, 1),
        "concurrency": concurrency,
        "seconds_to_stop": round(stopped_s, 1),
        "instance_restarted": restarted,
        **load.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load with the restart (60)")
    parser.add_argument("--slow-clients", type=int, default=50)
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse" / "bezpieczny.duckdb")
    parser.add_argument("--results", type=Path, help="write the numbers to this JSON file")
    args = parser.parse_args()
    with local_stack(args.warehouse) as (url, servers):
        report = {
            "slow_clients_direct": page_time_with_slow_clients(servers[1].url, args.slow_clients),
            "slow_clients_through_nginx": page_time_with_slow_clients(url, args.slow_clients),
            "restart_under_load": load_with_restart(url, servers[0], args.duration),
        }
    text = json.dumps(report, indent=2)
    print(text)
    if args.results:
        args.results.write_text(text + "\n")
    ok = (
        report["restart_under_load"]["failed"] == 0
        and report["restart_under_load"]["instance_restarted"]
        and all(
            report[k]["status"] == 200 and report[k]["seconds"] < 1.0
            for k in ("slow_clients_direct", "slow_clients_through_nginx")
        )
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
