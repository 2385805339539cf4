/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The client address of a request: the peer, or — only when the peer is a configured trusted
 * proxy — the last X-Forwarded-For hop that is not itself a trusted proxy. */
#ifndef RECOURS_HTTP_CLIENT_IP_H
#define RECOURS_HTTP_CLIENT_IP_H

#include <stddef.h>

#include "http/request.h"

#define CLIENT_IP_MAX 46

/* trusted: comma-separated IP literals ("" for none). out gets CLIENT_IP_MAX bytes. */
void client_ip(const struct request *rq, const char *trusted, char *out);

#endif
