/*
 * fuzz_conf.c -- libFuzzer harness for the pipeline.conf parser
 * (conf_parse), then every accessor over what it kept: conf_get,
 * conf_path and conf_double for each key the file set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slant/conf.h"
#include "slant/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c = CONF_INIT;
	/* An exact-size copy: a read past the end is caught by ASan. */
	char *buf = malloc(size ? size : 1);
	size_t i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	set_progname("fuzz_conf");
	c.path = xstrdup("fuzz.conf");
	c.dir = xstrdup("/nonexistent");
	if (conf_parse(&c, "fuzz.conf", buf, size) == 0) {
		for (i = 0; i < c.n; i++) {
			const char *v = conf_get(&c, c.v[i].section, c.v[i].key);
			char *p = conf_path(&c, c.v[i].section, c.v[i].key);
			double d;

			if (!v || strcmp(v, c.v[i].value) || !p)
				abort();
			free(p);
			conf_double(&c, c.v[i].section, c.v[i].key, &d);
		}
	} else {
		for (i = 0; i < c.n; i++)
			if (!c.v[i].section || !c.v[i].key || !c.v[i].value)
				abort();
	}
	conf_release(&c);
	free(buf);
	return 0;
}
