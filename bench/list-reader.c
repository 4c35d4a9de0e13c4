/* SPDX-License-Identifier: MIT */
/* list-reader: a picker that reads its whole list and picks nothing — the
 * least a picker can cost, for bench/search's `sesame menu` figure (cat
 * there costs its own start under sh, with its locale, on every run).
 * Static, so it starts without a dynamic loader. */
#include <unistd.h>

int main(void) {
        char buf[65536];
        while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
                ;
        return 0;
}
