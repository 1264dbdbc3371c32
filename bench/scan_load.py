"""Load-test the scan page (GS1 Digital Link resolver) against a minimal Django view.

    OCOP_VAR_DIR=bench/out/national .venv/bin/python bench/scan_load.py
    OCOP_VAR_DIR=bench/out/national .venv/bin/python bench/scan_load.py --nginx

Starts gunicorn on loopback with the platform's settings (DEBUG off) and the database
the settings point at (run bench/trace_data.py first for the national dataset), then
runs wrk with 64 connections against:

- minimal: /bench/minimal, a view returning "ok" through the same middleware;
- scan: the scan pages of --uris random batches (/01/{gtin}/10/{lot}), cycled by a wrk
  Lua script so that nearly every request is a first render that reads the database;
  each scan counted;
- scan-one: one batch's scan page over and over (served from the app's one-minute
  page cache after the first render, as a much-scanned QR code is).

With --nginx it also starts nginx with deploy/nginx.conf (ports, paths and user
replaced) in front of gunicorn, and measures the scan pages through nginx's cache
beside nginx serving a static file. Prints requests/second and p99 latency, and checks
the targets: scan >= 40% of minimal's throughput, p99 < 50 ms. Needs wrk and, for
--nginx, nginx (apt-get install wrk nginx-light); installs nothing itself.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")


def sample_paths(count, seed):
    import django

    django.setup()
    from ocophub.products.models import PUBLISHED
    from ocophub.trace.models import Batch

    qs = Batch.objects.filter(product__status__in=PUBLISHED).exclude(product__gtin=None)
    top = qs.order_by("-id").values_list("id", flat=True).first()
    if top is None:
        sys.exit("No batches of published products: run bench/trace_data.py first.")
    rng = random.Random(seed)
    ids = {rng.randrange(1, top + 1) for _ in range(count * 3)}
    rows = list(qs.filter(id__in=ids).values_list("product__gtin", "lot")[:count])
    from urllib.parse import quote

    from django.core.cache import caches

    # Pages kept by an earlier run (same seed, same paths) would pass for first renders.
    caches["scan"].clear()

    return [f"/01/{gtin}/10/{quote(lot, safe='')}" for gtin, lot in rows], qs.count()


WARM_UP = 50  # batches scanned before measuring, apart from the measured ones


def wait_for(port, path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                if r.status < 500:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lua_script(paths, folder, name="paths.lua"):
    script = Path(folder) / name
    body = ",\n".join(f'  "{p}"' for p in paths)
    script.write_text(
        "local paths = {\n" + body + "\n}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], {["User-Agent"] = "Mozilla/5.0 (iPhone) Mobile"})\n'
        "end\n"
        "local shown = 0\n"
        "response = function(status, headers, body)\n"
        "  if status >= 400 and shown < 5 then\n"
        "    shown = shown + 1\n"
        '    print("HTTP " .. status .. " for " .. paths[i])\n'
        "  end\n"
        "end\n"
    )
    return str(script)


def parse_latency(text):
    """wrk's "812.00us", "3.21ms", "1.02s" in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, args, script=None):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("HTTP "):
            print("  wrk saw", line)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = parse_latency(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    p50 = parse_latency(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket": socket_errors.group(1) if socket_errors else "",
    }


def start_gunicorn(port, args, env):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "ocophub.wsgi:application",
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--pythonpath",
        f"{ROOT / 'bench'},{ROOT}",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.gthreads),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def start_nginx(folder, listen, upstream, static_root):
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    cache = Path(folder) / "cache"
    logs = Path(folder) / "logs"
    cache.mkdir()
    logs.mkdir()
    replacements = [
        (r"^user www-data;", "user root;" if os.geteuid() == 0 else ""),
        (r"pid /run/nginx-ocophub.pid;", f"pid {folder}/nginx.pid;"),
        (r"listen 80;", f"listen 127.0.0.1:{listen};"),
        (r"server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
        (r"/var/www/ocophub/static/", f"{static_root}/"),
        (r"/var/cache/nginx/ocophub", str(cache)),
        # The benchmark does not measure disk logging.
        (r"access_log /var/log/nginx/ocophub.access.log;", "access_log off;"),
        (r"/var/log/nginx/ocophub.error.log", str(logs / "error.log")),
    ]
    for pattern, value in replacements:
        conf, n = re.subn(pattern, value, conf, flags=re.M)
        if not n:
            sys.exit(f"deploy/nginx.conf changed: cannot find {pattern!r}")
    path = Path(folder) / "nginx.conf"
    path.write_text(conf)
    return subprocess.Popen(
        ["nginx", "-c", str(path), "-p", folder, "-g", "daemon off;"], start_new_session=True
    )


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds per run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="as deploy/gunicorn.conf.py"
    )
    parser.add_argument("--gthreads", type=int, default=1, help="gunicorn threads per worker")
    # More than a run's requests, so that each is a first render and none a cache hit.
    parser.add_argument("--uris", type=int, default=20000, help="distinct batches to scan")
    parser.add_argument(
        "--cached-uris", type=int, default=400, help="distinct batches through nginx's cache"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--nginx", action="store_true", help="also measure through nginx")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="TRACE_SCAN_CACHE off: every scan, even of one batch, is rendered",
    )
    args = parser.parse_args()
    for tool in ["wrk"] + (["nginx"] if args.nginx else []):
        if not shutil.which(tool):
            sys.exit(
                f"{tool} not found: apt-get install {'wrk' if tool == 'wrk' else 'nginx-light'}"
            )

    paths, total = sample_paths(args.uris + WARM_UP, args.seed)
    warm_up, paths = paths[:WARM_UP], paths[WARM_UP:]
    print(f"{total:,} batches of published products; scanning {len(paths)} of them")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="scan_site_settings", DEBUG="0")
    if args.no_page_cache:
        env["TRACE_SCAN_CACHE"] = "0"
    port = free_port()
    results = {}
    gunicorn = nginx = None
    with tempfile.TemporaryDirectory(prefix="scan-load-") as folder:
        try:
            gunicorn = start_gunicorn(port, args, env)
            if not wait_for(port, "/bench/minimal"):
                sys.exit("gunicorn did not start")
            base = f"http://127.0.0.1:{port}"
            for path in warm_up:  # warm every worker's connection, not the measured pages
                urllib.request.urlopen(base + path).read()
            script = lua_script(paths, folder)
            results["minimal (gunicorn)"] = run_wrk(base + "/bench/minimal", args)
            results["scan, many batches (gunicorn)"] = run_wrk(base + "/", args, script)
            results["scan, one batch (gunicorn)"] = run_wrk(base + paths[0], args)
            if args.nginx:
                static_root = Path(folder) / "static"
                static_root.mkdir()
                page = urllib.request.urlopen(base + paths[0]).read()
                (static_root / "scan.html").write_bytes(page)  # same size as a scan page
                listen = free_port()
                nginx = start_nginx(folder, listen, port, static_root)
                front = f"http://127.0.0.1:{listen}"
                if not wait_for(listen, "/static/scan.html"):
                    sys.exit("nginx did not start")
                # Fill the cache with a share of the paths, fast enough to stay within the
                # pages' max-age of 60 s.
                cached_paths = paths[: args.cached_uris]
                with ThreadPoolExecutor(16) as pool:
                    list(pool.map(lambda p: urllib.request.urlopen(front + p).read(), cached_paths))
                cached_script = lua_script(cached_paths, folder, "cached.lua")
                results["nginx static file (same bytes)"] = run_wrk(
                    front + "/static/scan.html", args
                )
                results[f"scan, {len(cached_paths)} batches (nginx cache)"] = run_wrk(
                    front + "/", args, cached_script
                )
                results["scan, one batch (nginx cache)"] = run_wrk(front + paths[0], args)
        finally:
            stop(nginx)
            stop(gunicorn)

    print(
        f"\nwrk {args.connections} connections, {args.threads} threads, {args.duration}s each; "
        f"gunicorn {args.workers} workers x {args.gthreads} threads; {os.cpu_count()} CPUs\n"
    )
    print(f"{'':38} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in results.items():
        print(f"{name:38} {r['rps']:>10,.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['non2xx']:>8}")
        if r["socket"]:
            print(f"{'':38} socket errors: {r['socket']}")
    minimal = results["minimal (gunicorn)"]
    print()
    for case in ("scan, many batches (gunicorn)", "scan, one batch (gunicorn)"):
        scan = results[case]
        share = scan["rps"] / minimal["rps"]
        print(
            f"{case}: {share:.0%} of minimal's throughput (target >= 40%): "
            f"{'met' if share >= 0.4 else 'NOT met'}; p99 {scan['p99']:.1f} ms "
            f"(target < 50 ms): {'met' if scan['p99'] < 50 else 'NOT met'}"
        )
    if args.nginx:
        cached = next(r for name, r in results.items() if "batches (nginx cache)" in name)
        static = results["nginx static file (same bytes)"]
        print(f"nginx cached scan / nginx static file: {cached['rps'] / static['rps']:.0%}")


if __name__ == "__main__":
    main()
