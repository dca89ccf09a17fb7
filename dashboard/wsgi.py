"""WSGI entry point for gunicorn: `gunicorn dashboard.wsgi:server`.

Each worker renders the pages' default views in a background thread as it starts, so the first request does not
pay for them; requests are served meanwhile.
"""
import threading

from dashboard.app import create_app, warm_up

app = create_app()
server = app.server
threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
