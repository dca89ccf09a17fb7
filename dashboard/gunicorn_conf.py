"""gunicorn settings for `bezpieczny serve`.

Each worker, once started, renders the pages' default views in a background thread (`dashboard.app.warm_up`), so
the first visitors do not wait for them; requests are served meanwhile.
"""
import threading

worker_class = "gthread"


def post_worker_init(worker):
    from dashboard.app import warm_up

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
