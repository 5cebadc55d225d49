// SwiftPM on Linux links executables with `--defsym main=<target>_main` (so tests can link
// them), which hides libFuzzer's own main(). Each target defines <target>_main and calls this,
// which starts libFuzzer exactly as its main() would.
#include <stddef.h>
#include <stdint.h>
#include "FuzzMain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t));

int mysqlwire_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
