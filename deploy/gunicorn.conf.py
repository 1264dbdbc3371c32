"""Gunicorn in production, behind deploy/nginx.conf:

    gunicorn ocophub.wsgi:application -c deploy/gunicorn.conf.py

nginx buffers slow clients and keeps the connections alive, so gunicorn's plain sync
workers fit. bench/scan_load.py serves with this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
# One worker per core. On the 2-core bench machine (wrk on the same cores, SQLite,
# bench/scan_load.py --uris 19000) scan pages rendered for the first time ran at 681 req/s
# with 2 workers, 545 with 3 and 397 with 5 (the usual 2 x cores + 1); one much-scanned
# page had a p99 of 21, 38 and 89 ms. Four threads per worker put the p99 over 250 ms.
# Raise WEB_WORKERS when requests mostly wait on a database on another machine.
workers = int(os.environ.get("WEB_WORKERS") or multiprocessing.cpu_count())
backlog = 2048
timeout = 60
# The X-Forwarded-* headers that nginx sets are trusted from the local proxy only.
forwarded_allow_ips = "127.0.0.1"
