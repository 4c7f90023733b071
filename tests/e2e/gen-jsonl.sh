#!/bin/sh
# gen-jsonl.sh N [SEED_DIR] -- write N generated articles as JSON Lines on standard output,
# for the scale and fused-mode tests (tests/e2e/045-fused.sh, 110-scale.sh) and
# bench/bench-chain.sh. Bodies are the seed articles' paragraphs reshuffled (a fixed
# LCG, so the same N gives the same bytes); outlets vary, some known to the register.
# Mixed in, so that the error paths are compared too: a line that is not JSON every
# 97th, a record without text every 89th, a re-used URL (same id, other text: the
# later one wins) every 53rd, an invalid UTF-8 byte every 71st, a blank line every 61st.
set -eu
n=$1 dir=${2:-samples}
LC_ALL=C awk -v n="$n" '
function esc(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); gsub(/\r/, "", s)
	return s
}
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return int(seed / 65536) }
FNR == 1 { title[nt++] = esc($0); inpara = 0; next }
/^[ \t]*$/ { inpara = 0; next }
{ if (inpara) para[np - 1] = para[np - 1] " " esc($0); else { para[np++] = esc($0); inpara = 1 } }
END {
	split("Reuters|reuters.com;RT|rt.com;BBC News|bbc.co.uk;Xinhua|xinhuanet.com;" \
	      "The Guardian|theguardian.com;Bayon TV|;Example Daily|example.test;|", outlets, ";")
	no = 8; seed = 20250314
	for (i = 1; i <= n; i++) {
		if (i % 97 == 0) { printf "{\"title\": \"broken record %d\n", i; continue }
		if (i % 61 == 0) printf "\n"
		split(outlets[1 + rnd() % no], o, "|")
		url = "https://" (o[2] != "" ? o[2] : "news.test") "/story/" i
		if (i % 53 == 0) url = "https://" (o[2] != "" ? o[2] : "news.test") "/story/" (i - 10)
		if (i % 89 == 0) { printf "{\"title\": \"no text %d\", \"url\": \"%s\"}\n", i, url; continue }
		body = title[rnd() % nt] "\\n\\n"
		k = 4 + rnd() % 8
		for (j = 0; j < k; j++)
			body = body (j ? "\\n\\n" : "") para[rnd() % np]
		if (i % 71 == 0) body = body " caf\351"
		printf "{\"title\": \"%s\", \"url\": \"%s\", ", title[rnd() % nt], url
		if (o[1] != "") printf "\"outlet\": {\"name\": \"%s\", \"domain\": \"%s\"}, ", o[1], o[2]
		printf "\"published\": \"2025-03-%02d\", \"text\": \"%s\"}\n", 1 + i % 28, body
	}
}' "$dir"/0*.txt
