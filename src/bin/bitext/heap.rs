//! The C allocator's arenas. glibc's `malloc` gives each thread that allocates its own arena,
//! and memory freed in one arena serves only the threads that use it: the aligner frees a
//! pass's model on one thread and builds the next pass's on others, so the freed pages stay
//! resident beside the new ones. One arena for the process lets every thread reuse them.
//! Measured on the generated 200,020 x 214,560 text (`benches/long_bitext.py`, two threads):
//! peak RSS 275 -> 235 MB, wall time the same (3.84 / 3.86 s), the 7-document batch and the
//! 20k text within noise. The library does not do this: it is the process's choice.

/// Limits glibc's `malloc` to one arena (before any thread is started); nothing elsewhere.
pub(crate) fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            /// glibc's `mallopt(3)`.
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        /// `M_ARENA_MAX` in glibc's `malloc.h`.
        const M_ARENA_MAX: std::ffi::c_int = -8;
        // SAFETY: mallopt takes two ints and only sets an allocator parameter; it is called
        // before any other thread exists. A failure (0) leaves the default, which is fine.
        unsafe {
            mallopt(M_ARENA_MAX, 1);
        }
    }
}
