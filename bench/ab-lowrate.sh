#!/usr/bin/env bash
# Two builds side by side at 2,000 events/s: both dashboards (200x50, in tmux) or both `snapshot`s on one
# redis-server and one firehose, so that they see the same events in the same seconds and the VM's speed
# (which varies by 40% within an hour here) cancels out. Prints the CPU per event of each (schedstat of all
# threads) and the difference. Stops only what it started.
# usage: bench/ab-lowrate.sh BATCH SECONDS BIN_A BIN_B [dash|snap]
#   e.g. bench/ab-lowrate.sh 1-3 12 ../base/.build/release/retrytop .build/release/retrytop
set -u
BATCH=$1; SECS=$2; A=$3; B=$4; MODE=${5:-dash}
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
RPID=$!
sleep 0.5
U=redis://127.0.0.1:$PORT/0
start() { # name bin
  if [ $MODE = dash ]; then
    tmux kill-session -t ab$1 2>/dev/null
    tmux new-session -d -s ab$1 -x 200 -y 50 "exec $2 --broker $U --no-backfill --no-journal 2>/dev/null"
  else
    $2 snapshot --broker $U --no-backfill --no-tracebacks --for 3600 >/dev/null 2>&1 &
  fi
}
start A $A; [ $MODE = snap ] && PA=$!
start B $B; [ $MODE = snap ] && PB=$!
sleep 2
if [ $MODE = dash ]; then
  pa=$(tmux list-panes -t abA -F "#{pane_pid}"); c=$(pgrep -P $pa | head -1); PA=${c:-$pa}
  pb=$(tmux list-panes -t abB -F "#{pane_pid}"); c=$(pgrep -P $pb | head -1); PB=${c:-$pb}
fi
tot() { local s=0; for t in /proc/$1/task/*; do s=$((s + $(awk '{print $1}' $t/schedstat))); done; echo $s; }
$B firehose --broker $U --rate 2000 --batch $BATCH --events $((2000*(SECS+3))) --tasks $((200*(SECS+3))) --workers 8 --seed 1 --json >/dev/null 2>&1 &
FPID=$!
sleep 1.5
a0=$(tot $PA); b0=$(tot $PB)
sleep $SECS
a1=$(tot $PA); b1=$(tot $PB)
wait $FPID
awk -v a=$((a1-a0)) -v b=$((b1-b0)) -v n=$((2000*SECS)) 'BEGIN{printf "A %.2f  B %.2f us/ev  (B-A %.2f)\n", a/1000/n, b/1000/n, (b-a)/1000/n}'
if [ $MODE = dash ]; then tmux kill-session -t abA; tmux kill-session -t abB; else kill $PA $PB; fi
kill $RPID
