/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Client address resolution. X-Forwarded-For from anyone else is ignored: a client could
 * otherwise pick its own rate-limit bucket. */
#include "http/client_ip.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void
peer_address(struct MHD_Connection *conn, char *out)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    snprintf(out, CLIENT_IP_MAX, "unknown");
    if (info == NULL || info->client_addr == NULL)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  CLIENT_IP_MAX);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  CLIENT_IP_MAX);
}

/* Whether ip (len bytes) is one of the comma-separated trusted addresses. */
static bool
is_trusted(const char *trusted, const char *ip, size_t len)
{
    const char *p = trusted;

    while (p != NULL && *p != '\0') {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == len && n > 0 && strncmp(p, ip, n) == 0)
            return true;
        p += n;
    }
    return false;
}

void
client_ip(const struct request *rq, const char *trusted, char *out)
{
    peer_address(rq->conn, out);
    if (trusted == NULL || trusted[0] == '\0' || !is_trusted(trusted, out, strlen(out)))
        return;
    const char *xff = request_header(rq, "X-Forwarded-For");
    if (xff == NULL)
        return;
    /* walk from the right: the last hop our proxy did not add itself is the client */
    const char *end = xff + strlen(xff);
    while (end > xff) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        const char *a = start;
        const char *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        size_t len = (size_t)(b - a);
        unsigned char buf[sizeof(struct in6_addr)];
        char ip[CLIENT_IP_MAX];
        if (len > 0 && len < sizeof ip) {
            memcpy(ip, a, len);
            ip[len] = '\0';
            bool valid = inet_pton(AF_INET, ip, buf) == 1 || inet_pton(AF_INET6, ip, buf) == 1;
            if (!valid)
                return; /* garbage in the chain: keep the proxy's own address */
            if (!is_trusted(trusted, ip, len)) {
                memcpy(out, ip, len + 1);
                return;
            }
        }
        end = start > xff ? start - 1 : xff;
    }
}
