/* libFuzzer harness (make fuzz-libfuzzer, needs clang with -fsanitize=fuzzer): arbitrary
 * bytes into the decoder; a delivered frame must re-encode to exactly the bytes the decoder
 * consumed for it since the previous delimiter, i.e. nothing is invented or altered. */
#include <stdlib.h>
#include <string.h>

#include "furuta_protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fp_decoder decoder;
    fp_decoder_init(&decoder);
    size_t frame_start = 0;
    for (size_t i = 0; i < size; i++) {
        fp_message out;
        int delivered = fp_decoder_push(&decoder, data[i], &out);
        if (delivered) {
            uint8_t wire[FP_MAX_WIRE];
            size_t length = fp_encode_frame(&out, wire, sizeof(wire));
            if (length != i + 1 - frame_start || memcmp(wire, data + frame_start, length) != 0) {
                abort();
            }
        }
        if (data[i] == 0x00) frame_start = i + 1;
    }
    return 0;
}
