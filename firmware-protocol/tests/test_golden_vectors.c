/* Checks the C codec against vectors/golden.txt (made by an independent Python
 * implementation): every vector must encode to its bytes and decode back to its fields;
 * the schema hash and CRC check value must match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/schema.h"
#include "test_support.h"

static int parse_hex(const char *hex, uint8_t *out, size_t capacity) {
    size_t n = strlen(hex);
    if (n % 2 != 0 || n / 2 > capacity) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned value;
        if (sscanf(hex + 2 * i, "%2x", &value) != 1) return -1;
        out[i] = (uint8_t)value;
    }
    return (int)(n / 2);
}

static const fp_message_schema *schema_named(const char *name) {
    for (size_t i = 0; i < fp_message_schema_count(); i++) {
        if (strcmp(fp_message_schema_at(i)->name, name) == 0) return fp_message_schema_at(i);
    }
    return NULL;
}

/* Sets field `name` of msg to `value` through the schema table's offsets. */
static int set_field(fp_message *msg, const fp_message_schema *schema, const char *name,
                     long long value) {
    uint8_t *base = (uint8_t *)&msg->body;
    for (uint8_t i = 0; i < schema->field_count; i++) {
        const fp_field *f = &schema->fields[i];
        if (strcmp(f->name, name) != 0) continue;
        uint64_t v = (uint64_t)value;
        memcpy(base + f->offset, &v, fp_field_size(f->kind)); /* little-endian host */
        return 0;
    }
    return -1;
}

static void check_vector(char *line) {
    char *arrow = strstr(line, " => ");
    CHECK(arrow != NULL);
    if (arrow == NULL) return;
    *arrow = '\0';
    char *hex = arrow + 4;
    hex[strcspn(hex, "\r\n")] = '\0';

    fp_message expected;
    memset(&expected, 0, sizeof(expected));
    char *name = strtok(line, " ");
    const fp_message_schema *schema = schema_named(name);
    CHECK(schema != NULL);
    if (schema == NULL) return;
    expected.type = schema->type;
    for (char *token = strtok(NULL, " "); token; token = strtok(NULL, " ")) {
        char *eq = strchr(token, '=');
        CHECK(eq != NULL);
        *eq = '\0';
        long long value = strtoll(eq + 1, NULL, 0);
        if (strcmp(token, "seq") == 0) {
            expected.seq = (uint16_t)value;
        } else {
            CHECK(set_field(&expected, schema, token, value) == 0);
        }
    }

    uint8_t golden[FP_MAX_WIRE + 8];
    int golden_length = parse_hex(hex, golden, sizeof(golden));
    CHECK(golden_length > 0);

    uint8_t wire[FP_MAX_WIRE];
    size_t length = fp_encode_frame(&expected, wire, sizeof(wire));
    CHECK_EQ_UINT(length, (unsigned long long)golden_length);
    CHECK(length == (size_t)golden_length && memcmp(wire, golden, length) == 0);

    fp_decoder decoder;
    fp_decoder_init(&decoder);
    fp_message decoded;
    int delivered = 0;
    size_t used = fp_decoder_feed(&decoder, golden, (size_t)golden_length, &decoded, &delivered);
    CHECK(delivered == 1);
    CHECK_EQ_UINT(used, (unsigned long long)golden_length);
    CHECK(decoded.type == expected.type && decoded.seq == expected.seq);
    CHECK(memcmp(&decoded.body, &expected.body, sizeof(expected.body)) == 0);
    tests_vectors_checked++;
}

void test_golden_vectors(const char *path) {
    FILE *file = fopen(path, "r");
    CHECK(file != NULL);
    if (file == NULL) return;
    char line[1024];
    while (fgets(line, sizeof(line), file)) {
        unsigned long long a, b;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (sscanf(line, "protocol_version %llu", &a) == 1) {
            CHECK_EQ_UINT(a, FP_PROTOCOL_VERSION);
        } else if (sscanf(line, "schema_hash %llx", &a) == 1) {
            CHECK_EQ_UINT(a, fp_schema_hash());
        } else if (sscanf(line, "crc32 123456789 %llx", &b) == 1) {
            CHECK_EQ_UINT(b, fp_crc32((const uint8_t *)"123456789", 9));
        } else {
            check_vector(line);
        }
    }
    fclose(file);
}
