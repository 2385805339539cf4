/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Risk flags (issue 14, docs/risk.md): the pure part. A client's network prefix (the part of
 * its address one network shares: IPv4 /24, IPv6 /64) and a postal address's normal form
 * without the flat, both made to be hashed under a key (never stored in clear), the flags'
 * names, and an email's domain. Invariant: two addresses of one building that differ only in
 * the flat, the case, accents-free punctuation or spacing have the same normal form. */
#ifndef RECOURS_DOMAIN_RISK_H
#define RECOURS_DOMAIN_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/claim.h"

/* The flags, in the order they are shown. RISK_UNMATCHED is read from the eligibility state. */
enum risk_flag {
    RISK_NETWORK,           /* many claims from one network within an hour */
    RISK_ADDRESS,           /* one address (flat left out) shared by too many claims */
    RISK_DISPOSABLE_EMAIL,  /* the email's domain is a disposable one */
    RISK_EMAIL_UNCONFIRMED, /* the email was not confirmed after N days */
    RISK_UNMATCHED,         /* not on the controller's list, when the incident has one */
    RISK_FLAG_COUNT
};

/* The wire (and database) name of a flag: "network", "address", "disposable_email",
 * "email_unconfirmed", "unmatched". */
const char *risk_flag_name(enum risk_flag f);

/* The flag of a name, or -1. */
int risk_flag_of(const char *name);

#define RISK_MAC_LEN 32

/* What the intake learns of one claim for its flags: keyed hashes, never the values. */
struct risk_signals {
    uint8_t net_mac[RISK_MAC_LEN];  /* the client's network prefix */
    const char *net_kind;           /* "ipv4/24" or "ipv6/64"; NULL: address unknown */
    uint8_t addr_mac[RISK_MAC_LEN]; /* the postal address without the flat */
    bool has_addr;
    bool disposable_email;
};

/* One claim's flags as the reviewer sees them, counts read now. */
struct risk_view {
    bool present;              /* false: the claim has no risk row (taken in before 0018) */
    bool flags[RISK_FLAG_COUNT];
    const char *net_kind;      /* NULL when unknown */
    int64_t net_count;         /* claims from its network within an hour of it */
    int64_t addr_count;        /* claims at its address (0: no address hash) */
    bool email_pending;        /* the N-day check has not come yet */
    const char *evaluated_at;  /* RFC 3339 */
};

/* One day (UTC) of an incident's claims: how many, how many raised each flag, how many any. */
struct risk_day {
    const char *date; /* YYYY-MM-DD */
    int64_t claims;
    int64_t flagged[RISK_FLAG_COUNT];
    int64_t any;
};

#define RISK_PREFIX_MAX 48

/* The network prefix of an IP literal, written in out (RISK_PREFIX_MAX bytes) as
 * "ipv4/24:a.b.c.0" or "ipv6/64:<first four groups, hex>"; an IPv4-mapped IPv6 address is
 * taken as IPv4. *kind_out: "ipv4/24" or "ipv6/64" (static). False for anything else
 * ("unknown", garbage). */
bool risk_network_prefix(const char *ip, char *out, const char **kind_out);

#define RISK_ADDRESS_MAX 512

/* The address's normal form without the flat, "CC|postal code|number|street", in out (cap
 * bytes): ASCII letters lower-cased, punctuation as spaces, spaces collapsed, flat words
 * ("apt 4", "flat 2b", "bât. C", "#12"...) and line2 left out, street-type abbreviations
 * spelled out. False when the street has no number (nothing a building shares) or the
 * result does not fit. */
bool risk_address_normal(const struct postal_address *a, char *out, size_t cap);

/* The domain of an email (after the last '@'), lower-cased into out (cap bytes); false
 * when there is none or it does not fit. */
bool risk_email_domain(const char *email, char *out, size_t cap);

#endif
