# Helpers for the end-to-end scripts (POSIX sh, sourced). Each check prints
# "ok N - what" or "not ok N - what" with the difference; tests/run.sh counts.
set -u
LC_ALL=C
export LC_ALL
: "${BIN:=bin}"
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
FIX=$(pwd)/tests/fixtures
SEEDS=$(pwd)/samples
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slant-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "skip $n - $1"; }

# check WHAT EXPECTED ACTUAL: equal strings
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		notok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}
# check_rc WHAT EXPECTED_RC CMD...: run CMD (stdout/stderr to $TMP/out, $TMP/err)
check_rc() {
	what=$1 want=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$what"; else
		notok "$what (exit $got, wanted $want)"; head -c 2000 "$TMP/err" | sed 's/^/  /'; fi
}
# check_grep WHAT PATTERN FILE: FILE has a line matching PATTERN (grep -E)
check_grep() {
	if grep -Eq -- "$2" "$3"; then ok "$1"; else
		notok "$1"; echo "  no line matching /$2/ in:"; head -c 2000 "$3" | sed 's/^/  /'; fi
}
# check_diff WHAT EXPECTED_FILE ACTUAL_FILE
check_diff() {
	if diff -u "$2" "$3" >"$TMP/diff"; then ok "$1"; else
		notok "$1"; head -50 "$TMP/diff" | sed 's/^/  /'; fi
}
