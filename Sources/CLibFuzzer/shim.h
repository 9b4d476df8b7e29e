// libFuzzer's driver, declared for Swift. Nothing is linked here: `-sanitize=fuzzer` links libFuzzer,
// and only a build with -DDECODE_FUZZ_LIBFUZZER calls it (see Sources/DecodeFuzz).
#ifndef RETRYTOP_CLIBFUZZER_SHIM_H
#define RETRYTOP_CLIBFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
