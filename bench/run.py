"""Run the benchmarks in order on one dataset and print each one's figures.

    make bench                                   # SQLite, full national scale
    make bench BENCH_ARGS="--quick"              # a small dataset, minutes not hours
    bash scripts/with-postgres.sh .venv/bin/python bench/run.py --quick   # PostgreSQL

Each benchmark is a script beside this one that also runs alone (see its --help). The
dataset goes into the database the settings point at: DATABASE_URL, or SQLite under
OCOP_VAR_DIR (bench/out/national unless set). The scan load test needs wrk (and nginx
for the cached figure, used when installed); it is skipped with a message when wrk is
missing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable

# (script, arguments at full scale, arguments with --quick)
STEPS: list[tuple[str, list[str], list[str]]] = [
    ("national.py", [], ["--products", "2000", "--certificates", "6000", "--producers", "900"]),
    ("trace_data.py", [], ["--batches", "20000", "--products", "2000"]),
    ("dashboard_bench.py", [], ["--renders", "5"]),
    ("certificates_bench.py", [], ["--renders", "5"]),
    ("evaluation_bench.py", [], ["--dossiers", "20", "--renders", "3"]),
    ("market_bench.py", [], ["--runs", "5", "--renders", "5"]),
    ("epcis_capture.py", [], ["--documents", "3"]),
    ("epcis_data.py", [], ["--events", "50000", "--reads", "20"]),
    ("scan_load.py", [], ["--duration", "5", "--uris", "200"]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small dataset, short runs")
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. national.py)")
    args = parser.parse_args()

    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        env.setdefault("OCOP_VAR_DIR", str(HERE / "out" / ("quick" if args.quick else "national")))
        Path(env["OCOP_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    failed = []
    for script, full, quick in STEPS:
        if args.only and script not in args.only:
            continue
        if script == "scan_load.py" and not shutil.which("wrk"):
            print(f"== {script}: skipped (wrk is not installed: apt-get install wrk)")
            continue
        command = [PY, str(HERE / script), *(quick if args.quick else full)]
        if script == "scan_load.py" and shutil.which("nginx"):
            command.append("--nginx")  # the cached figure beside nginx serving a file
        print(f"== {script} {' '.join(command[2:])}", flush=True)
        started = time.perf_counter()
        if subprocess.run(command, env=env).returncode != 0:
            failed.append(script)
        print(f"== {script}: {time.perf_counter() - started:.1f} s\n", flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
