#ifndef FUZZ_MAIN_H
#define FUZZ_MAIN_H
/// Runs libFuzzer with this executable's LLVMFuzzerTestOneInput.
int mysqlwire_fuzz_main(int argc, char **argv);
#endif
