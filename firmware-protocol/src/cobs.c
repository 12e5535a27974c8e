/* Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999). The stuffed form has no 0x00
 * byte, so 0x00 can delimit frames. Each block starts with a code byte c (1..255): c-1 data
 * bytes follow, then an implied 0x00 unless c == 0xFF or the input ended. Overhead is one byte
 * per 254 input bytes, so every frame of this protocol grows by exactly one byte. */
#include "furuta_protocol.h"

size_t fp_cobs_encode(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) {
    size_t code_index = 0; /* where the current block's code byte goes */
    size_t write = 1;
    uint8_t code = 1;
    if (capacity == 0) return 0;
    for (size_t i = 0; i < length; i++) {
        if (in[i] == 0) {
            out[code_index] = code;
            code_index = write++;
            code = 1;
        } else {
            if (write >= capacity) return 0;
            out[write++] = in[i];
            code++;
            if (code == 0xFF && i + 1 < length) {
                out[code_index] = code;
                code_index = write++;
                code = 1;
            }
        }
        if (write > capacity) return 0;
    }
    if (code_index >= capacity) return 0;
    out[code_index] = code;
    return write;
}

int fp_cobs_decode(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) {
    size_t read = 0;
    size_t write = 0;
    while (read < length) {
        uint8_t code = in[read++];
        if (code == 0) return -1;                  /* a delimiter cannot be inside a frame */
        if (read + (size_t)(code - 1) > length) return -1; /* block runs past the end */
        for (uint8_t k = 1; k < code; k++) {
            if (in[read] == 0) return -1;
            if (write >= capacity) return -1;
            out[write++] = in[read++];
        }
        if (code != 0xFF && read < length) {
            if (write >= capacity) return -1;
            out[write++] = 0;
        }
    }
    return (int)write;
}
