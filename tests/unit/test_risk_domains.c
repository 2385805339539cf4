/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* service/risk_domains: the list read from its file (comments, blanks, case), a domain and its
 * parents looked up, a reload only when the file changed, an unreadable file keeping the set
 * in force, and two threads reloading at once while a third looks up, as in serve (SIGHUP on
 * the main thread, the risk job at each pass): the set stays whole. The last one is where
 * ThreadSanitizer saw the reload's unlocked look at what the other thread's install wrote. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/risk_domains.h"

static const char path_template[] = "/tmp/recours-test-risk-domains-XXXXXX";
static char path[sizeof path_template];

static void
write_list(const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
    (void)state;
    memcpy(path, path_template, sizeof path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_list("# disposable\nMailinator.com\n\n  \nyopmail.fr # a comment\n");
    assert_true(risk_domains_load(path));
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    risk_domains_free();
    unlink(path);
    return 0;
}

static void
test_lookups(void **state)
{
    (void)state;
    assert_true(risk_domains_is_disposable("mailinator.com"));
    assert_true(risk_domains_is_disposable("a.b.mailinator.com"));
    assert_true(risk_domains_is_disposable("yopmail.fr"));
    assert_false(risk_domains_is_disposable("com"));
    assert_false(risk_domains_is_disposable("example.org"));
    assert_false(risk_domains_is_disposable("notmailinator.com"));
}

static void
test_reload_when_changed(void **state)
{
    (void)state;
    assert_false(risk_domains_reload(false)); /* the file as it was read */
    write_list("example.org\n");
    assert_true(risk_domains_reload(false));
    assert_true(risk_domains_is_disposable("example.org"));
    assert_false(risk_domains_is_disposable("mailinator.com"));
    assert_true(risk_domains_reload(true)); /* forced: read again whatever the file */
}

static void
test_unreadable_keeps_the_set(void **state)
{
    (void)state;
    assert_int_equal(unlink(path), 0);
    assert_false(risk_domains_reload(true));
    assert_true(risk_domains_is_disposable("mailinator.com"));
}

static atomic_bool stop;
static atomic_int misses;

static void *
reload_loop(void *force)
{
    for (int i = 0; i < 200; i++)
        risk_domains_reload(force != NULL);
    return NULL;
}

static void *
lookup_loop(void *unused)
{
    (void)unused;
    while (!atomic_load(&stop))
        if (!risk_domains_is_disposable("mailinator.com"))
            atomic_fetch_add(&misses, 1);
    return NULL;
}

static void
test_concurrent_reloads(void **state)
{
    pthread_t signal_thread, job_thread, request_thread;

    (void)state;
    atomic_store(&stop, false);
    atomic_store(&misses, 0);
    assert_int_equal(pthread_create(&request_thread, NULL, lookup_loop, NULL), 0);
    assert_int_equal(pthread_create(&signal_thread, NULL, reload_loop, (void *)1), 0);
    assert_int_equal(pthread_create(&job_thread, NULL, reload_loop, NULL), 0);
    assert_int_equal(pthread_join(signal_thread, NULL), 0);
    assert_int_equal(pthread_join(job_thread, NULL), 0);
    atomic_store(&stop, true);
    assert_int_equal(pthread_join(request_thread, NULL), 0);
    assert_int_equal(atomic_load(&misses), 0);
    assert_true(risk_domains_is_disposable("yopmail.fr"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_when_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_keeps_the_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_reloads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
