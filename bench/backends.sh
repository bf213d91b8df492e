#!/usr/bin/env bash
# The same kith commands on the two stores, side by side in one run: N synthetic people
# (gen_people.py) imported into an SQLite file and into a PostgreSQL database of a throwaway
# cluster on a Unix socket (Debian's postgresql, run as the `postgres` user when run as root),
# then reads timed in alternating runs (pair.py: medians of wall ms, and of the ratios SQLite /
# PostgreSQL), then a whole store moved each way. Prints a Markdown table for README.md.
# Usage: bench/backends.sh [N people, default 100000] [RUNS per pair, default 9]
set -euo pipefail

N=${1:-100000}
RUNS=${2:-9}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')
(cd "$ROOT" && cargo build --release)
DIR=$(mktemp -d)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
AS=()
if [[ $(id -u) == 0 ]]; then
    chown postgres "$DIR"
    AS=(runuser -u postgres --)
fi
stop() {
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT
KITH=$DIR/kith
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/kith" "$KITH"
chmod 755 "$KITH"
export XDG_CONFIG_HOME=$DIR/config XDG_DATA_HOME=$DIR/data HOME=$DIR/home
unset KITH_DB KITH_CONFIG PGPASSWORD
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$HOME"

# The server as a team would run it: durable commits (fsync on), on this machine's disk.
"${AS[@]}" "$PGBIN/initdb" -D "$DIR/pg" -A trust -U postgres --locale=C.UTF-8 -E UTF8 >/dev/null
mkdir -p "$DIR/sock" && [[ ${#AS[@]} == 0 ]] || chown postgres "$DIR/sock"
"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w \
    -o "-k $DIR/sock -c listen_addresses=''" start >/dev/null
psql() { "$PGBIN/psql" -h "$DIR/sock" -U postgres -qAt "$@"; }
psql -c "CREATE ROLE kith LOGIN" -c "CREATE DATABASE crm OWNER kith" -c "CREATE DATABASE moved OWNER kith"
SOCK=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$DIR/sock")
PG="postgres://kith@$SOCK/crm"
SQ=$DIR/kith.db

python3 "$BENCH/gen_people.py" "$N" "$DIR" >/dev/null
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
import_sqlite=$(ms "$KITH" --db "$SQ" import "$DIR/people.csv")
import_pg=$(ms "$KITH" --db "$PG" import "$DIR/people.csv")
people=$("$KITH" --db "$PG" contacts --format csv | tail -n +2 | wc -l)

row() {
    local what=$1; shift
    read -r a b r < <(python3 "$BENCH/pair.py" "$RUNS" -- "$KITH" --db "$SQ" "$@" -- "$KITH" --db "$PG" "$@")
    echo "| $what | $a | $b | $r |"
}
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "$N people ($people in each store), $RUNS alternating runs (median ms); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on a Unix socket"
echo "Machine: $(nproc) cores, $(uname -m), ${cpu:-unknown CPU}; $(date -u '+%Y-%m-%d %H:%M UTC'); kith $REV"
echo
echo "| command | SQLite ms | PostgreSQL ms | ratio |"
echo "|---|---|---|---|"
echo "| \`kith import people.csv\` (one run each) | $import_sqlite | $import_pg | $(python3 -c "print(f'{$import_sqlite / $import_pg:.3f}')") |"
row '`kith query wright` (mutt, aerc)' query wright
row '`kith contacts --where "title:cto"`' contacts --where "title:cto"
row '`kith due`' due
row '`kith pipeline`' pipeline
row '`kith dupes`' dupes
moved_in=$(ms "$KITH" --db "postgres://kith@$SOCK/moved" import-store "$SQ")
backed_up=$(ms "$KITH" --db "$PG" backup "$DIR/backup.db")
echo
echo "Moving the whole store: \`import-store\` of the SQLite file into an empty database $moved_in ms; \`backup\` of the PostgreSQL store to a kith SQLite file $backed_up ms (one run each)."
