"""A two-control Dash app with one background callback (a job with a progress bar), run on the manager
`dashboard.background` picks from the settings.

Its Celery worker: `celery -A tests.faults.background_app:celery_app`; served alone:
`gunicorn tests.faults.background_app:server`."""

from __future__ import annotations

import os
import time

import dash
from dash import Input, Output, html

from dashboard.background import background_manager, refuse_with

manager = background_manager()
celery_app = getattr(manager, "handle", None)
app = dash.Dash(__name__, background_callback_manager=manager)
server = app.server  # for gunicorn: `gunicorn tests.faults.background_app:server`
app.layout = html.Div(
    [
        html.Button("Start", id="start"),
        html.Progress(id="progress", value="0", max="3"),
        html.Div(id="result"),
    ]
)


@app.callback(
    Output("result", "children"),
    Input("start", "n_clicks"),
    background=True,
    progress=[Output("progress", "value")],
    prevent_initial_call=True,
)
def slow_job(set_progress, n_clicks):
    for step in range(1, 4):
        set_progress(str(step))
        time.sleep(0.3)
    return f"done after {n_clicks} click(s) by process {os.getpid()}"


def busy(n_clicks):
    return "busy, try again in a moment"


refuse_with(slow_job, busy)
