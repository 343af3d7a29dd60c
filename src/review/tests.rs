//! Tests of the review model: every operation, undo, the state round trip, the export.

use super::*;
use crate::formats::Format;

fn unit(src: Range<usize>, tgt: Range<usize>, score: f64) -> TranslationUnit {
    TranslationUnit {
        src_ids: src,
        tgt_ids: tgt,
        src: String::new(),
        tgt: String::new(),
        score,
    }
}

/// Four source and four target sentences: 1-1, 2-1, 0-1, 1-1.
fn sample() -> Review {
    let src = ["A.", "B.", "C.", "D."].map(String::from).to_vec();
    let tgt = ["А.", "БВ.", "Г.", "Д."].map(String::from).to_vec();
    let units = [
        unit(0..1, 0..1, 0.99),
        unit(1..3, 1..2, 0.4),
        unit(3..3, 2..3, 0.2),
        unit(3..4, 3..4, 0.95),
    ];
    Review::new(src, tgt, &units, ("a.en", "a.ru"), ("en-US", "ru-RU")).expect("valid")
}

fn shape(r: &Review) -> Vec<(Range<usize>, Range<usize>)> {
    r.links
        .iter()
        .map(|l| (l.src.clone(), l.tgt.clone()))
        .collect()
}

#[test]
fn merge_joins_two_links_and_undo_restores_them() {
    let mut r = sample();
    let before = r.clone();
    let patch = r.apply(&Op::Merge { id: 1 }).expect("merged");
    assert_eq!((patch.at, patch.remove, patch.links.len()), (1, 2, 1));
    assert_eq!(shape(&r)[1], (1..3, 1..3));
    assert_eq!(r.text(&r.links[1], Side::Tgt), "БВ. Г.");
    assert!((r.links[1].score - 0.2).abs() < 1e-9);
    r.check().expect("invariant");
    let undo = r.apply(&Op::Undo).expect("undone");
    assert_eq!((undo.at, undo.remove, undo.links.len()), (1, 1, 2));
    assert_eq!(r.links, before.links);
    assert_eq!(r.apply(&Op::Undo), Err(Refused("nothing to undo".into())));
    assert!(r.apply(&Op::Merge { id: 3 }).is_err(), "the last link");
}

#[test]
fn split_takes_one_sentence_per_side_by_default() {
    let mut r = sample();
    r.apply(&Op::Split {
        id: 1,
        src_at: None,
        tgt_at: None,
    })
    .expect("split");
    assert_eq!(shape(&r)[1..3], [(1..2, 1..2), (2..3, 2..2)]);
    assert_eq!(r.links[1].id, 1);
    assert_eq!(r.links[2].id, 4, "a fresh id");
    r.check().expect("invariant");
    // A 1-1 link becomes 1-0 and 0-1; a 0-1 link cannot be split.
    r.apply(&Op::Split {
        id: 0,
        src_at: None,
        tgt_at: None,
    })
    .expect("split 1-1");
    assert_eq!(shape(&r)[0..2], [(0..1, 0..0), (1..1, 0..1)]);
    assert!(r
        .apply(&Op::Split {
            id: 2,
            src_at: None,
            tgt_at: None
        })
        .is_err());
    assert!(r
        .apply(&Op::Split {
            id: 1,
            src_at: Some(5),
            tgt_at: Some(0)
        })
        .is_err());
    r.check().expect("invariant");
    r.apply(&Op::Undo).expect("undo");
    r.apply(&Op::Undo).expect("undo");
    assert_eq!(r.links, sample().links);
}

#[test]
fn move_gives_a_sentence_to_a_neighbour_and_drops_emptied_links() {
    let mut r = sample();
    r.apply(&Op::Move {
        id: 1,
        side: Side::Src,
        to: Direction::Next,
    })
    .expect("moved");
    assert_eq!(shape(&r)[1..3], [(1..2, 1..2), (2..3, 2..3)]);
    r.check().expect("invariant");
    // The 0-1 link's only target sentence goes to the previous link: it disappears.
    let mut r = sample();
    let patch = r
        .apply(&Op::Move {
            id: 2,
            side: Side::Tgt,
            to: Direction::Prev,
        })
        .expect("moved");
    assert_eq!(patch.links.len(), 1);
    assert_eq!(shape(&r), [(0..1, 0..1), (1..3, 1..3), (3..4, 3..4)]);
    r.check().expect("invariant");
    assert!(r
        .apply(&Op::Move {
            id: 0,
            side: Side::Src,
            to: Direction::Prev
        })
        .is_err());
    r.apply(&Op::Undo).expect("undo");
    assert_eq!(r.links, sample().links);
}

#[test]
fn status_edit_and_comment_are_undoable() {
    let mut r = sample();
    r.apply(&Op::Accept { id: 0 }).expect("accept");
    r.apply(&Op::Reject { id: 2 }).expect("reject");
    r.apply(&Op::Edit {
        id: 3,
        side: Side::Tgt,
        text: " Д!  ".into(),
    })
    .expect("edit");
    r.apply(&Op::Comment {
        id: 3,
        text: "punctuation".into(),
    })
    .expect("comment");
    assert_eq!(r.links[0].status, Status::Accepted);
    assert_eq!(r.links[2].status, Status::Rejected);
    assert_eq!(r.text(&r.links[3], Side::Tgt), "Д!");
    assert_eq!(r.links[3].comment, "punctuation");
    // An edited link is not split until the edit is undone; an edit back to the sentence's
    // own text is no edit.
    assert!(r
        .apply(&Op::Split {
            id: 3,
            src_at: None,
            tgt_at: None
        })
        .is_err());
    r.apply(&Op::Edit {
        id: 3,
        side: Side::Tgt,
        text: "Д.".into(),
    })
    .expect("edit back");
    assert_eq!(r.links[3].tgt_text, None);
    assert!(r
        .apply(&Op::Edit {
            id: 3,
            side: Side::Src,
            text: "x".repeat(MAX_TEXT_BYTES + 1)
        })
        .is_err());
    assert!(r.apply(&Op::Accept { id: 99 }).is_err());
    assert!(
        r.apply(&Op::Edit {
            id: 2,
            side: Side::Src,
            text: "no sentence".into()
        })
        .is_err(),
        "the 0-1 link has no source sentence to edit"
    );
    for _ in 0..5 {
        r.apply(&Op::Undo).expect("undo");
    }
    assert_eq!(r.links, sample().links);
}

#[test]
fn merging_edited_links_keeps_the_edited_text() {
    let mut r = sample();
    r.apply(&Op::Edit {
        id: 0,
        side: Side::Src,
        text: "AA.".into(),
    })
    .expect("edit");
    r.apply(&Op::Merge { id: 0 }).expect("merge");
    assert_eq!(r.links[0].src_text.as_deref(), Some("AA. B. C."));
    assert_eq!(r.links[0].tgt_text, None);
}

#[test]
fn the_state_round_trips_with_its_undo_history() {
    let mut r = sample();
    r.apply(&Op::Merge { id: 0 }).expect("merge");
    r.apply(&Op::Comment {
        id: 3,
        text: "«quoted» \"text\"".into(),
    })
    .expect("comment");
    r.export.output = Some("out.tmx".into());
    let json = r.to_json().expect("json");
    let mut back = Review::from_json("state", &json).expect("read back");
    assert_eq!(back, r);
    back.apply(&Op::Undo).expect("undo comment");
    back.apply(&Op::Undo).expect("undo merge");
    assert_eq!(back.links, sample().links);
}

#[test]
fn a_broken_state_is_refused() {
    let json = sample().to_json().expect("json");
    for (from, to) in [
        ("\"version\":1", "\"version\":2"),
        ("\"start\":3,\"end\":4", "\"start\":2,\"end\":4"),
        ("\"score\":0.99", "\"score\":\"x\""),
    ] {
        let broken = json.replacen(from, to, 1);
        assert_ne!(broken, json, "{from}");
        assert!(Review::from_json("s", &broken).is_err(), "{to}");
    }
    assert!(Review::from_json("s", "{").is_err());
    assert!(Review::from_json("s", "").is_err());
}

#[test]
fn operations_arrive_as_json() {
    let op: Op =
        serde_json::from_str(r#"{"op":"move","id":2,"side":"tgt","to":"prev"}"#).expect("op");
    assert_eq!(
        op,
        Op::Move {
            id: 2,
            side: Side::Tgt,
            to: Direction::Prev
        }
    );
    let op: Op = serde_json::from_str(r#"{"op":"split","id":2}"#).expect("op");
    assert!(matches!(op, Op::Split { id: 2, .. }));
    assert!(serde_json::from_str::<Op>(r#"{"op":"explode","id":2}"#).is_err());
    assert!(serde_json::from_str::<Op>(r#"{"op":"merge"}"#).is_err());
}

#[test]
fn export_leaves_rejected_links_out_and_marks_the_status() {
    let mut r = sample();
    r.apply(&Op::Accept { id: 0 }).expect("accept");
    r.apply(&Op::Reject { id: 3 }).expect("reject");
    r.apply(&Op::Comment {
        id: 1,
        text: "check".into(),
    })
    .expect("comment");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.tmx");
    let options = ExportOptions::default();
    let written = r
        .export(&path, &options, &[], OutputPolicy::default())
        .expect("export");
    assert_eq!(written.units, 2, "0-1 never in TMX, link 3 rejected");
    let tmx = std::fs::read_to_string(&path).expect("written");
    assert!(
        tmx.contains(r#"<prop type="x-status">accepted</prop>"#),
        "{tmx}"
    );
    assert!(
        tmx.contains(r#"<prop type="x-status">unreviewed</prop>"#),
        "{tmx}"
    );
    assert!(!tmx.contains("rejected"), "{tmx}");
    assert!(tmx.contains("<note>check</note>"), "{tmx}");
    assert!(!tmx.contains("Д."), "{tmx}");
    // CSV keeps the status in its props column.
    let csv_path = dir.path().join("out.csv");
    let csv_options = ExportOptions {
        format: Format::Csv,
        ..ExportOptions::default()
    };
    r.export(&csv_path, &csv_options, &[], OutputPolicy::default())
        .expect("csv");
    let csv = std::fs::read_to_string(&csv_path).expect("written");
    assert!(csv.contains("x-status"), "{csv}");
    // Never over an input.
    assert!(r
        .export(&path, &options, &[&path], OutputPolicy::default())
        .is_err());
}

#[test]
fn the_plot_has_a_point_per_link_and_marks_doubtful_runs() {
    let r = sample();
    let svg = plot::render_svg(&r);
    assert_eq!(svg.matches("class=\"pt\"").count(), r.links.len());
    assert_eq!(svg.matches("class=\"doubtful\"").count(), 1, "{svg}");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for id in 0..4 {
        assert!(svg.contains(&format!("data-link-id=\"{id}\"")));
    }
}

#[test]
fn the_workbook_round_trips_into_a_review() {
    let mut r = sample();
    r.apply(&Op::Reject { id: 1 }).expect("reject");
    r.apply(&Op::Edit {
        id: 3,
        side: Side::Src,
        text: "=D1*2".into(),
    })
    .expect("edit");
    let book = r.workbook();
    assert_eq!(book.rows.len(), 4, "rejected rows stay in the sheet");
    let mut bytes = Vec::new();
    xlsx::write(&mut bytes, &book).expect("written");
    let back = xlsx::read(&bytes, Path::new("r.xlsx")).expect("read");
    let resumed = Review::from_workbook(&back, "r.xlsx", ("en", "ru")).expect("review");
    assert_eq!(resumed.links.len(), 4);
    assert_eq!(resumed.links[1].status, Status::Rejected);
    assert_eq!(resumed.text(&resumed.links[3], Side::Src), "=D1*2");
    assert_eq!(resumed.links[2].src.len(), 0, "the 0-1 link stays 0-1");
    assert_eq!(resumed.src_tag, "en-US");
    let (units, _) = resumed.units();
    assert_eq!(units.len(), 3);
    let mut bad = back.clone();
    bad.rows[0].status = "maybe".into();
    assert!(Review::from_workbook(&bad, "r.xlsx", ("en", "ru")).is_err());
}

#[test]
fn a_damaged_undo_history_is_refused_not_applied() {
    let mut r = sample();
    r.apply(&Op::Merge { id: 0 }).expect("merge");
    let json = r.to_json().expect("json");
    // The recorded merge now claims to have replaced a link at position 2.
    let broken = json.replacen(r#""undo":[{"at":0,"#, r#""undo":[{"at":2,"#, 1);
    assert_ne!(broken, json);
    let mut back = Review::from_json("s", &broken).expect("loads");
    let before = back.links.clone();
    assert!(back.apply(&Op::Undo).is_err());
    assert_eq!(back.links, before);
    back.check().expect("still consistent");
}

#[test]
fn undo_history_stays_consistent_after_merges_shrink_the_links() {
    // Regression (fuzz, review_state): the invariant asked each recorded change to fit the
    // current links, but a change made before later merges refers to a longer list: it only
    // has to fit once the later changes are undone. These operations broke the old check.
    let state = r#"{"version":1,"src_name":"a.en","tgt_name":"a.ru","src_tag":"en-US","tgt_tag":"ru-RU","src":["A.","B.","C."],"tgt":["X.","Y."],"links":[{"id":0,"src":{"start":0,"end":1},"tgt":{"start":0,"end":1},"score":0.9,"status":"unreviewed"},{"id":1,"src":{"start":1,"end":3},"tgt":{"start":1,"end":2},"score":0.4,"status":"accepted","comment":"c"}],"export":{"output":null,"format":null},"next_id":2,"tgt:undo":[]}"#;
    let mut review = Review::from_json("fuzz", state).expect("a valid state");
    let original = review.links.clone();
    let ops: &[u8] = &[
        0, 1, 1, 1, 255, 255, 255, 2, 111, 0, 101, 34, 58, 48, 46, 57, 44, 34, 115, 116, 97, 116,
        117, 115, 34, 58, 34, 117, 110, 114, 101, 118, 105, 101, 119, 101, 100, 34, 125, 44, 123,
        34, 105, 100, 34, 58, 49, 44, 34, 115, 114, 99, 34, 58, 133, 34, 115, 116, 97, 114, 116,
        34, 58, 49, 44, 34, 101, 110, 100, 34, 58, 51, 125, 44, 34, 116, 103, 116, 34, 58, 123, 34,
        115, 116, 97, 114, 116, 34, 58, 49, 44, 34, 101, 110, 100, 34, 58, 50, 125, 17, 0, 3,
    ];
    let mut applied = 0;
    for pair in ops.chunks(2).take(64) {
        let (kind, arg) = (pair[0], u64::from(*pair.get(1).unwrap_or(&0)));
        let id = review
            .links
            .get(arg as usize % review.links.len().max(1))
            .map_or(arg, |l| l.id);
        let side = if kind & 16 == 0 { Side::Src } else { Side::Tgt };
        let to = if kind & 32 == 0 {
            Direction::Prev
        } else {
            Direction::Next
        };
        let op = match kind % 8 {
            0 => Op::Merge { id },
            1 => Op::Split {
                id,
                src_at: None,
                tgt_at: None,
            },
            2 => Op::Move { id, side, to },
            3 => Op::Accept { id },
            4 => Op::Reject { id },
            5 => Op::Edit {
                id,
                side,
                text: "x".into(),
            },
            6 => Op::Comment {
                id,
                text: "c".into(),
            },
            _ => Op::Split {
                id,
                src_at: Some(1),
                tgt_at: Some(0),
            },
        };
        if review.apply(&op).is_ok() {
            applied += 1;
        }
        review.check().expect("operations keep the invariant");
    }
    for _ in 0..applied {
        review.apply(&Op::Undo).expect("undo");
    }
    assert_eq!(review.links, original);
}
