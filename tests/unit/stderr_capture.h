/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What a unit test needs to read what the code under test wrote on stderr (a warning, a
 * refusal's reason): stderr goes to a temporary file between capture_begin and capture_end.
 * Header-only: each unit test is an executable of its own (tests/CMakeLists.txt); include it
 * after <cmocka.h>. */
#ifndef RECOURS_TESTS_STDERR_CAPTURE_H
#define RECOURS_TESTS_STDERR_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int saved_stderr = -1;
static FILE *captured;

static void
capture_begin(void)
{
    fflush(stderr);
    captured = tmpfile();
    assert_non_null(captured);
    saved_stderr = dup(2);
    assert_true(saved_stderr >= 0);
    assert_true(dup2(fileno(captured), 2) >= 0);
}

/* What was written since capture_begin (at most 4095 bytes), to free; stderr is back. */
static char *
capture_end(void)
{
    char *text = calloc(1, 4096);

    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    rewind(captured);
    assert_non_null(text);
    (void)!fread(text, 1, 4095, captured);
    fclose(captured);
    return text;
}

#endif
