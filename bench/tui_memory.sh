#!/usr/bin/env bash
# The TUI's resident memory and the CPU time each step takes, measured on the real release
# binary in a real terminal (tmux): VmRSS from /proc of the kith process itself, and its user +
# system CPU ticks around each step, each step waited for by what it puts on the screen.
# Usage: bench/tui_memory.sh [N contacts, default 100000]
set -euo pipefail

N=${1:-100000}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
(cd "$ROOT" && cargo build --release)
DIR=$(mktemp -d)
SESSION=kith-memory-$$
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$DIR"' EXIT
KITH=$DIR/kith
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/kith" "$KITH"
mkdir -p "$DIR/home"
HOME=$DIR/home "$KITH" --db "$DIR/kith.db" demo --contacts "$N" >/dev/null

tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "HOME=$DIR/home exec $KITH --db $DIR/kith.db"
screen() { tmux capture-pane -p -t "$SESSION"; }
wait_for() {
    until screen | grep -qF -- "$1"; do sleep 0.02; done
}
wait_for "All "
PID=$(tmux display -p -t "$SESSION" '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
hz=$(getconf CLK_TCK)
# The TUI hands freed memory back once idle for a tick (250 ms), and reads last contacts on a
# worker thread after the People list opens: read after both.
rss() { sleep 1.5; awk '/^VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$PID/status"; }
step() {
    local label=$1 keys=$2 shows=$3 before after
    before=$(ticks)
    tmux send-keys -t "$SESSION" -l -- "$keys"
    wait_for "$shows"
    after=$(ticks)
    printf '| %s | %s ms | %s |\n' "$label" "$(( (after - before) * 1000 / hz ))" "$(rss)"
}

echo "| step ($N contacts) | CPU | resident (VmRSS) |"
echo "|---|---|---|"
printf '| open | | %s |\n' "$(rss)"
step "People list (P)" "P" "People $N"
step "its / filter, first keystroke (texts read)" "/w" "/w▏"
step "next keystroke" "r" "/wr▏"
tmux send-keys -t "$SESSION" Escape
sleep 0.3
tmux send-keys -t "$SESSION" Escape
wait_for "All "
step "find by title (t), then engineer" "tengineer" "Title: engineer"
tmux send-keys -t "$SESSION" Escape
wait_for "All "
step "find everything (f), then wright" "fwright" "Find: wright"
