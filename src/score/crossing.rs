//! Crossing links: sentences a translator moved out of order.
//!
//! The search is monotone, so a sentence moved a few places comes out as a 1-0 link on one
//! side and a 0-1 link on the other. [`pair_crossing`] pairs such sentences when they share
//! rare evidence (anchors weighing at least [`crate::align::Params::guide_anchor_weight`]: a
//! number, a name, a rare word) within [`WINDOW`] sentences of where the path passes, judged
//! by the pair's log-likelihood ratio against chance ([`CostModel::pair_log_ratio`]) less the
//! log of the number of unaligned sentences it was chosen among. The pair is written as an
//! ordinary link at the source sentence's place (alignment formats and `bitext eval` allow
//! links that cross).

use super::ScoredLink;
use crate::align::{CostModel, Link};

/// How far (in target sentences) from the path's position a moved sentence is looked for.
pub const WINDOW: usize = 10;

/// `scored` with unaligned source and target sentences paired where they share rare evidence
/// and the pair is more likely than not; each new link scored by the logistic of its log
/// odds, at the place of its source sentence's null link.
pub fn pair_crossing(model: &CostModel, scored: Vec<ScoredLink>) -> Vec<ScoredLink> {
    // (sentence, position on the other side, index of its null link)
    let mut sources = Vec::new();
    let mut targets = Vec::new();
    for (x, l) in scored.iter().enumerate() {
        match (l.link.src.len(), l.link.tgt.len()) {
            (1, 0) => sources.push((l.link.src.start, l.link.tgt.start, x)),
            (0, 1) => targets.push((l.link.tgt.start, l.link.src.start, x)),
            _ => {}
        }
    }
    if sources.is_empty() || targets.is_empty() {
        return scored;
    }
    let rare = f64::from(model.params().guide_anchor_weight);
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    // Targets are in document order: the ones near a position are one run of them.
    for (s, &(i, at, _)) in sources.iter().enumerate() {
        let from = targets.partition_point(|t| t.0 + WINDOW < at);
        let to = targets.partition_point(|t| t.0 <= at + WINDOW);
        let near = from..to.max(from);
        // Chosen among the sentences nearby and none of them.
        let choices = (near.len() + 1) as f64;
        for t in near {
            let j = targets[t].0;
            if model.shared_weight(i, j) < rare {
                continue;
            }
            let odds = model.pair_log_ratio(i, j) - choices.ln();
            if odds > 0.0 {
                candidates.push((odds, s, t));
            }
        }
    }
    if candidates.is_empty() {
        return scored;
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_s, mut used_t) = (vec![false; sources.len()], vec![false; targets.len()]);
    // Per link index: the link that replaces it (`Some`) or its removal (`None`).
    let mut replace: Vec<Option<Option<ScoredLink>>> = vec![None; scored.len()];
    for (odds, s, t) in candidates {
        if used_s[s] || used_t[t] {
            continue;
        }
        used_s[s] = true;
        used_t[t] = true;
        let (i, _, x) = sources[s];
        let (j, _, y) = targets[t];
        replace[x] = Some(Some(ScoredLink {
            link: Link {
                src: i..i + 1,
                tgt: j..j + 1,
            },
            score: 1.0 / (1.0 + (-odds).exp()),
        }));
        replace[y] = Some(None);
    }
    scored
        .into_iter()
        .zip(replace)
        .filter_map(|(link, with)| match with {
            None => Some(link),
            Some(new) => new,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{self, CostModel};
    use crate::read::Document;
    use crate::split;
    use crate::Lang;

    fn lines(text: &str) -> split::SplitDocument {
        split::lines(Document::from_text("t", text))
    }

    #[test]
    fn a_moved_sentence_is_linked_where_it_went() {
        // The Russian moves the sentence about 1,250 tonnes two places up.
        let en = lines(
            "The meeting opened in Beijing on 14 May.\n\
             Delegates from 8 countries and 3 agencies attended.\n\
             Mr Zhang presented the 2016 report of the SCO.\n\
             Police seized 1,250 tonnes of heroin in 2017.\n\
             The next meeting will be held in Moscow on 20 June.\n",
        );
        let ru = lines(
            "Совещание открылось в Пекине 14 мая.\n\
             В 2017 году полиция изъяла 1250 тонн героина.\n\
             На нём присутствовали делегаты 8 стран и 3 ведомств.\n\
             Г-н Чжан представил доклад ШОС за 2016 год.\n\
             Следующее совещание пройдёт в Москве 20 июня.\n",
        );
        let options = align::Options::default();
        let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &options);
        let scored = crate::score::align_and_score(&model, None);
        let crossed = pair_crossing(&model, scored);
        let links: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = crossed
            .iter()
            .map(|l| (l.link.src.clone(), l.link.tgt.clone()))
            .collect();
        assert!(links.contains(&(3..4, 1..2)), "{links:?}");
        let moved = crossed
            .iter()
            .find(|l| l.link.src == (3..4))
            .expect("linked");
        assert!(moved.score > 0.5, "{}", moved.score);
        // Every sentence is still in exactly one link.
        let mut src: Vec<usize> = crossed.iter().flat_map(|l| l.link.src.clone()).collect();
        let mut tgt: Vec<usize> = crossed.iter().flat_map(|l| l.link.tgt.clone()).collect();
        src.sort_unstable();
        tgt.sort_unstable();
        assert_eq!(src, (0..5).collect::<Vec<_>>());
        assert_eq!(tgt, (0..5).collect::<Vec<_>>());
    }

    #[test]
    fn nothing_changes_without_unaligned_sentences_on_both_sides() {
        let en = lines("One sentence here.\nAnother one there.\n");
        let ru = lines("Одно предложение здесь.\nЕщё одно там.\n");
        let options = align::Options::default();
        let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &options);
        let scored = crate::score::align_and_score(&model, None);
        let before: Vec<Link> = scored.iter().map(|l| l.link.clone()).collect();
        let after: Vec<Link> = pair_crossing(&model, scored)
            .into_iter()
            .map(|l| l.link)
            .collect();
        assert_eq!(before, after);
    }
}
