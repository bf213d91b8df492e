#!/usr/bin/env bash
# `kith dupes` at N people (the synthetic people of gen_people.py, imported with kith), beside
# the sqlite3 CLI doing only the cheapest part of the same work (people sharing an address or a
# phone, grouped in SQL): a floor, not an equal. Prints a Markdown table for README.md.
# Usage: bench/dupes.sh [N people, default 100000] [RUNS per pair, default 9]
set -euo pipefail

N=${1:-100000}
RUNS=${2:-9}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
# The revision measured, taken before the build so that later commits do not change what it says.
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')
(cd "$ROOT" && cargo build --release)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
KITH=$DIR/kith
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/kith" "$KITH"
export XDG_CONFIG_HOME=$DIR/config XDG_DATA_HOME=$DIR/data HOME=$DIR/home
unset KITH_DB KITH_CONFIG
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$HOME"

python3 "$BENCH/gen_people.py" "$N" "$DIR" >/dev/null
"$KITH" --db "$DIR/kith.db" import "$DIR/people.csv" >/dev/null
groups=$("$KITH" --db "$DIR/kith.db" dupes --format json | grep -c '"kind"')
sql="SELECT lower(address), group_concat(contact_id) FROM contact_emails
      GROUP BY 1 HAVING count(DISTINCT contact_id) > 1
     UNION ALL
     SELECT e164, group_concat(contact_id) FROM contact_phones WHERE e164 IS NOT NULL
      GROUP BY 1 HAVING count(DISTINCT contact_id) > 1"
out=$(python3 "$BENCH/pair.py" "$RUNS" -- "$KITH" --db "$DIR/kith.db" dupes \
    -- sqlite3 "$DIR/kith.db" "$sql")
read -r a b r <<<"$out"
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "$N people, $RUNS alternating runs (median ms); $groups groups found"
echo "Machine: $(nproc) cores, $(uname -m), ${cpu:-unknown CPU}; $(date -u '+%Y-%m-%d %H:%M UTC'); kith $REV"
echo
echo "| what | kith ms | floor | floor ms | ratio |"
echo "|---|---|---|---|---|"
echo "| \`kith dupes\` (all five rules, people and companies) | $a | sqlite3: shared emails and phones only | $b | $r |"
