/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* db/statements: the registry's lookup by name, which a connection uses to know whether it
 * holds a statement (db/prepared.h): every statement of every table is found, at an index of
 * its own; names that no table has are not; no name is registered twice. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "db/statements.h"

static void
test_every_statement_found_at_its_own_index(void **state)
{
    int total = 0;

    (void)state;
    int n = db_statement_count();
    bool *seen = calloc((size_t)n, sizeof *seen);
    assert_non_null(seen);
    for (size_t t = 0; db_statement_tables[t] != NULL; t++) {
        for (const struct db_statement *st = db_statement_tables[t]; st->name != NULL; st++) {
            int i = db_statement_index(st->name);
            assert_in_range(i, 0, n - 1);
            assert_ptr_equal(db_statement_at(i), st); /* its own entry, its own SQL */
            assert_false(seen[i]);
            seen[i] = true;
            total++;
        }
    }
    assert_int_equal(total, n);
    assert_true(n > 100); /* the tables are all in (164 when this was written) */
    free(seen);
}

static void
test_unknown_names_not_found(void **state)
{
    (void)state;
    assert_int_equal(db_statement_index(""), -1);
    assert_int_equal(db_statement_index(NULL), -1);
    assert_int_equal(db_statement_index("db_no_such_statement"), -1);
    assert_int_equal(db_statement_index("DB_AUDIT_HEAD"), -1); /* names are case-sensitive */
    assert_int_equal(db_statement_index("db_audit_hea"), -1);  /* a prefix is not a name */
    assert_int_equal(db_statement_index("db_audit_headx"), -1);
    assert_int_equal(db_statement_index("\x7f"), -1); /* past the last name */
    assert_int_equal(db_statement_index(" "), -1);    /* before the first */
    assert_true(db_statement_index("db_audit_head") >= 0);
}

static void
test_sorted_so_that_every_index_is_its_name(void **state)
{
    (void)state;
    for (int i = 0; i < db_statement_count(); i++) {
        assert_int_equal(db_statement_index(db_statement_at(i)->name), i);
        if (i > 0)
            assert_true(strcmp(db_statement_at(i - 1)->name, db_statement_at(i)->name) < 0);
    }
}

static void
test_no_name_registered_twice(void **state)
{
    (void)state;
    assert_null(db_statement_duplicate());
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_statement_found_at_its_own_index),
        cmocka_unit_test(test_unknown_names_not_found),
        cmocka_unit_test(test_sorted_so_that_every_index_is_its_name),
        cmocka_unit_test(test_no_name_registered_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
