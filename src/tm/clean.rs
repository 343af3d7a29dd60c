//! (being written; see /work/notes/tm-design.md)
