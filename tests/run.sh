#!/bin/sh
# Run every test: the end-to-end scripts in tests/e2e, then the cmocka unit
# tests given as arguments; print one closing line "N passed, N failed".
# BIN names the directory of the programs under test.
set -u
LC_ALL=C
export LC_ALL
: "${BIN:=bin}"
export BIN
top=$(cd "$(dirname "$0")/.." && pwd)
export SLANT_TOP="$top"
pass=0 fail=0 skip=0
failed=""

for t in "$top"/tests/e2e/[0-9]*.sh; do
	[ -f "$t" ] || continue
	out=$(cd "$top" && sh "$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	s=$(printf '%s\n' "$out" | grep -c '^skip ')
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
		[ "$f" -eq 0 ] && fail=$((fail + 1))
		failed="$failed $(basename "$t")"
		printf '%s\n' "$out" | grep -v '^ok ' | sed "s|^|  $(basename "$t"): |"
	fi
	printf 'e2e %-40s %d ok, %d failed, %d skipped\n' "$(basename "$t")" "$p" "$f" "$s"
done

for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	pass=$((pass + p)) fail=$((fail + f))
	if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ]; then
		[ "$f" -eq 0 ] && fail=$((fail + 1))
		failed="$failed $(basename "$t")"
		printf '%s\n' "$out"
	fi
	printf 'unit %-39s %d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
done

[ -n "$failed" ] && echo "failing:$failed"
if [ "$skip" -gt 0 ]; then
	echo "tests: $pass passed, $fail failed, $skip skipped"
else
	echo "tests: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
