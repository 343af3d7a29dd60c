//! The alignment as a picture: an SVG dot-plot of the path through the sentence grid.
//!
//! Source sentences run left to right, target sentences top to bottom; each link is one
//! `<rect class="pt">` over the cells of its sentences (a 1-0 or 0-1 link a thin bar on its
//! side's row or column), coloured by score and status, carrying `data-link-id` so a page can
//! jump to the link a click lands on. Runs of doubtful links (score below
//! [`DOUBTFUL_SCORE`], not accepted) are marked by a red band across the
//! plot. The SVG holds numbers only, no text of the documents.

use std::fmt::Write as _;

use super::{Review, Status, DOUBTFUL_SCORE};

/// The plot's longer side in pixels.
const SIZE: f64 = 600.0;

/// The colour of a link: grey rejected, blue accepted, else by score.
fn colour(status: Status, score: f64) -> &'static str {
    match status {
        Status::Rejected => "#9e9e9e",
        Status::Accepted => "#1e63c6",
        Status::Unreviewed if score < DOUBTFUL_SCORE => "#d32f2f",
        Status::Unreviewed if score < 0.9 => "#e69500",
        Status::Unreviewed => "#2e8b3a",
    }
}

/// True for a link a reviewer should look at: doubtful and not yet decided.
fn doubtful(status: Status, score: f64) -> bool {
    status == Status::Unreviewed && score < DOUBTFUL_SCORE
}

/// Renders `review` as a standalone SVG document.
pub fn render_svg(review: &Review) -> String {
    let (n, m) = (
        review.src.len().max(1) as f64,
        review.tgt.len().max(1) as f64,
    );
    let scale = SIZE / n.max(m);
    let (width, height) = ((n * scale).max(40.0), (m * scale).max(40.0));
    let thin = (scale * 0.5).clamp(1.0, 4.0);
    let mut svg = String::with_capacity(200 + review.links.len() * 120);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"{w:.0}\" \
         height=\"{h:.0}\" viewBox=\"0 0 {w:.2} {h:.2}\" data-src=\"{src}\" data-tgt=\"{tgt}\" \
         data-links=\"{links}\">\n<rect x=\"0\" y=\"0\" width=\"{w:.2}\" height=\"{h:.2}\" \
         fill=\"#fbfbf8\" stroke=\"#888\" stroke-width=\"0.5\"/>\n",
        w = width,
        h = height,
        src = review.src.len(),
        tgt = review.tgt.len(),
        links = review.links.len()
    );
    // Doubtful stretches: one band per run of consecutive doubtful links.
    let mut run: Option<(usize, usize)> = None;
    let mut bands = Vec::new();
    for link in &review.links {
        if doubtful(link.status, link.score) {
            let end = link.src.end.max(link.src.start + 1);
            run = Some(match run {
                Some((start, _)) => (start, end),
                None => (link.src.start, end),
            });
        } else if let Some(r) = run.take() {
            bands.push(r);
        }
    }
    bands.extend(run);
    for (start, end) in bands {
        let _ = writeln!(
            svg,
            "<rect class=\"doubtful\" x=\"{:.2}\" y=\"0\" width=\"{:.2}\" height=\"{height:.2}\" \
             fill=\"#d32f2f\" fill-opacity=\"0.12\"/>",
            start as f64 * scale,
            ((end - start) as f64 * scale).max(thin)
        );
    }
    for link in &review.links {
        let x = link.src.start as f64 * scale;
        let y = link.tgt.start as f64 * scale;
        let w = (link.src.len() as f64 * scale).max(thin);
        let h = (link.tgt.len() as f64 * scale).max(thin);
        let _ = writeln!(
            svg,
            "<rect class=\"pt\" data-link-id=\"{id}\" x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" \
             height=\"{h:.2}\" fill=\"{fill}\"><title>link {id}: {kind}, {score:.2}, {status}</title></rect>",
            id = link.id,
            fill = colour(link.status, link.score),
            kind = link.kind(),
            score = link.score,
            status = link.status.name()
        );
    }
    svg.push_str("</svg>\n");
    svg
}
