/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See file_type.h. */
#include "domain/file_type.h"

#include <string.h>

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
static const uint8_t png_iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};

enum file_type
file_type_sniff(const uint8_t *head, size_t n)
{
    if (n >= 8 && memcmp(head, "%PDF-", 5) == 0 && head[5] >= '1' && head[5] <= '9' &&
        head[6] == '.' && head[7] >= '0' && head[7] <= '9')
        return FILE_TYPE_PDF;
    if (n >= sizeof png_signature && memcmp(head, png_signature, sizeof png_signature) == 0)
        return FILE_TYPE_PNG;
    /* SOI, then the first marker's FF and a marker code that may follow SOI (APPn, DQT,
     * DHT, SOFn, COM, DRI): a JFIF, an Exif or a bare baseline file */
    if (n >= 4 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff &&
        ((head[3] >= 0xe0 && head[3] <= 0xef) || head[3] == 0xdb || head[3] == 0xc4 ||
         head[3] == 0xc0 || head[3] == 0xc2 || head[3] == 0xfe || head[3] == 0xdd))
        return FILE_TYPE_JPEG;
    return FILE_TYPE_NONE;
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The last occurrence of needle in hay[0..n), or NULL. */
static const uint8_t *
last_occurrence(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = n; i >= k; i--)
        if (memcmp(hay + i - k, needle, k) == 0)
            return hay + i - k;
    return NULL;
}

static bool
is_pdf_space(uint8_t c)
{
    return c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == '\f' || c == '\0';
}

static bool
pdf_ok(const uint8_t *tail, size_t n)
{
    const uint8_t *eof = last_occurrence(tail, n, "%%EOF");

    if (eof == NULL)
        return false;
    for (const uint8_t *p = eof + 5; p < tail + n; p++)
        if (!is_pdf_space(*p))
            return false;
    /* the cross-reference pointer comes before the end marker */
    return last_occurrence(tail, (size_t)(eof - tail), "startxref") != NULL;
}

static bool
png_ok(const uint8_t *head, size_t head_n, const uint8_t *tail, size_t tail_n)
{
    /* signature(8) length(4) "IHDR"(4) width(4) height(4) depth(1) colour(1) */
    if (head_n < 26 || be32(head + 8) != 13 || memcmp(head + 12, "IHDR", 4) != 0 ||
        be32(head + 16) == 0 || be32(head + 20) == 0)
        return false;
    uint8_t depth = head[24];
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
        return false;
    return tail_n >= sizeof png_iend &&
           memcmp(tail + tail_n - sizeof png_iend, png_iend, sizeof png_iend) == 0;
}

static bool
jpeg_ok(const uint8_t *tail, size_t n)
{
    while (n > 0 && tail[n - 1] == 0)
        n--;
    return n >= 2 && tail[n - 2] == 0xff && tail[n - 1] == 0xd9;
}

bool
file_type_check(enum file_type t, const uint8_t *head, size_t head_n, const uint8_t *tail,
                size_t tail_n)
{
    if (head_n > FILE_TYPE_HEAD)
        head_n = FILE_TYPE_HEAD;
    if (tail_n > FILE_TYPE_TAIL) {
        tail += tail_n - FILE_TYPE_TAIL;
        tail_n = FILE_TYPE_TAIL;
    }
    if (file_type_sniff(head, head_n) != t)
        return false;
    switch (t) {
    case FILE_TYPE_PDF:
        return pdf_ok(tail, tail_n);
    case FILE_TYPE_PNG:
        return png_ok(head, head_n, tail, tail_n);
    case FILE_TYPE_JPEG:
        return jpeg_ok(tail, tail_n);
    case FILE_TYPE_NONE:
        break;
    }
    return false;
}

static const char *const media[] = {NULL, "application/pdf", "image/jpeg", "image/png"};

const char *
file_type_media(enum file_type t)
{
    return (unsigned)t < sizeof media / sizeof media[0] ? media[t] : NULL;
}

static const char *const extensions[] = {NULL, "pdf", "jpg", "png"};

const char *
file_type_extension(enum file_type t)
{
    return (unsigned)t < sizeof extensions / sizeof extensions[0] ? extensions[t] : NULL;
}

enum file_type
file_type_of_media(const char *m)
{
    for (size_t i = 1; m != NULL && i < sizeof media / sizeof media[0]; i++)
        if (strcmp(m, media[i]) == 0)
            return (enum file_type)i;
    return FILE_TYPE_NONE;
}

void
file_type_tail_add(struct file_type_tail *w, const uint8_t *data, size_t n)
{
    if (n >= FILE_TYPE_TAIL) {
        memcpy(w->buf, data + n - FILE_TYPE_TAIL, FILE_TYPE_TAIL);
        w->len = FILE_TYPE_TAIL;
        return;
    }
    size_t keep = w->len + n > FILE_TYPE_TAIL ? FILE_TYPE_TAIL - n : w->len;
    memmove(w->buf, w->buf + w->len - keep, keep);
    memcpy(w->buf + keep, data, n);
    w->len = keep + n;
}
