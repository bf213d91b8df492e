#!/usr/bin/env bash
# `kith log --mbox` of N synthetic messages (bench/gen_mbox.py) into a store of P synthetic
# people (bench/gen_people.py), each run on a fresh copy of the store. Prints a Markdown table.
# Usage: bench/log.sh [N messages, default 10000] [P people, default 100000] [RUNS, default 3]
set -euo pipefail

N=${1:-10000}
P=${2:-100000}
RUNS=${3:-3}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')
(cd "$ROOT" && cargo build --release)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
KITH=$DIR/kith
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/kith" "$KITH"
export XDG_CONFIG_HOME=$DIR/config XDG_DATA_HOME=$DIR/data HOME=$DIR/home
unset KITH_DB KITH_CONFIG KITH_NOW
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$HOME"
printf '[mail]\nfrom = "me@bench.example"\n' >"$DIR/kith.toml"

python3 "$BENCH/gen_people.py" "$P" "$DIR" --no-vdir >/dev/null
python3 "$BENCH/gen_mbox.py" "$DIR/people.csv" "$N" "$DIR/mail.mbox"
"$KITH" --db "$DIR/base.db" import "$DIR/people.csv" >/dev/null

times=()
for _ in $(seq "$RUNS"); do
    rm -f "$DIR"/run.db*
    "$KITH" --db "$DIR/base.db" backup "$DIR/run.db" >/dev/null
    start=$(date +%s%N)
    "$KITH" --db "$DIR/run.db" --config "$DIR/kith.toml" log --mbox "$DIR/mail.mbox" >"$DIR/said"
    end=$(date +%s%N)
    times+=("$(awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e9 }')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
size=$(du -m "$DIR/mail.mbox" | cut -f1)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "$N messages (${size} MB mbox) into $P people; runs: ${times[*]} s"
echo "Machine: $(nproc) cores, $(uname -m), ${cpu:-unknown CPU}; $(date -u '+%Y-%m-%d %H:%M UTC'); kith $REV"
echo "kith said: $(cat "$DIR/said")"
echo
echo "| what | seconds (median of $RUNS) |"
echo "|---|---|"
echo "| \`kith log --mbox\` of $N messages into $P people | $median |"
