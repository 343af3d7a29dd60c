//! The search band: for each source position `i` (0..=n), the target positions `j` the DP
//! visits. Cells are stored row after row in flat arrays, so a band of width `w` costs
//! O(n·w) memory whatever the document length.

use std::ops::Range;

/// Rows of visited cells over the (n+1) x (m+1) lattice.
#[derive(Debug, Clone)]
pub(crate) struct Band {
    rows: Vec<Range<usize>>,
    offset: Vec<usize>,
    cells: usize,
}

impl Band {
    /// Builds a band from one column range per row (`rows.len()` = n + 1); an empty range
    /// takes the range of the row before, and ranges are made monotone and overlapping so that
    /// every band holds a path from (0, 0) to (n, m).
    pub fn from_rows(mut rows: Vec<Range<usize>>, m: usize) -> Band {
        let mut before = 0..1;
        for r in rows.iter_mut() {
            if r.start >= r.end {
                *r = before.clone();
            } else {
                before = r.clone();
            }
        }
        let last = rows.len() - 1;
        rows[0].start = 0;
        rows[last].end = m + 1;
        for i in 1..rows.len() {
            // Monotone lower and upper edges.
            rows[i].start = rows[i].start.max(rows[i - 1].start).min(m);
            rows[i].end = rows[i].end.max(rows[i - 1].end).min(m + 1);
        }
        for i in (0..last).rev() {
            rows[i].end = rows[i].end.min(rows[i + 1].end);
            rows[i].start = rows[i].start.min(rows[i + 1].start);
        }
        for i in 1..rows.len() {
            // Consecutive rows overlap by at least one column.
            if rows[i].start >= rows[i - 1].end {
                rows[i].start = rows[i - 1].end - 1;
            }
            if rows[i].end <= rows[i].start {
                rows[i].end = rows[i].start + 1;
            }
        }
        let mut offset = Vec::with_capacity(rows.len());
        let mut cells = 0usize;
        for r in &rows {
            offset.push(cells);
            cells += r.len();
        }
        Band {
            rows,
            offset,
            cells,
        }
    }

    /// A band of half-width `w` around the diagonal from (0, 0) to (n, m).
    pub fn diagonal(n: usize, m: usize, w: usize) -> Band {
        let rows = (0..=n)
            .map(|i| {
                let centre = if n == 0 {
                    0
                } else {
                    (i as u128 * m as u128 / n as u128) as usize
                };
                centre.saturating_sub(w)..(centre + w + 1).min(m + 1)
            })
            .collect();
        Band::from_rows(rows, m)
    }

    /// A band of half-width `w` around a path given as its cells, in order.
    pub fn around_path(n: usize, m: usize, path: &[(usize, usize)], w: usize) -> Band {
        // Per row, the lowest and highest column the path visits (None: the path jumps over
        // the row with a wide bead; from_rows gives it the range of the row before).
        let mut seen: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        for &(i, j) in path {
            let s = seen[i].get_or_insert((j, j));
            s.0 = s.0.min(j);
            s.1 = s.1.max(j);
        }
        let rows = seen
            .iter()
            .map(|s| match s {
                Some((lo, hi)) => lo.saturating_sub(w)..(hi + w + 1).min(m + 1),
                None => 0..0,
            })
            .collect();
        Band::from_rows(rows, m)
    }

    /// Number of rows (n + 1).
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The columns of row `i`.
    pub fn row(&self, i: usize) -> Range<usize> {
        self.rows[i].clone()
    }

    /// Total number of cells.
    pub fn cells(&self) -> usize {
        self.cells
    }

    /// The flat index of cell (i, j), if it is in the band.
    #[inline]
    pub fn index(&self, i: usize, j: usize) -> Option<usize> {
        let r = self.rows.get(i)?;
        (r.start <= j && j < r.end).then(|| self.offset[i] + j - r.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagonal_band_reaches_both_corners() {
        for (n, m, w) in [(10, 3, 1), (3, 10, 1), (1, 1, 0), (5, 0, 2), (100, 120, 5)] {
            let band = Band::diagonal(n, m, w);
            assert!(band.index(0, 0).is_some());
            assert!(band.index(n, m).is_some(), "{n} {m} {w}");
            for i in 1..=n {
                let (a, b) = (band.row(i - 1), band.row(i));
                assert!(
                    a.start <= b.start && a.end <= b.end && b.start < a.end,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn band_around_a_path_contains_it() {
        let path = [(0, 0), (1, 2), (3, 3), (4, 4)];
        let band = Band::around_path(4, 4, &path, 0);
        for &(i, j) in &path {
            assert!(band.index(i, j).is_some());
        }
    }
}
