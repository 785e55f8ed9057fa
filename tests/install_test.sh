#!/usr/bin/env bash
# install_test.sh — the library as someone who installs it meets it:
# `cmake --install` into a fresh prefix, then the README's library example,
# exactly as written there, built against the installed tree only (no
# source directory on the include path) through pkg-config, as C and as
# C++, against the shared and the static library, and through CMake's
# find_package(mmsim); every public header alone as C and C++; the shared
# library exporting exactly the functions the headers declare; the man page.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
SRC=${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }
check() { local name=$1; shift; if "$@" >"$tmp/log" 2>&1; then ok; else fail "$name: $*"; sed 's/^/    /' "$tmp/log" | head -30 >&2; fi; }

P="$tmp/prefix"
check install cmake --install "$BUILD" --prefix "$P"
for f in bin/mmsim include/mmsim/mmsim.h lib/libmmsim.a lib/libmmsim.so lib/pkgconfig/mmsim.pc \
	 lib/cmake/mmsim/mmsimConfig.cmake lib/cmake/mmsim/mmsimConfigVersion.cmake \
	 share/man/man1/mmsim.1; do
	[ -e "$P/$f" ] && ok || fail "not installed: $f"
done
check installed-command "$P/bin/mmsim" -e 'verify'

# The README's example, cut out of the README as it stands.
awk '/^<!-- library example/ { want = 1; next }
     want && /^```c$/ { on = 1; next }
     on && /^```$/ { exit }
     on { print }' "$SRC/README.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] && ok || fail "no library example in README.md"
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
cflags=$(pkg-config --cflags mmsim) libs=$(pkg-config --libs mmsim)
[ "$(pkg-config --modversion mmsim)" = "$("$P/bin/mmsim" --version | cut -d' ' -f2)" ] && ok ||
	fail "mmsim.pc's version is not mmsim --version's"
run_example() {	# NAME BINARY: it runs and prints the allocator's state
	local out
	if ! out=$(LD_LIBRARY_PATH="$P/lib" "$2" 2>&1); then fail "$1: the example failed: $out"; return; fi
	if grep -q "^pages at pfn 0x[0-9a-f]*, object at 0xc[0-9a-f]*, 64 bytes usable" <<<"$out" &&
	   grep -q "^Node 0, zone   Normal" <<<"$out"; then ok; else fail "$1: unexpected output: $out"; fi
}
check c-build cc -std=c11 -Wall -Wextra -Werror $cflags "$tmp/example.c" -o "$tmp/ex-c" $libs
run_example c "$tmp/ex-c"
check cxx-build c++ -x c++ -Wall -Wextra -Werror -pedantic $cflags "$tmp/example.c" -o "$tmp/ex-cxx" $libs
run_example c++ "$tmp/ex-cxx"
check static-build cc -std=c11 -Wall -Wextra -Werror $cflags "$tmp/example.c" -o "$tmp/ex-static" \
	"$P/lib/libmmsim.a" $(pkg-config --static --libs-only-l mmsim | sed 's/-lmmsim//')
run_example static "$tmp/ex-static"

# find_package(mmsim)
mkdir -p "$tmp/cm"
cp "$tmp/example.c" "$tmp/cm/example.c"
cat >"$tmp/cm/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(uses_mmsim C)
find_package(mmsim 0.2 REQUIRED)
add_executable(example example.c)
target_link_libraries(example PRIVATE mmsim::mmsim)
EOF
check cmake-configure cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$P"
check cmake-build cmake --build "$tmp/cm/build"
run_example find_package "$tmp/cm/build/example"

# Every header stands alone, in C and in C++.
for h in "$P"/include/mmsim/*.h; do
	printf '#include <mmsim/%s>\n' "$(basename "$h")" >"$tmp/one.c"
	check "C $(basename "$h")" cc -std=c11 -Wall -Wextra -Werror -I"$P/include" -c "$tmp/one.c" -o /dev/null
	check "C++ $(basename "$h")" c++ -x c++ -Wall -Wextra -Werror -pedantic -I"$P/include" -c "$tmp/one.c" -o /dev/null
done

# The shared library exports what the headers declare MMSIM_API, and nothing else.
sed -n 's/^MMSIM_API .*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' "$P"/include/mmsim/*.h | sort -u >"$tmp/declared"
nm -D --defined-only "$P/lib/libmmsim.so" | awk '$2 ~ /^[TDB]$/ { print $3 }' | sort -u >"$tmp/exported"
if cmp -s "$tmp/declared" "$tmp/exported"; then ok; else
	fail "exports differ from the headers' MMSIM_API declarations:"; diff "$tmp/declared" "$tmp/exported" | head -20 >&2
fi

# The man page renders and documents the commands.
if command -v man >/dev/null; then
	if MANWIDTH=100 man -l "$P/share/man/man1/mmsim.1" 2>/dev/null | grep -q "alloc_pages NAME GFP ORDER"; then
		ok; else fail "man -l mmsim.1 does not show the commands"; fi
fi

echo "install_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
