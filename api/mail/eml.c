/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The .eml writer: a reader of the directory sees whole messages only (rename is atomic
 * within one file system, and the data is on disk before the name is). */
#include "mail/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fd_io.h"

/* mkdir -p with mode 0700 for the directories it makes. */
static bool
make_dirs(const char *dir)
{
    char path[4096];

    if ((size_t)snprintf(path, sizeof path, "%s", dir) >= sizeof path) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

bool
mail_eml_write(const char *dir, const char *name, const char *payload, size_t n,
               char *reason_out, size_t reason_n)
{
    char tmp[4096];
    char final[4096];
    int fd = -1;
    bool ok = false;

    if (!make_dirs(dir)) {
        snprintf(reason_out, reason_n, "could not make the mail directory: %s", strerror(errno));
        return false;
    }
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= sizeof tmp ||
        (size_t)snprintf(final, sizeof final, "%s/%s.eml", dir, name) >= sizeof final) {
        snprintf(reason_out, reason_n, "mail directory path too long");
        return false;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !fd_write_all(fd, payload, n) || fsync(fd) != 0) {
        snprintf(reason_out, reason_n, "could not write the .eml file: %s", strerror(errno));
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        snprintf(reason_out, reason_n, "could not write the .eml file: %s", strerror(errno));
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, final) != 0) {
        snprintf(reason_out, reason_n, "could not name the .eml file: %s", strerror(errno));
        goto cleanup;
    }
    ok = true;
cleanup:
    if (fd >= 0)
        close(fd);
    if (!ok)
        unlink(tmp);
    return ok;
}
