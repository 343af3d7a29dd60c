//! The C allocator's arenas. glibc's `malloc` gives each thread that allocates its own arena,
//! and memory freed in one arena serves only the threads that use it: aligning one pair frees
//! a pass's model on one thread and builds the next pass's on others, so the freed pages stay
//! resident beside the new ones. One arena for the process lets every thread reuse them.
//! Measured on the generated 200,020 x 214,560 text (`benches/long_bitext.py`, two threads):
//! peak RSS 266-282 -> 230-236 MB, wall time within noise, the same links. Only `bitext align`
//! of one pair asks for it: where threads allocate at once and free little — the memory
//! commands hashing units in parallel, a batch of small documents — one arena is a lock they
//! queue at (`tm dedupe` of 100k units 1.0-1.4 s -> 1.6-3.0 s, `tm stats` of 1M units 120 ->
//! 72 MB/s, a 7-document batch about 10% more CPU). The library does not do this: it is the
//! process's choice.

/// Limits glibc's `malloc` to one arena for the threads started after; nothing elsewhere.
pub(crate) fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            /// glibc's `mallopt(3)`.
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        /// `M_ARENA_MAX` in glibc's `malloc.h`.
        const M_ARENA_MAX: std::ffi::c_int = -8;
        // SAFETY: mallopt takes two ints and only sets an allocator parameter (glibc takes its
        // own lock). A failure (0) leaves the default, which is fine.
        unsafe {
            mallopt(M_ARENA_MAX, 1);
        }
    }
}
