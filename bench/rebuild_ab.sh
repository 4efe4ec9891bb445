#!/bin/bash
# Rebuilds of two dossier binaries over the same output folder, and Hugo's,
# in turn (A, B, Hugo; --runs rounds), on a corpus compare.py made:
#   bench/rebuild_ab.sh N BIN_A BIN_B [RUNS]
# e.g. bench/rebuild_ab.sh 100000 /tmp/dossier-before target/release/dossier 3
# Each build after the first two recycles the folder the other binary left,
# which holds the same bytes. Prints each run (label, wall s, user s, system s,
# peak KiB) and the medians. Corpora and outputs: target/bench (compare.py's).
set -eu
N=$1 A=$2 B=$3 RUNS=${4:-3}
WORK=target/bench
CORPUS=$WORK/corpus/dossier-$N HUGO=$WORK/corpus/hugo-$N
OUT=$WORK/out/dossier-$N HOUT=$WORK/out/hugo-$N
[ -d "$CORPUS" ] && [ -d "$HUGO" ] || { echo "run python3 bench/compare.py -n $N first" >&2; exit 2; }
TIMES=$(mktemp)
run() { sync; /usr/bin/time -f "$1 %e %U %S %M" "${@:2}" 2>> "$TIMES" > /dev/null; }
"$A" build "$CORPUS" -o "$OUT" -q
"$B" build "$CORPUS" -o "$OUT" -q
for _ in $(seq "$RUNS"); do
  run A "$A" build "$CORPUS" -o "$OUT" -q
  run B "$B" build "$CORPUS" -o "$OUT" -q
  run hugo hugo --quiet -s "$HUGO" -d "$(realpath "$HOUT")"
done
cat "$TIMES"
python3 - "$TIMES" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, wall, user, system, rss = line.split()
    runs.setdefault(label, []).append((float(wall), float(user) + float(system), int(rss) / 1024))
for label, r in runs.items():
    print(f"{label}: wall {statistics.median(x[0] for x in r):.2f} s, CPU {statistics.median(x[1] for x in r):.2f} s, "
          f"peak {statistics.median(x[2] for x in r):,.0f} MiB")
PY
rm -f "$TIMES"
