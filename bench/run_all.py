"""`make bench`: run every benchmark in bench/ and write one table to bench/RESULTS.md.

Each benchmark prints `RESULT | figure | value | budget` lines (bench/common.py); everything else it
prints is shown but not tabulated. BENCH_COMPLAINTS (default 1,000,000) sets the table size of every
script; use a database of its own (the scripts add and remove rows).
"""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
KEEP_MARKER = "<!-- make bench keeps what follows -->"
SKIP = {"run_all.py", "common.py", "load.py", "locustfile.py", "__init__.py"}


def machine() -> str:
    cores = os.cpu_count()
    try:
        with open("/proc/meminfo") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
        memory = f"{total_kb / 1024 / 1024:.0f} GiB"
    except OSError:
        memory = "?"
    database = os.environ.get("DATABASE_URL", "sqlite").split("://")[0]
    python = platform.python_version()
    return f"{platform.machine()}, {cores} cores, {memory}, Python {python}, {database}"


def main() -> int:
    rows: list[str] = []
    failed: list[str] = []
    size = os.environ.get("BENCH_COMPLAINTS", "1000000")
    arguments = {
        "submit.py": ["--sizes", f"0,{min(int(size), 100_000)},{size}"],
        "admin_changelist.py": ["--size", size],
        "dashboard.py": ["--complaints", size],
        "escalation.py": ["--complaints", size],
        "oversight.py": ["--complaints", size],
        "channels.py": ["--complaints", size],
    }
    # The escalation benchmark first, on a table holding only its own rows: the demo data the
    # others load has hundreds of thousands of lapsed complaints that its sweep would take too.
    scripts = sorted(BENCH.glob("*.py"), key=lambda path: (path.name != "escalation.py", path.name))
    for script in scripts:
        if script.name in SKIP:
            continue
        print(f"== {script.name}", flush=True)
        process = subprocess.run(
            [sys.executable, str(script), *arguments.get(script.name, [])],
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(process.stdout)
        sys.stderr.write(process.stderr[-2000:])
        if process.returncode != 0:
            failed.append(script.name)
        for line in process.stdout.splitlines():
            if line.startswith("RESULT |"):
                figure, value, budget = (part.strip() for part in line.split("|")[1:4])
                rows.append(f"| {script.stem} | {figure} | {value} | {budget} |")
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    table = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. Date: {today}. Command: `make bench`.",
        "",
        "| benchmark | figure | value | budget |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
    ]
    if failed:
        table.append(f"Failed to run: {', '.join(failed)}")
    results = BENCH / "RESULTS.md"
    # Notes written by hand below the marker (conditions, the `make load` run) survive a rerun.
    kept = ""
    if results.exists():
        previous = results.read_text(encoding="utf-8")
        if KEEP_MARKER in previous:
            kept = previous[previous.index(KEEP_MARKER) :]
    results.write_text("\n".join(table) + ("\n" + kept if kept else ""), encoding="utf-8")
    print("\n".join(table))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
