"""Why the embedded store is SQLite (WAL) and not DuckDB: measured, not assumed.

Scenario: one process ingests (writes in transactions) while another process
queries. For each engine we record whether the reader can open the file while the
writer holds it, and the reader's query latency during the write.
Run: .venv/bin/python benchmarks/store_choice.py   (DuckDB part needs `pip install duckdb`)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROWS = 200_000


_QUERY = "SELECT substr(date,1,7), count(*), sum(score) FROM ev WHERE code='C7' GROUP BY 1"


def _read_during_write(connect: str) -> dict[str, object]:
    """Query from a second process while the caller holds an open write transaction."""
    code = textwrap.dedent(f"""
        import time
        {connect}
        t = time.perf_counter()
        r.execute({_QUERY!r}).fetchall()
        print(round((time.perf_counter() - t) * 1000, 2))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    ok = out.returncode == 0
    return {"reader_while_writer": ok, "reader_ms": float(out.stdout.strip()) if ok else None,
            "reader_error": None if ok else out.stderr.strip().splitlines()[-1][:200]}


def sqlite_case(tmp: Path) -> dict[str, object]:
    import sqlite3

    path = tmp / "s.sqlite"
    w = sqlite3.connect(path, isolation_level=None)
    w.execute("PRAGMA journal_mode=WAL")
    w.execute("CREATE TABLE ev (id INTEGER PRIMARY KEY, code TEXT, date TEXT, score REAL)")
    t0 = time.perf_counter()
    w.execute("BEGIN")
    w.executemany("INSERT INTO ev (code, date, score) VALUES (?,?,?)",
                  ((f"C{i % 200}", f"2024-{1 + i % 12:02d}-01", i % 7 - 3.0) for i in range(ROWS)))
    w.execute("COMMIT")
    write_s = time.perf_counter() - t0
    w.execute("BEGIN IMMEDIATE")  # a writer in the middle of a batch
    w.execute("INSERT INTO ev (code, date, score) VALUES ('X', '2025-01-01', 1)")
    res = _read_during_write(f"import sqlite3; r = sqlite3.connect('file:{path}?mode=ro', uri=True)")
    w.execute("ROLLBACK")
    return {"engine": "sqlite-wal", "rows_per_s_write": round(ROWS / write_s)} | res


def duckdb_case(tmp: Path) -> dict[str, object]:
    try:
        import duckdb
    except ImportError:
        return {"engine": "duckdb", "skipped": "duckdb not installed"}
    path = tmp / "d.duckdb"
    w = duckdb.connect(str(path))
    w.execute("CREATE TABLE ev (id INTEGER, code TEXT, date TEXT, score DOUBLE)")
    t0 = time.perf_counter()
    w.execute(f"INSERT INTO ev SELECT i, 'C' || (i % 200), '2024-' || lpad(((1 + i % 12))::TEXT, 2, '0') || '-01', "
              f"(i % 7) - 3.0 FROM range({ROWS}) t(i)")
    write_s = time.perf_counter() - t0
    w.execute("BEGIN TRANSACTION")
    w.execute("INSERT INTO ev VALUES (-1, 'X', '2025-01-01', 1)")
    res = _read_during_write(f"import duckdb; r = duckdb.connect('{path}', read_only=True)")
    w.execute("ROLLBACK")
    return {"engine": f"duckdb {duckdb.__version__}", "rows_per_s_write": round(ROWS / write_s)} | res


def main() -> int:
    with tempfile.TemporaryDirectory() as t:
        res = [sqlite_case(Path(t)), duckdb_case(Path(t))]
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
