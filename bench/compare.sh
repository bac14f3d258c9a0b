#!/usr/bin/env bash
# Compares two srs binaries on the same collection: `srs status` and the
# first card of `srs review --lines` (start, queue, first card, quit), at
# the collection's "today" (whose reviews used up the day's limit) and
# the day after (a full day's queue to build), runs interleaved one by one
# (old, new, new, old, ...) so that a noisy, shared machine hits both
# alike. Prints medians and the ratio new/old as Markdown rows: wall
# time, and CPU time (user + system), which other work on a loaded
# machine disturbs less.
#
#   bench/compare.sh OLD_BINARY NEW_BINARY DB [RUNS]   (default 21 runs)
#
# Both runs only read the database (the first card's session quits before
# rating), so one file serves every run.
set -euo pipefail
old=$1 new=$2 db=$3 runs=${4:-21}
export TZ=UTC SRS_USER=user00
today=2026-11-27T10:00:00Z tomorrow=2026-11-28T10:00:00Z

# ms prints the wall-clock and CPU tenths of milliseconds of running
# "$@", as WALL:CPU. The CPU time is what bash's `times` reports for the
# children of a subshell that runs only the command (millisecond
# resolution).
ms() {
  local s e c
  s=$(date +%s%N)
  c=$( ("$@" >/dev/null 2>&1 </dev/null || exit 1; times) | tail -1) || { echo "failed: $*" >&2; exit 1; }
  e=$(date +%s%N)
  echo "$(((e - s) / 100000)):$(awk '{for (i = 1; i <= 2; i++) {split($i, p, /[ms]/); t += p[1] * 60 + p[2]} printf "%d", t * 10000}' <<<"$c")"
}
first() { printf 'q\n' | SRS_NOW=$1 "$2" --db "$db" review --lines; }
status() { SRS_NOW=$1 "$2" --db "$db" status; }
export -f first status
export db

declare -A t
for bin in "$old" "$new"; do status $today "$bin" >/dev/null; done # warm the page cache
for i in $(seq "$runs"); do
  order=("$old" "$new")
  ((i % 2)) || order=("$new" "$old")
  for bin in "${order[@]}"; do
    k=$([ "$bin" = "$old" ] && echo old || echo new)
    for when in today tomorrow; do
      t[$k,status,$when]+="$(ms bash -c "status ${!when} $bin") "
      t[$k,first,$when]+="$(ms bash -c "first ${!when} $bin") "
    done
  done
done
# med FIELD LIST: the median of field 1 (wall) or 2 (CPU) in ms.
med() { printf '%s\n' $2 | cut -d: -f"$1" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/10}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
echo "| what (median of $runs interleaved runs) | wall, $(basename "$new") | wall, $(basename "$old") | ratio | CPU, $(basename "$new") | CPU, $(basename "$old") | ratio |"
echo "|---|---|---|---|---|---|---|"
for what in status first; do
  for when in today tomorrow; do
    n=$(med 1 "${t[new,$what,$when]}") o=$(med 1 "${t[old,$what,$when]}")
    nc=$(med 2 "${t[new,$what,$when]}") oc=$(med 2 "${t[old,$what,$when]}")
    name=$([ $what = status ] && echo '`srs status`' || echo 'first card of `srs review --lines`')
    echo "| $name, $when | $n ms | $o ms | $(ratio "$n" "$o") | $nc ms | $oc ms | $(ratio "$nc" "$oc") |"
  done
done
