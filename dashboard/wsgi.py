"""WSGI entry point for gunicorn: `gunicorn -c deploy/gunicorn_conf.py dashboard.wsgi:server`."""

from dashboard.app import create_app

app = create_app()
server = app.server
