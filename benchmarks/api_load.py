"""API latency under load (issue 7): 50 concurrent clients on loopback against a store of
100,000 events, measured with wrk (Debian's `wrk`), results in bench-results/api_load.json.

    python benchmarks/api_load.py [--events 100000] [--connections 50] [--seconds 20] [--workers 2]

The store is synthetic (cronaca.monitor.synthetic: reports merged into stories as an ingest
would). The request mix rotates over the API's read endpoints: event pages with filters and
offsets, one event, story pages, a dyad timeline, the top dyads, an actor. The server is
`cronaca serve` itself (uvicorn), started as a separate process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cronaca.monitor import stories, synthetic  # noqa: E402
from cronaca.store import Store  # noqa: E402

LUA = r"""
local paths = {}
for line in io.lines(os.getenv("CRONACA_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, summary.duration))
end
"""


def build(path: Path, n_events: int) -> list[str]:
    with Store(path) as s:
        c = s.conn
        total, seed, ids = 0, 1, []
        while total < n_events:
            c.execute("BEGIN IMMEDIATE")
            new = synthetic.insert_reports(
                c, synthetic.real_events(10_000, start=dt.date(2023, 1, 1), days=730, seed=seed), seed=seed)
            new = new[: n_events - total]
            stories.merge_events(c, new)
            c.execute("COMMIT")
            ids += new
            total += len(new)
            seed += 1
        return ids


def paths_for(ids: list[str], n: int = 2000) -> list[str]:
    rnd = random.Random(5)
    out = []
    for i in range(n):
        k = i % 8
        if k == 0:
            out.append(f"/api/v1/events?limit=50&offset={rnd.randrange(0, 90_000)}")
        elif k == 1:
            out.append(f"/api/v1/events/{rnd.choice(ids)}")
        elif k == 2:
            out.append(f"/api/v1/events?actor=RUS&type=CONSULT&limit=50&offset={rnd.randrange(0, 200)}")
        elif k == 3:
            out.append(f"/api/v1/stories?limit=20&offset={rnd.randrange(0, 30_000)}")
        elif k == 4:
            out.append("/api/v1/dyads/RUS/PRK?by=month")
        elif k == 5:
            out.append(f"/api/v1/stories?actor=USA&since=2024-0{rnd.randrange(1, 10)}-01&limit=20")
        elif k == 6:
            out.append("/api/v1/dyads?limit=20")
        else:
            out.append(f"/api/v1/events?recipient=PRK&since=2024-01-01&limit=50&offset={rnd.randrange(0, 100)}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "api_load.json")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("skip: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "load.sqlite"
        t0 = time.perf_counter()
        ids = build(store, args.events)
        print(f"store of {len(ids):,} events built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        plist = Path(tmp) / "paths.txt"
        plist.write_text("\n".join(paths_for(ids)) + "\n")
        lua = Path(tmp) / "mix.lua"
        lua.write_text(LUA)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        exe = Path(sys.executable).with_name("cronaca")
        server = subprocess.Popen([str(exe), "serve", "--store", str(store), "--port", str(port),
                                   "--workers", str(args.workers)], stdout=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/api/v1/health", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            for p in paths_for(ids, 16):  # warm every endpoint once
                urllib.request.urlopen(base + p, timeout=30).read()
            env = dict(os.environ, CRONACA_PATHS=str(plist))
            runs = {}
            # one client first (service time), then the load
            for conns in (1, args.connections):
                runs[conns] = subprocess.run(["wrk", "-t1" if conns == 1 else "-t2", f"-c{conns}",
                                              f"-d{args.seconds}s", "--timeout", "10s", "-s", str(lua), base],
                                             capture_output=True, text=True, env=env, check=True).stdout
        finally:
            server.terminate()
            server.wait(timeout=10)
    res: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (server and wrk share them), "
                   f"Python {platform.python_version()}",
        "tool": f"wrk -c1 then -t2 -c{args.connections}, {args.seconds}s each, a rotating mix of 8 read endpoints",
        "store_events": len(ids), "server_workers": args.workers}
    for conns, out in runs.items():
        m = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
        if not m:
            print(out, file=sys.stderr)
            return 1
        reqs, non2xx, sock_err, p50, p95, p99, mx, dur = map(int, m.groups())
        res[f"clients_{conns}"] = {
            "requests": reqs, "requests_per_s": round(reqs / (dur / 1e6)), "non_2xx": non2xx,
            "socket_errors": sock_err, "latency_ms": {"median": round(p50 / 1000, 1), "p95": round(p95 / 1000, 1),
                                                      "p99": round(p99 / 1000, 1), "max": round(mx / 1000, 1)}}
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
