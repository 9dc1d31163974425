/* Test-only, never shipped: Rust's standard library asks Windows for random bytes through
 * ProcessPrng in bcryptprimitives.dll, which Wine 8 (Debian 12) does not have. This stand-in,
 * built beside the exe under test, answers with RtlGenRandom (advapi32's SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
