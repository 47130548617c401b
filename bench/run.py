"""Run every bench script and print all their JSON figures at the end.

    python bench/run.py [--quick]
--quick runs short versions of ingest, import, end to end (with the footprint figures) and scale
(50,000 messages) in under 3 minutes; without it the full versions run, plus footprint.py and analysis.py
(allow an hour: the scale generator writes 1,000,000 messages).
Each script's own output (tables, notes) streams to stderr; the JSON lines, one per figure, are
printed to stdout once all have run. Each script also appends its section to bench/RESULTS.md.
Exit status 0 when every script succeeded, else 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
QUICK = ("ingest.py", "import_file.py", "e2e.py", "scale.py")
FULL = (*QUICK, "footprint.py", "analysis.py")


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    figures, failed = [], []
    total = time.perf_counter()
    for script in QUICK if quick else FULL:
        start = time.perf_counter()
        print(f"== {script}{' --quick' if quick else ''}", file=sys.stderr, flush=True)
        proc = subprocess.Popen([sys.executable, str(BENCH / script), *(["--quick"] if quick else [])],
                                cwd=BENCH.parent, stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            sys.stderr.write(line)
            if line.startswith('{"bench"'):
                figures.append(json.loads(line))
        if proc.wait() != 0:
            failed.append(script)
        print(f"== {script}: exit {proc.returncode}, {time.perf_counter() - start:.0f} s",
              file=sys.stderr, flush=True)
    print(f"== all: {time.perf_counter() - total:.0f} s, load average {os.getloadavg()[0]:.2f}",
          file=sys.stderr, flush=True)
    for figure in figures:
        print(json.dumps(figure))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
