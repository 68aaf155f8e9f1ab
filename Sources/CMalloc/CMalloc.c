#include "CMalloc.h"
#include <stdlib.h>  /* defines __GLIBC__ on glibc */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void tally_tune_allocator(void) {
#if defined(__GLIBC__)
    // Arrays below 256 MiB come from the heap (not a fresh mapping that faults in again);
    // up to 512 MiB of freed memory stays for the next statement.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

void tally_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

size_t tally_heap_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#else
    return 0;
#endif
}
