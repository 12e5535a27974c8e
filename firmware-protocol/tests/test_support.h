/* A minimal check macro set for the C tests: failures print file:line and are counted. */
#ifndef FP_TEST_SUPPORT_H
#define FP_TEST_SUPPORT_H

#include <stdio.h>

extern int tests_failed;
extern int tests_checks;
extern int tests_vectors_checked;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        tests_checks++;                                                              \
        if (!(cond)) {                                                               \
            tests_failed++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_EQ_UINT(a, b)                                                             \
    do {                                                                                \
        unsigned long long va_ = (unsigned long long)(a), vb_ = (unsigned long long)(b); \
        tests_checks++;                                                                 \
        if (va_ != vb_) {                                                               \
            tests_failed++;                                                             \
            fprintf(stderr, "%s:%d: %s == %s failed: %llu != %llu\n", __FILE__, __LINE__, \
                    #a, #b, va_, vb_);                                                  \
        }                                                                               \
    } while (0)

void test_golden_vectors(const char *path);
void test_codec(void);
void test_firmware_core(void);

#endif
