/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/fd_io: a write larger than a pipe's buffer arrives whole, a read stops at the end of
 * the file or at its cap, and a closed descriptor is an error, not a short success. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fd_io.h"

/* More than a pipe holds (64 KiB on Linux): the writer must loop on partial writes. */
#define BIG (256 * 1024)

struct drain {
    int fd;
    char *buf;
    size_t len;
    bool ok;
};

static void *
drain_main(void *arg)
{
    struct drain *d = arg;

    d->ok = fd_read_all(d->fd, d->buf, BIG + 1, &d->len);
    return NULL;
}

static void
test_round_trip_through_a_pipe(void **state)
{
    int fds[2];
    char *out = malloc(BIG);
    struct drain d = {.buf = malloc(BIG + 1)};
    pthread_t reader;

    (void)state;
    assert_non_null(out);
    assert_non_null(d.buf);
    for (size_t i = 0; i < BIG; i++)
        out[i] = (char)(i * 7 + 3);
    assert_int_equal(pipe(fds), 0);
    d.fd = fds[0];
    assert_int_equal(pthread_create(&reader, NULL, drain_main, &d), 0);
    assert_true(fd_write_all(fds[1], out, BIG));
    close(fds[1]); /* the end of the file for the reader */
    pthread_join(reader, NULL);
    close(fds[0]);
    assert_true(d.ok);
    assert_int_equal(d.len, BIG);
    assert_memory_equal(d.buf, out, BIG);
    free(out);
    free(d.buf);
}

static void
test_read_stops_at_its_cap(void **state)
{
    int fds[2];
    char buf[4];
    size_t len = 99;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    assert_true(fd_write_all(fds[1], "abcdef", 6));
    assert_true(fd_read_all(fds[0], buf, sizeof buf, &len));
    assert_int_equal(len, 4);
    assert_memory_equal(buf, "abcd", 4);
    close(fds[1]);
    assert_true(fd_read_all(fds[0], buf, sizeof buf, &len));
    assert_int_equal(len, 2);
    assert_memory_equal(buf, "ef", 2);
    close(fds[0]);
}

static void
test_bad_descriptor_fails(void **state)
{
    int fds[2];
    char buf[4];
    size_t len;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    close(fds[1]);
    errno = 0;
    assert_false(fd_write_all(fds[1], "x", 1));
    assert_int_equal(errno, EBADF);
    assert_false(fd_read_all(fds[0], buf, sizeof buf, &len));
    assert_int_equal(errno, EBADF);
    assert_true(fd_write_all(fds[1], "", 0)); /* nothing to write: nothing to fail */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_through_a_pipe),
        cmocka_unit_test(test_read_stops_at_its_cap),
        cmocka_unit_test(test_bad_descriptor_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
