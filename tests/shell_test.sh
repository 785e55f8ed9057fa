#!/usr/bin/env bash
# shell_test.sh — the interactive shell as a person at a terminal meets it,
# driven through a real pty with tmux: the prompt, Tab completion of
# commands, /proc paths (a directory at a time), sysctl keys and names,
# Up for the last line, an error that leaves the shell running, Ctrl-D,
# and the history file. Usage: shell_test.sh PATH/TO/mmsim
set -u
MMSIM=${1:?usage: shell_test.sh PATH/TO/mmsim}
command -v tmux >/dev/null || { echo "shell_test: tmux is missing (tools/install-deps installs it)" >&2; exit 1; }
tmp=$(mktemp -d)
sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

screen() { tmux -S "$sock" capture-pane -t t -p; }
# wait_for TEXT: until the screen shows TEXT (5 s at most).
wait_for() {
	for _ in $(seq 50); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# expect NAME TEXT: the screen shows TEXT.
expect() {
	if wait_for "$2"; then ok; else fail "$1: no '$2' on the screen:"; screen | sed 's/^/    | /' >&2; fi
}
keys() { tmux -S "$sock" send-keys -t t "$@"; }

cat >"$tmp/run" <<EOF
#!/bin/sh
HOME='$tmp' '$MMSIM' --mem 256M
echo "exit status \$?" >'$tmp/status'
EOF
chmod +x "$tmp/run"
tmux -S "$sock" new-session -d -s t -x 150 -y 40 "$tmp/run; sleep 30"

expect banner "'help' lists the commands"
expect prompt "mmsim>"
keys 'cat /proc/zo' Tab
expect complete-path "mmsim> cat /proc/zoneinfo"
keys '| head -n 1' Enter
expect ran-it "Node 0, zone      DMA"
keys 'kmal' Tab
expect complete-command "mmsim> kmalloc"
keys 'p 64' Enter
keys 'kshow ' Tab Enter
expect complete-command-and-name ", kmalloc-64, ksize 64"
keys 'alloc_pages blk GFP_KERNEL 0' Enter
keys 'show b' Tab
expect complete-name "mmsim> show blk"
keys Enter
expect show-ran "blk: order 0"
keys 'sysctl vm.min_f' Tab
expect complete-sysctl "mmsim> sysctl vm.min_free_kbytes"
keys Enter
expect sysctl-ran "vm.min_free_kbytes = "
keys 'ls /proc/sys/v' Tab
expect complete-dir "mmsim> ls /proc/sys/vm/"
keys C-u 'alloc_pages x GFP_KERNEL|__GFP_Z' Tab
expect complete-gfp "mmsim> alloc_pages x GFP_KERNEL|__GFP_ZERO"
keys C-u Up
expect history-up "mmsim> sysctl vm.min_free_kbytes"
keys C-u 'frob' Enter
expect error "unknown command 'frob'"
keys 'echo still here' Enter
expect alive "still here"
keys C-d
for _ in $(seq 50); do [ -s "$tmp/status" ] && break; sleep 0.1; done
if grep -q "exit status 0" "$tmp/status" 2>/dev/null; then ok; else fail "Ctrl-D: $(cat "$tmp/status" 2>/dev/null || echo 'the shell did not end')"; fi
if grep -q 'sysctl' "$tmp/.mmsim_history" 2>/dev/null; then ok; else fail "no history file"; fi

echo "shell_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
