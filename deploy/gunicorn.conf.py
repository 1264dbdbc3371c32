"""Gunicorn in production, behind deploy/nginx.conf:

    gunicorn ocophub.wsgi:application -c deploy/gunicorn.conf.py

nginx buffers slow clients and keeps the connections alive, so gunicorn's plain sync
workers fit. bench/scan_load.py serves with this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
# One worker per core. On the 2-core bench machine (wrk on the same cores, SQLite) the scan
# page's first renders ran at 647 req/s with 2 workers against 549 with 3 and 369 with
# 5 (the usual 2 x cores + 1), and the one-batch p99 was 33 ms against 66 and 96 ms;
# four threads per worker put the p99 over 250 ms. Raise WEB_WORKERS when requests
# mostly wait on a database on another machine.
workers = int(os.environ.get("WEB_WORKERS") or multiprocessing.cpu_count())
backlog = 2048
timeout = 60
# The X-Forwarded-* headers that nginx sets are trusted from the local proxy only.
forwarded_allow_ips = "127.0.0.1"
