#!/usr/bin/env bash
# Writes the queries loadtest/search.lua sends, URL-encoded, one a line, to
# stdout: the five kinds of BenchmarkSearch (one word, two words, a prefix,
# a company name with a typo, a contact) drawn from a database seeded with
# `forewarn seed synthetic`: a SQLite file, or a PostgreSQL URL (read with
# psql).
# Usage: loadtest/search-queries.sh /path/to.db > /tmp/search-queries.txt
#        loadtest/search-queries.sh postgres://user@host/db > /tmp/search-queries.txt
set -euo pipefail
python3 - "$1" <<'PY'
import sqlite3, subprocess, sys, urllib.parse
src = sys.argv[1]
def rows(query, *args):
    if src.startswith(("postgres://", "postgresql://")):
        for a in args:
            query = query.replace("?", str(int(a)), 1)
        out = subprocess.run(["psql", "-X", "-q", "-tA", "-d", src, "-c", query], check=True, capture_output=True, text=True).stdout
        return [line for line in out.split("\n") if line]
    return [r[0] for r in sqlite3.connect(src).execute(query, args)]
n = int(rows("SELECT COUNT(*) FROM reports")[0]) or 1
titles = rows("SELECT title FROM warning_translations WHERE warning_id % 331 = 0 ORDER BY warning_id, lang LIMIT 300")
titles += rows("SELECT title FROM reports WHERE id % ? = 0 ORDER BY id LIMIT 300", max(1, n // 300))
contacts = rows("SELECT normalized FROM indicators WHERE kind IN ('phone', 'email', 'link') AND id % 97 = 0 ORDER BY id LIMIT 300")
out = []
for i, t in enumerate(titles):
    if " — " not in t:
        continue
    company, rest = t.split(" — ", 1)
    job = rest.split(" (")[0].split()
    long = max(job, key=len)
    typo = company[:2] + company[3] + company[2] + company[4:]
    out += [long, " ".join(job[:2]), long[:5], typo]
    if contacts:
        out.append(contacts[i % len(contacts)])
for q in out:
    print(urllib.parse.quote(q))
PY
