#ifndef TALLY_CMALLOC_H
#define TALLY_CMALLOC_H
#include <stddef.h>

/// Keeps freed column arrays in the heap for reuse instead of unmapping each one (glibc).
void tally_tune_allocator(void);

/// Gives the pages of freed memory back to the system, in every thread's arena (glibc's
/// malloc_trim); nothing elsewhere.
void tally_release_free_memory(void);

/// Bytes the allocator has handed out and not yet had back (glibc's mallinfo2); 0 elsewhere.
size_t tally_heap_in_use(void);

#endif
