#!/bin/sh
# slant: the driver. Subcommands, the chain end to end, failures reported by stage.
. tests/e2e/lib.sh

SLANT=$BIN/slant
q() { sqlite3 -batch "$1" "$2"; }
# Our own config, so the project's pipeline.conf can change without breaking this.
printf '[pipeline]\nstages = ingest store\ndb = default.db\n' >"$TMP/chain.conf"
SLANT_CONFIG=$TMP/chain.conf
export SLANT_CONFIG

# ====== Usage ======
check_rc "--help" 0 "$SLANT" --help
check_grep "--help lists run" "^  run " "$TMP/out"
check_rc "--version" 0 "$SLANT" --version
check_grep "--version" "^slant \(slant\) [0-9]" "$TMP/out"
check_rc "help run" 0 "$SLANT" help run
check_grep "help run shows its usage" "^usage: slant run " "$TMP/out"
check_rc "run --help" 0 "$SLANT" run --help
check_rc "help for no such command" 2 "$SLANT" help frobnicate
check_rc "unknown command" 2 "$SLANT" frobnicate
check_grep "says which" "unknown command 'frobnicate'" "$TMP/err"
check_rc "no command" 2 "$SLANT"
check_rc "run without input" 2 "$SLANT" run --db "$TMP/x.db"
check_grep "says what is missing" "no input given" "$TMP/err"
check_rc "run with a bad flag" 2 "$SLANT" run --frob samples/

# ====== The chain end to end ======
if [ -x "$BIN/slant-segment" ]; then
	check_rc "slant run samples/ (pipeline.conf's chain)" 0 "$SLANT" run --config pipeline.conf --db "$TMP/x.db" "$SEEDS"
	check "five articles" "5" "$(q "$TMP/x.db" 'SELECT count(*) FROM articles')"
	check "every article segmented (its headline)" "5" \
		"$(q "$TMP/x.db" "SELECT count(DISTINCT article_id) FROM annotations WHERE stage = 'segment' AND label = 'headline'")"
	check "no errors" "0" "$(q "$TMP/x.db" 'SELECT count(*) FROM errors')"
	check "run recorded with the config's hash" "$(sha256sum pipeline.conf | cut -d' ' -f1)" \
		"$(q "$TMP/x.db" 'SELECT config_hash FROM runs')"
else
	skip "slant run over the full chain: slant-segment not built yet"
fi
CHAIN="ingest store"
check_rc "database from the config (\$SLANT_CONFIG), in the working directory" 0 \
	sh -c "cd '$TMP' && '$SLANT' run '$SEEDS'"
check "five articles" "5" "$(q "$TMP/default.db" 'SELECT count(*) FROM articles')"
check_rc "run --stages '$CHAIN'" 0 "$SLANT" run --stages "$CHAIN" --db "$TMP/y.db" "$SEEDS"
check "five articles" "5" "$(q "$TMP/y.db" 'SELECT count(*) FROM articles')"
check_rc "again: upsert" 0 "$SLANT" run --stages "$CHAIN" --db "$TMP/y.db" "$SEEDS" "$SEEDS"
check "still five" "5|2" "$(q "$TMP/y.db" 'SELECT count(*), (SELECT count(*) FROM runs) FROM articles')"
check_rc "stages as a comma list from standard input" 0 sh -c \
	"cat '$SEEDS'/000_*.txt | '$SLANT' run --stages ingest,store --db '$TMP/z.db' -"
check "one article" "1" "$(q "$TMP/z.db" 'SELECT count(*) FROM articles')"
check_rc "without a sink the stream goes to standard output" 0 "$SLANT" run --stages ingest "$SEEDS"
check "five records out" "5" "$(wc -l <"$TMP/out" | tr -d ' ')"

# The config names the database and the chain; the database, an output, is
# relative to the working directory.
mkdir "$TMP/conf" "$TMP/wd"
printf '[pipeline]\nstages = ingest store\ndb = out.db\n' >"$TMP/conf/p.conf"
check_rc "--config names chain and database" 0 sh -c "cd '$TMP/wd' && '$SLANT' run --config '$TMP/conf/p.conf' '$SEEDS'"
check "database in the working directory" "5" "$(q "$TMP/wd/out.db" 'SELECT count(*) FROM articles')"

# ====== Bad chains: nothing runs, exit 2 ======
printf '[pipeline]\nstages = ingest frobnicate store\n' >"$TMP/bad.conf"
check_rc "unknown stage in the config" 2 "$SLANT" run --config "$TMP/bad.conf" --db "$TMP/b.db" "$SEEDS"
check_grep "named with the config's file and line" \
	"^slant: $TMP/bad.conf:2: unknown stage 'frobnicate' \(known stages: .*ingest" "$TMP/err"
check "no database created" "no" "$([ -e "$TMP/b.db" ] && echo yes || echo no)"
check_rc "unknown stage in --stages" 2 "$SLANT" run --stages "ingest nope" "$SEEDS"
check_grep "named" "^slant: --stages: unknown stage 'nope'" "$TMP/err"
check_rc "a sink that is not last" 2 "$SLANT" run --stages "ingest store store2" "$SEEDS"
check_rc "a filter first" 2 "$SLANT" run --stages "store" "$SEEDS"
check_grep "says the first must read input" "first stage must read input" "$TMP/err"
check_rc "a stage twice" 2 "$SLANT" run --stages "ingest store store" "$SEEDS"
printf '[pipeline]\nstages = ingest\n[nosuch]\n' >"$TMP/bad2.conf"
check_rc "a bad config" 2 "$SLANT" run --config "$TMP/bad2.conf" "$SEEDS"
check_grep "reported with file:line" "bad2.conf:3: unknown section" "$TMP/err"
# A driver without its stage programs beside it: --pipe needs them, fused does not.
mkdir "$TMP/lonely"
cp "$SLANT" "$TMP/lonely/slant"
check_rc "stage program missing" 2 "$TMP/lonely/slant" run --pipe --stages "$CHAIN" "$SEEDS"
check_grep "names the program" "stage 'ingest': cannot run '$TMP/lonely/slant-ingest'" "$TMP/err"
check_rc "fused, the driver alone runs the chain" 0 "$TMP/lonely/slant" run --stages "$CHAIN" \
	--db "$TMP/lonely.db" "$SEEDS"
check "five articles" "5" "$(q "$TMP/lonely.db" 'SELECT count(*) FROM articles')"

# ====== A stage fails: reported by name and status, fused and as programs ======
mkdir "$TMP/db-is-dir"
for mode in --fused --pipe; do
	rm -f "$TMP/r.db"
	check_rc "$mode: ingest rejects a path: exit 1" 1 "$SLANT" run $mode --stages "$CHAIN" \
		--db "$TMP/r.db" "$SEEDS" "$TMP/no-such-file.txt"
	check_grep "$mode: ingest names the path" "slant-ingest: .*no-such-file.txt" "$TMP/err"
	check_grep "$mode: driver names the stage" "^slant: stage 'ingest' exited with status 1" "$TMP/err"
	check "$mode: the good articles still stored" "5" \
		"$(q "$TMP/r.db" "SELECT count(*) FROM articles WHERE status = 'ok'")"
	check "$mode: the bad path in errors" "1" \
		"$(q "$TMP/r.db" "SELECT count(*) FROM errors WHERE input LIKE '%no-such-file.txt'")"

	check_rc "$mode: store cannot open its database: exit 3" 3 "$SLANT" run $mode --stages "$CHAIN" \
		--db "$TMP/db-is-dir" "$SEEDS"
	check_grep "$mode: driver names store" "^slant: stage 'store' exited with status 3" "$TMP/err"
	if grep -q "stage 'ingest'" "$TMP/err"; then notok "$mode: ingest's broken pipe is not blamed on it"
		sed 's/^/  /' "$TMP/err"; else ok "$mode: ingest's broken pipe is not blamed on it"; fi
done

# A stage killed by a signal mid-stream.
mkfifo "$TMP/fifo"
"$SLANT" run --pipe --stages "$CHAIN" --db "$TMP/k.db" - <"$TMP/fifo" >"$TMP/kout" 2>"$TMP/kerr" &
dpid=$!
exec 7>"$TMP/fifo"
cat "$SEEDS"/000_*.txt >&7
sleep 0.5
victim=
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = slant-store ] || continue
	ppid=$(awk '{ print $4 }' "$p/stat" 2>/dev/null)
	[ "$ppid" = "$dpid" ] && victim=${p#/proc/}
done
if [ -n "$victim" ]; then
	kill -9 "$victim"
	sleep 0.2
	cat "$SEEDS"/001_*.txt >&7 2>/dev/null
	exec 7>&-
	wait "$dpid"
	rc=$?
	check "killed stage: exit 3" "3" "$rc"
	check_grep "killed stage named with its signal" "^slant: stage 'store' was killed by signal 9" "$TMP/kerr"
else
	exec 7>&-
	wait "$dpid"
	skip "killed stage: cannot find slant-store's pid in /proc"
	skip "killed stage: message"
fi

# ====== The driver killed: its stages and workers end with it ======
# children PID: the processes whose parent is PID; alive PID...: those still running.
children() {
	for p in /proc/[0-9]*; do
		[ "$(awk '{ print $4 }' "$p/stat" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done
}
alive() {
	for p in "$@"; do
		s=$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) && [ "$s" != Z ] && echo "$p"
	done
}
# start_killable NAME ARGS...: slant run ARGS reading a FIFO we hold open (fd 7), fed one article.
start_killable() {
	rm -f "$TMP/kfifo"
	mkfifo "$TMP/kfifo"
	name=$1
	shift
	"$SLANT" run "$@" - <"$TMP/kfifo" >/dev/null 2>"$TMP/$name.err" &
	dpid=$!
	exec 7>"$TMP/kfifo"
	cat "$SEEDS"/000_*.txt >&7
	sleep 0.5
	kids=$(children "$dpid")
}
# gone PID...: wait up to 5 s for them to end; prints those still running.
gone() {
	t=0
	while [ -n "$(alive "$@")" ] && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
	alive "$@"
}
for sig in TERM KILL; do
	case $sig in TERM) want=143 ;; *) want=137 ;; esac
	start_killable "pipe$sig" --pipe --stages "$CHAIN" --db "$TMP/k$sig.db"
	check "--pipe: the stages started" "2" "$(echo $kids | wc -w | tr -d ' ')"
	kill -$sig "$dpid"
	wait "$dpid"
	rc=$?
	check "--pipe killed by SIG$sig: its stages end too" "" "$(gone $kids)"
	exec 7>&-
	check "--pipe killed by SIG$sig: dies of it" "$want" "$rc"
done
check "SIGTERM passed on quietly" "" "$(cat "$TMP/pipeTERM.err")"
# -j 2: the workers end with the driver; the next run merges the shards they leave.
mkdir "$TMP/kj"
for sig in TERM KILL; do
	case $sig in TERM) want=143 ;; *) want=137 ;; esac
	start_killable "j$sig" -j 2 --stages "$CHAIN" --db "$TMP/kj/$sig.db"
	check "-j 2: the workers started" "2" "$(echo $kids | wc -w | tr -d ' ')"
	kill -$sig "$dpid"
	wait "$dpid"
	rc=$?
	check "-j 2 killed by SIG$sig: its workers end too" "" "$(gone $kids)"
	exec 7>&-
	check "-j 2 killed by SIG$sig: dies of it" "$want" "$rc"
	check "-j 2 killed by SIG$sig: its shards left" "yes" \
		"$(ls "$TMP/kj" | grep -q "^$sig\.db\.j" && echo yes)"
	check_rc "-j 2 killed by SIG$sig: the next run into the database" 0 "$SLANT" run -j 2 \
		--stages "$CHAIN" --db "$TMP/kj/$sig.db" "$SEEDS"
	check "-j 2 killed by SIG$sig: the next run merges the shards and removes them" "$sig.db" \
		"$(cd "$TMP/kj" && ls | grep "^$sig" | tr '\n' ' ' | sed 's/ $//')"
	check_grep "-j 2 killed by SIG$sig: and says so" "shard of an interrupted run" "$TMP/err"
	# (A worker may see its input end and finish before its SIGTERM comes.)
	check "-j 2 killed by SIG$sig: both runs' shards on record" "4" \
		"$(q "$TMP/kj/$sig.db" 'SELECT count(*) FROM runs')"
done

# ====== Progress on a terminal: the relay loses nothing ======
awk 'BEGIN { for (i = 0; i < 3000; i++) { printf "{\"title\":\"T%d\",\"text\":\"", i;
	for (j = 0; j < 40; j++) printf "word%d ", j; printf "\"}\n" } }' >"$TMP/many.jsonl"
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	for mode in --fused --pipe "-j 2"; do
		rm -f "$TMP/p.db"
		script -qec "'$SLANT' run $mode --stages '$CHAIN' --db '$TMP/p.db' '$TMP/many.jsonl'" /dev/null \
			>"$TMP/tty" 2>&1
		check_grep "$mode: progress line on a terminal" "slant: 3000 articles in [0-9.]+ s \([0-9]+ articles/s, [0-9.]+ MB/s\)" "$TMP/tty"
		check "$mode: every record relayed" "3000" "$(q "$TMP/p.db" 'SELECT count(*) FROM articles')"
	done
	# The sink fails while the driver relays into it: reported, no hang.
	timeout 60 script -qec "'$SLANT' run --pipe --stages '$CHAIN' --db '$TMP/db-is-dir' '$TMP/many.jsonl'; echo rc=\$?" \
		/dev/null >"$TMP/tty" 2>&1
	check_grep "relay: failing sink named" "^slant: stage 'store' exited with status 3" "$TMP/tty"
	check_grep "relay: its status passed on" "^rc=3" "$TMP/tty"
else
	skip "progress line: no 'script' to give a terminal"
	skip "relay count"
	skip "relay: failing sink"
	skip "relay: status"
fi
for mode in --fused --pipe "-j 2"; do
	rm -f "$TMP/n.db"
	check_rc "$mode: no progress line off a terminal" 0 "$SLANT" run $mode --stages "$CHAIN" \
		--db "$TMP/n.db" "$TMP/many.jsonl"
	check "$mode: stderr quiet" "" "$(cat "$TMP/err")"
	check "$mode: same records" "3000" "$(q "$TMP/n.db" 'SELECT count(*) FROM articles')"
done

# Our own reader stops early (`slant run ... | head -1`): quiet, 141 as in a shell.
for mode in --fused --pipe; do
	( "$SLANT" run $mode --stages ingest "$TMP/many.jsonl" 2>"$TMP/perr"; echo $? >"$TMP/prc" ) |
		head -1 >/dev/null
	check "$mode: output closed early: exit 141" "141" "$(cat "$TMP/prc")"
	check "$mode: output closed early: no message" "" "$(cat "$TMP/perr")"
done
