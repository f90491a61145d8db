#!/usr/bin/env bash
# Writes the queries loadtest/search.lua sends, URL-encoded, one a line, to
# stdout: the five kinds of BenchmarkSearch (one word, two words, a prefix,
# a company name with a typo, a contact) drawn from a SQLite database
# seeded with `forewarn seed synthetic`.
# Usage: loadtest/search-queries.sh /path/to.db > /tmp/search-queries.txt
set -euo pipefail
python3 - "$1" <<'PY'
import sqlite3, sys, urllib.parse
db = sqlite3.connect(sys.argv[1])
n = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] or 1
titles = [r[0] for r in db.execute("SELECT title FROM warning_translations WHERE warning_id % 331 = 0 LIMIT 300")]
titles += [r[0] for r in db.execute("SELECT title FROM reports WHERE id % ? = 0 LIMIT 300", (max(1, n // 300),))]
contacts = [r[0] for r in db.execute("SELECT normalized FROM indicators WHERE kind IN ('phone', 'email', 'link') AND id % 97 = 0 LIMIT 300")]
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
