/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/xalloc: xfree_wiped leaves nothing of a block behind, and jansson, given it (as
 * api/main.c does), frees a parsed claim's names wiped. The executable is linked with
 * -Wl,--wrap=free (tests/CMakeLists.txt), so the test sees each block as it is freed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* What the wrapper saw of the blocks freed since the last reset. */
static int freed_blocks;
static bool all_freed_zero; /* every byte of every block freed was 0 */
static const char *needle;  /* a text that must not be in any block freed */
static bool needle_seen;

void
__wrap_free(void *p)
{
    if (p != NULL) {
        const unsigned char *b = p;
        size_t n = malloc_usable_size(p);
        freed_blocks++;
        for (size_t i = 0; i < n; i++)
            if (b[i] != 0)
                all_freed_zero = false;
        if (needle != NULL && memmem(b, n, needle, strlen(needle)) != NULL)
            needle_seen = true;
    }
    __real_free(p);
}

static void
watch(const char *text)
{
    freed_blocks = 0;
    all_freed_zero = true;
    needle = text;
    needle_seen = false;
}

static void
a_block_is_zero_when_freed(void **state)
{
    (void)state;
    static const char secret[] = "Jeanne Dupont, née le 1984-03-02";
    char *p = xmalloc(sizeof secret);

    memcpy(p, secret, sizeof secret);
    watch(secret);
    xfree_wiped(p);
    assert_int_equal(freed_blocks, 1);
    assert_true(all_freed_zero); /* its slack past the size asked for too */
    assert_false(needle_seen);
    needle = NULL;
}

static void
null_is_ignored(void **state)
{
    (void)state;
    watch(NULL);
    xfree_wiped(NULL);
    assert_int_equal(freed_blocks, 0);
}

static void
jansson_frees_a_claim_wiped(void **state)
{
    (void)state;
    static const char body[] =
        "{\"family_name\": \"Quintrellec-Marsault\", \"given_name\": \"Solène\","
        " \"email\": \"solene.qm@example.org\", \"harms\": [\"phishing\"]}";
    json_error_t error;

    json_set_alloc_funcs(xmalloc, xfree_wiped);
    json_t *doc = json_loads(body, 0, &error);
    assert_non_null(doc);
    char *again = json_dumps(doc, JSON_COMPACT);
    assert_non_null(again);
    assert_non_null(strstr(again, "Quintrellec-Marsault"));
    watch("Quintrellec-Marsault");
    json_decref(doc);
    xfree_wiped(again);
    assert_true(freed_blocks > 2); /* the object, its table, its strings, the dump */
    assert_false(needle_seen);
    assert_true(all_freed_zero);
    needle = NULL;
    json_set_alloc_funcs(malloc, free);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_block_is_zero_when_freed),
        cmocka_unit_test(null_is_ignored),
        cmocka_unit_test(jansson_frees_a_claim_wiped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
