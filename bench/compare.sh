#!/usr/bin/env bash
# kith beside its peers (abook, khard, the sqlite3 CLI and a plain Python importer) on the same
# synthetic people: the proof of the speed goals. Prints a Markdown table to paste into README.md.
# Usage: bench/compare.sh [N people, default 100000] [RUNS per pair, default 9]
# khard takes about a minute per call at 100,000 people: its pairs run KHARD_RUNS times (default
# 1, after pair.py's warm-up run).
# Every store and config lives in a temporary folder, removed on exit.
set -euo pipefail

N=${1:-100000}
RUNS=${2:-9}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")

# Peers: installed only when missing.
missing=()
for tool in abook khard; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y "${missing[@]}"
fi

# The revision measured, taken before the build so that later commits do not change what it says.
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')
(cd "$ROOT" && cargo build --release)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
# A copy of the binary just built, so a rebuild during the run does not change what is measured.
KITH=$DIR/kith
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/kith" "$KITH"
# Keep the user's own configs (kith's, khard's, abook's) out of the measurement.
export XDG_CONFIG_HOME=$DIR/config XDG_DATA_HOME=$DIR/data HOME=$DIR/home
unset KITH_DB KITH_CONFIG
mkdir -p "$XDG_CONFIG_HOME/khard" "$XDG_DATA_HOME" "$HOME"

python3 "$BENCH/gen_people.py" "$N" "$DIR"

# Wall seconds of one run of a command (output dropped).
secs() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e9 }'
}
imp_csv=$(secs "$KITH" --db "$DIR/kith.db" import "$DIR/people.csv")
imp_vcf=$(secs "$KITH" --db "$DIR/kv.db" import "$DIR/people.vcf")
imp_ref=$(secs python3 "$BENCH/ref_import.py" "$DIR/ref.db" "$DIR/people.csv")

KHARD_CONF=$XDG_CONFIG_HOME/khard/khard.conf
cat >"$KHARD_CONF" <<EOF
[addressbooks]
[[people]]
path = $DIR/vdir

[general]
default_action = list
EOF
ABOOKRC=$DIR/abookrc
: >"$ABOOKRC"

kith=("$KITH" --db "$DIR/kith.db")
abook=(abook -C "$ABOOKRC" --datafile "$DIR/abook.addressbook" --mutt-query)
# `khard email --parsable` prints "address<TAB>name<TAB>type" lines without asking anything.
khard=(khard -c "$KHARD_CONF" email --parsable)

# Check that every tool reads all the people and finds the same ones before timing anything.
# (Each prints a header line; the matches are the lines holding an address.)
hits() { { "$@" 2>/dev/null || true; } | grep -c '@' || true; }
all_khard=$(khard -c "$KHARD_CONF" list | grep -c '@' || true)
h_kith=$(hits "${kith[@]}" query hopper)
h_abook=$(hits "${abook[@]}" hopper)
h_khard=$(hits "${khard[@]}" hopper)
echo "khard lists $all_khard of $N people; 'hopper' matches: kith $h_kith, abook $h_abook, khard $h_khard" >&2
if [[ $all_khard -ne $N || $h_kith -eq 0 || $h_kith -ne $h_abook || $h_kith -ne $h_khard ]]; then
    echo "compare.sh: the tools do not see the same people; not measuring" >&2
    exit 1
fi

rows=()
# One table row: WHAT PEER-NAME -- KITH-CMD... -- PEER-CMD...  (pair.py prints "ms_a ms_b a/b").
# pair.py ignores exit codes, so the no-match queries (kith and abook exit 1, khard 1) are timed
# as they are, with no wrapper.
pair() {
    local what=$1 peer=$2 runs=$RUNS out a b r
    shift 2
    [[ $peer == khard ]] && runs=${KHARD_RUNS:-1}
    out=$(python3 "$BENCH/pair.py" "$runs" "$@")
    read -r a b r <<<"$out"
    rows+=("| $what | $a | $peer | $b | $r |")
}
pair '`kith query hopper`' abook -- "${kith[@]}" query hopper -- "${abook[@]}" hopper
pair '`kith query hopper`' khard -- "${kith[@]}" query hopper -- "${khard[@]}" hopper
pair '`kith query zzqq` (no match)' abook -- "${kith[@]}" query zzqq -- "${abook[@]}" zzqq
pair '`kith query zzqq` (no match)' khard -- "${kith[@]}" query zzqq -- "${khard[@]}" zzqq
pair '`kith contacts --title cto --format json`' '`kith titles`' \
    -- "${kith[@]}" contacts --title cto --format json -- "${kith[@]}" titles
if command -v sqlite3 >/dev/null; then
    # The same rows as kith's fuzzy "cto" (CTO and Chief Technology Officer; a plain LIKE '%cto%'
    # would find "IT Director" and miss the long form), joined to the parent, as JSON; no ranking
    # and no emails/phones/tags lists, so it is a floor rather than an equal.
    sql="SELECT c.*, p.name AS parent FROM contacts c JOIN parents p ON p.id = c.parent_id
         WHERE c.title = 'CTO' COLLATE NOCASE OR c.title LIKE '%Chief Technology Officer%'"
    pair '`kith contacts --title cto --format json`' 'sqlite3 -json join' \
        -- "${kith[@]}" contacts --title cto --format json -- sqlite3 -json "$DIR/kith.db" "$sql"
fi

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "$N people, $RUNS alternating runs per pair (khard: ${KHARD_RUNS:-1}) (median ms; ratio = median of kith/peer per pair)"
echo "Machine: $(nproc) cores, $(uname -m), ${cpu:-unknown CPU}; $(date -u '+%Y-%m-%d %H:%M UTC'); kith $REV"
echo
echo "| what | kith ms | peer | peer ms | ratio kith/peer |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "| import of $N people | seconds |"
echo "|---|---|"
echo "| \`kith import people.csv\` | $imp_csv |"
echo "| \`kith import people.vcf\` | $imp_vcf |"
echo "| reference Python importer (\`ref_import.py\`) | $imp_ref |"
