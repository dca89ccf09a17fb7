"""The dashboard's WSGI app, warmed up before it is served, for servers other than gunicorn (the waitress and uvicorn
candidates of benchmarks/bench_slow_clients.py): the same warm-up as `bezpieczny serve`'s workers
(deploy/gunicorn_conf.py), then the same log line, so the benchmark measures each server warm."""

from __future__ import annotations

import os
import time

from dashboard.app import warm_up
from dashboard.wsgi import server
from deploy.localstack import WARMED_UP_LINE

_started = time.monotonic()
warm_up(server=server)
print(f"{WARMED_UP_LINE} in {time.monotonic() - _started:.1f} s (pid {os.getpid()})", flush=True)
