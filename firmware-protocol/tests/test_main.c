/* make test: golden vectors, codec and firmware core. Exit status is the failure count. */
#include <stdio.h>

#include "test_support.h"

int tests_failed = 0;
int tests_checks = 0;
int tests_vectors_checked = 0;

int main(int argc, char **argv) {
    const char *vectors = argc > 1 ? argv[1] : "vectors/golden.txt";
    test_golden_vectors(vectors);
    test_codec();
    test_firmware_core();
    printf("%d checks, %d golden vectors, %d failed\n", tests_checks, tests_vectors_checked,
           tests_failed);
    return tests_failed == 0 ? 0 : 1;
}
