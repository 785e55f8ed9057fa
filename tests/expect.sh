# expect.sh — the checks the shell tests share (sourced, not run): a tally
# of passes and failures, and the three ways a run of mmsim is judged.
# The sourcing script sets MMSIM (the binary) and NAME (its summary's
# name) first; it ends with `finish`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
# Each run is bounded: an input that once hung mmsim must not hang the suite.
EXPECT_TIMEOUT=${EXPECT_TIMEOUT:-120}

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

# A file's first 2000 bytes: a message that repeats a huge token stays readable.
excerpt() { head -c 2000 "$1"; }

run_mmsim() {
	timeout "$EXPECT_TIMEOUT" "$MMSIM" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
}

# expect_ok NAME PATTERN -- ARGS...: exit 0 and stdout contains PATTERN.
expect_ok() {
	local name=$1 pattern=$2; shift 3
	local rc
	run_mmsim "$@"; rc=$?
	if [ $rc -ne 0 ]; then fail "$name: exit $rc: $(excerpt "$tmp/err")"; return; fi
	if ! grep -qF -- "$pattern" "$tmp/out"; then fail "$name: no '$pattern' in: $(tail -n 5 "$tmp/out")"; return; fi
	ok
}

# expect_out NAME PATTERN -- ARGS...: as expect_ok, and nothing on stderr.
expect_out() {
	local name=$1 failed_before=$failed
	expect_ok "$@"
	[ "$failed" -eq "$failed_before" ] || return 0
	if [ -s "$tmp/err" ]; then passed=$((passed - 1)); fail "$name: stderr: $(excerpt "$tmp/err")"; fi
}

# expect_err NAME MESSAGE -- ARGS...: exit 2, exactly one stderr line, containing MESSAGE.
expect_err() {
	local name=$1 message=$2; shift 3
	local rc lines
	run_mmsim "$@"; rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ $rc -ne 2 ]; then fail "$name: exit $rc, expected 2 ($(excerpt "$tmp/err"))"; return; fi
	if [ "$lines" -ne 1 ]; then fail "$name: $lines stderr lines, expected 1: $(excerpt "$tmp/err")"; return; fi
	if ! grep -qF -- "$message" "$tmp/err"; then fail "$name: stderr '$(excerpt "$tmp/err")' lacks '$message'"; return; fi
	ok
}

# The summary line; the status says whether everything passed.
finish() {
	echo "$NAME: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
