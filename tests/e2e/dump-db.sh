# dump-db.sh -- sourced by the scale and fused-mode tests: dump_db DB [TABLE...] prints
# what a database holds, one JSON row a line, sorted, without what differs between equal
# runs: run ids (replaced by RUN), score times, error row numbers and the runs table.
# Without TABLEs: articles, annotations, errors and the score and decision tables.
dump_db() {
	db=$1
	shift
	[ $# -gt 0 ] || set -- articles annotations errors scores score_components decisions
	for t in "$@"; do
		# A table another module has not added yet is simply not there.
		sqlite3 -json "$db" "SELECT * FROM $t" 2>/dev/null
	done | sed -E 's/[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}/RUN/g
		s/"scored":"[^"]*"/"scored":T/g
		s/^\[?\{"id":[0-9]+,"run_id"/{"id":N,"run_id"/
		s/^\[//
		s/,$//
		s/\]$//' | sort
}
