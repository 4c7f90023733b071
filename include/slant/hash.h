/* hash.h -- SHA-256 for stable article ids and lexicon/config content hashes. */
#ifndef SLANT_HASH_H
#define SLANT_HASH_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char buf[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into 'hex'. */
void sha256_hex(struct sha256 *c, char hex[65]);
/* One-shot: the hex digest of 'data'. */
void sha256_hex_of(const void *data, size_t len, char hex[65]);
/* Hex digest of a file's bytes; returns -1 (reported) if it cannot be read. */
int sha256_file(const char *path, char hex[65]);

#endif
