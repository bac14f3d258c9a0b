#!/usr/bin/env bash
# What a day of `srs review` costs on the built-in deck with the default
# settings: the real binary, a fresh database, one session a day at 09:00
# for DAYS days (default 30), in line mode. Each card is revealed and
# rated from a fixed random stream (Good 80%, Again 12%, Hard 5%, Easy 3%:
# roughly what a learner of new material gives). For each day it counts
# the ratings and the words the user reads (question and model answer,
# a learning card's each time it comes back), and prints a Markdown
# table of the median and the range over the days, by week.
#
#   bench/daycost.sh [DAYS [SETTING=VALUE...]]   (e.g. 30 new_per_day=3)
#
# Minutes are an estimate from those counts, stated in the output: reading
# at 230 words a minute plus 45 seconds to answer each card out loud.
set -euo pipefail
days=${1:-30}
shift || true
cd "$(dirname "$0")/.."
out=bench/out/daycost
mkdir -p "$out"
go build -o "$out/srs" ./cmd/srs
db="$out/day.db"
rm -f "$db"
export TZ=UTC SRS_USER=bench
start=$(date -u -d 2026-12-01 +%s)
if (($#)); then
  SRS_NOW=2026-12-01T08:00:00Z "$out/srs" --db "$db" settings "$@" >/dev/null
fi

for d in $(seq 0 $((days - 1))); do
  now=$(date -u -d "@$((start + d * 86400 + 9 * 3600))" +%Y-%m-%dT%H:%M:%SZ)
  # 600 answers is more than any day holds; the session ends when the day
  # is done and the rest of the input is left unread.
  awk -v seed=$((d + 1)) 'BEGIN {
    srand(seed)
    for (i = 0; i < 600; i++) {
      r = rand()
      print ""
      print (r < 0.80 ? 3 : r < 0.92 ? 1 : r < 0.97 ? 2 : 4)
    }
  }' | SRS_NOW=$now "$out/srs" --db "$db" review --lines >"$out/day$d.txt" 2>&1 || true
  awk -v day=$((d + 1)) '
    /^── / { inq = 0; ina = 0; next }
    /^Q: / { words += NF - 1; inq = 1; next }
    /^A:/ { ina = 1; inq = 0; next }
    /^1 Again/ { ina = 0; next }
    /^recorded / { ratings++; next }
    /^tags: / { next }
    ina || inq { words += NF }
    END { printf "%d %d %d\n", day, ratings, words }
  ' "$out/day$d.txt"
done >"$out/days.txt"

awk '
  function flush(   i, j, t, n, a, w) {
    if (!cnt) return
    n = cnt
    for (i = 1; i <= n; i++) { a[i] = r[i]; w[i] = x[i] }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
      if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
    }
    mr = a[int((n + 1) / 2)]; mw = w[int((n + 1) / 2)]
    printf "| days %d-%d | %d (%d-%d) | %d (%d-%d) | %.0f (%.0f-%.0f) |\n", first, first + n - 1,
      mr, a[1], a[n], mw, w[1], w[n], mw / 230 + mr * 0.75, w[1] / 230 + a[1] * 0.75, w[n] / 230 + a[n] * 0.75
    cnt = 0
  }
  BEGIN {
    print "| days | ratings a day, median (range) | words read a day | minutes a day (estimate) |"
    print "|---|---|---|---|"
  }
  { if (!cnt) first = $1; cnt++; r[cnt] = $2; x[cnt] = $3; if (cnt == 7) flush() }
  END { flush() }
' "$out/days.txt"
