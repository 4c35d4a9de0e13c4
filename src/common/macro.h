/* SPDX-License-Identifier: MIT */
#pragma once

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* Ownership helpers in the style of systemd: a variable declared with
 * _cleanup_free_ (or _cleanup_(fn)) releases what it holds when it leaves
 * scope, so early returns cannot leak. TAKE_PTR/TAKE_FD hand ownership on. */
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _sentinel_ __attribute__((sentinel))
#define _noreturn_ __attribute__((noreturn))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}
#define _cleanup_close_ _cleanup_(closep)

/* Room for `need` items of `size` bytes in *array: *allocated doubles (from
 * `initial`) until it is enough. 0, or -ENOMEM with *array as it was. Use
 * GROW(array, allocated, need, initial). */
static inline int array_grow(void **array, size_t *allocated, size_t need, size_t size, size_t initial) {
        if (need <= *allocated)
                return 0;
        size_t n = *allocated ? *allocated : initial;
        while (n < need)
                n *= 2;
        void *a = realloc(*array, n * size);
        if (!a)
                return -ENOMEM;
        *array = a;
        *allocated = n;
        return 0;
}
#define GROW(array, allocated, need, initial) \
        array_grow((void **) &(array), &(allocated), (need), sizeof(*(array)), (initial))

#define TAKE_PTR(p)                            \
        ({                                     \
                __typeof__(p) _taken_ = (p);   \
                (p) = NULL;                    \
                _taken_;                       \
        })

#define TAKE_FD(fd)                            \
        ({                                     \
                int _taken_fd_ = (fd);         \
                (fd) = -1;                     \
                _taken_fd_;                    \
        })

static inline int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                close(fd);
                errno = saved;
        }
        return -1;
}

/* Argument checks at API edges: a caller's mistake is an error, not a crash. */
#define assert_return(expr, r)                 \
        do {                                   \
                if (!(expr))                   \
                        return (r);            \
        } while (0)

/* Define a cleanup function for a type with a "free/unref" function. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) \
        static inline void func##p(type *p) {   \
                if (*p)                         \
                        func(*p);               \
        }

static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}
