/* The canonical schema text and its hash. One line per message, in table order:
 *     "<type as 2 hex digits> <name>:[ <kind> <field>,...]\n"
 * e.g. "02 command: i16 duty_q15, u8 flags\n". The hash is 32-bit FNV-1a over that text:
 *     h = 0x811C9DC5; for each byte b: h = (h ^ b) * 0x01000193  (mod 2^32). */
#include "schema.h"

typedef struct {
    char *out;
    size_t capacity;
    size_t length; /* full length, even past capacity */
    uint32_t hash;
} fp_schema_writer;

static void fp_emit_char(fp_schema_writer *w, char c) {
    if (w->out != NULL && w->length + 1 < w->capacity) w->out[w->length] = c;
    w->length++;
    w->hash = (w->hash ^ (uint8_t)c) * 0x01000193u;
}

static void fp_emit_text(fp_schema_writer *w, const char *text) {
    while (*text != '\0') fp_emit_char(w, *text++);
}

static const char *fp_field_kind_name(uint8_t kind) {
    switch (kind) {
    case FP_FIELD_U8: return "u8";
    case FP_FIELD_U16: return "u16";
    case FP_FIELD_I16: return "i16";
    case FP_FIELD_U32: return "u32";
    case FP_FIELD_I32: return "i32";
    case FP_FIELD_U64: return "u64";
    default: return "?";
    }
}

static void fp_write_schema(fp_schema_writer *w) {
    static const char hex[] = "0123456789abcdef";
    for (size_t m = 0; m < fp_message_schema_count(); m++) {
        const fp_message_schema *schema = fp_message_schema_at(m);
        fp_emit_char(w, hex[schema->type >> 4]);
        fp_emit_char(w, hex[schema->type & 0x0F]);
        fp_emit_char(w, ' ');
        fp_emit_text(w, schema->name);
        fp_emit_char(w, ':');
        for (uint8_t f = 0; f < schema->field_count; f++) {
            fp_emit_text(w, f == 0 ? " " : ", ");
            fp_emit_text(w, fp_field_kind_name(schema->fields[f].kind));
            fp_emit_char(w, ' ');
            fp_emit_text(w, schema->fields[f].name);
        }
        fp_emit_char(w, '\n');
    }
}

uint32_t fp_schema_hash(void) {
    fp_schema_writer writer = {NULL, 0, 0, 0x811C9DC5u};
    fp_write_schema(&writer);
    return writer.hash;
}

size_t fp_schema_text(char *out, size_t capacity) {
    fp_schema_writer writer = {out, capacity, 0, 0x811C9DC5u};
    fp_write_schema(&writer);
    if (out != NULL && capacity > 0) {
        out[writer.length < capacity ? writer.length : capacity - 1] = '\0';
    }
    return writer.length;
}
