//! Property tests of the time model.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use chrono::{Days, NaiveDate};
use interlock_model::time::{Certainty, DateRange, Edtf, Interval};
use proptest::prelude::*;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(offset))
        .unwrap()
}

/// A calendar date in EDTF, from level 0 to the level-2 forms we accept.
fn calendar_date() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        (1900u32..2100).prop_map(|y| format!("{y:04}")),
        (190u32..210).prop_map(|y| format!("{y:03}X")),
        (19u32..21).prop_map(|y| format!("{y:02}XX")),
    ];
    let tail = prop_oneof![
        Just(String::new()),
        (1u32..=12).prop_map(|m| format!("-{m:02}")),
        (21u32..=41).prop_map(|m| format!("-{m:02}")),
        Just("-XX".to_string()),
        ((1u32..=12), (1u32..=28)).prop_map(|(m, d)| format!("-{m:02}-{d:02}")),
        (1u32..=12).prop_map(|m| format!("-{m:02}-XX")),
    ];
    let qualifier = prop_oneof![Just(""), Just("?"), Just("~"), Just("%")];
    (year, tail, qualifier).prop_map(|(y, t, q)| format!("{y}{t}{q}"))
}

fn edtf_text() -> impl Strategy<Value = String> {
    let end = prop_oneof![
        3 => calendar_date(),
        1 => Just(String::new()),
        1 => Just("..".to_string()),
        1 => calendar_date().prop_map(|d| format!("[..{d}]")),
        1 => calendar_date().prop_map(|d| format!("[{d}..]")),
    ];
    prop_oneof![
        calendar_date(),
        calendar_date().prop_map(|d| format!("[..{d}]")),
        (calendar_date(), calendar_date()).prop_map(|(a, b)| format!("{{{a},{b}}}")),
        (end.clone(), end).prop_map(|(a, b)| format!("{a}/{b}")),
    ]
}

/// An interval from day offsets: start range and end range.
fn interval() -> impl Strategy<Value = Interval> {
    (0u64..3000, 0u64..400, 0u64..3000, 0u64..400).prop_filter_map(
        "end before start",
        |(s, sw, e, ew)| {
            let start = DateRange::new(day(s), day(s + sw))?;
            let end = DateRange::new(day(e), day(e + ew))?;
            Interval::new(start, end)
        },
    )
}

fn window() -> impl Strategy<Value = DateRange> {
    (0u64..3500, 0u64..200).prop_map(|(a, w)| DateRange::new(day(a), day(a + w)).unwrap())
}

proptest! {
    #[test]
    fn parse_display_parse_round_trips(text in edtf_text()) {
        if let Ok(first) = Edtf::parse(&text) {
            let shown = first.to_string();
            let again = Edtf::parse(&shown).unwrap_or_else(|e| panic!("{text} -> {shown}: {e}"));
            prop_assert_eq!(first, again);
        }
    }

    #[test]
    fn every_generated_level1_date_parses(text in calendar_date()) {
        let parsed = Edtf::parse(&text);
        // Only impossible calendar days (none generated) may fail.
        prop_assert!(parsed.is_ok(), "{}: {:?}", text, parsed.err());
    }

    #[test]
    fn definitely_is_sound_and_no_is_sound(i in interval(), s_pick in 0u64..400, e_pick in 0u64..400, t in 0u64..3500) {
        // A concrete reading of the interval: a start and an end inside their ranges.
        let pick = |r: &DateRange, k: u64| {
            let width = (r.latest - r.earliest).num_days() as u64;
            r.earliest.checked_add_days(Days::new(k % (width + 1))).unwrap()
        };
        let s = pick(&i.start, s_pick);
        let e_candidate = pick(&i.end, e_pick);
        prop_assume!(s <= e_candidate);
        let t = day(t);
        let holds = s <= t && t <= e_candidate;
        match i.at(t) {
            Certainty::Definitely => prop_assert!(holds),
            Certainty::No => prop_assert!(!holds),
            Certainty::Possibly => {}
        }
    }

    #[test]
    fn definitely_implies_possibly_in_wider_windows(i in interval(), w in window(), widen in 0u64..100) {
        let wider = DateRange::new(
            w.earliest.checked_sub_days(Days::new(widen)).unwrap(),
            w.latest.checked_add_days(Days::new(widen)).unwrap(),
        ).unwrap();
        prop_assert!(i.during(&wider) >= i.during(&w));
        prop_assert!(i.during(&w) >= i.throughout(&w));
        if i.during(&w) == Certainty::Definitely {
            prop_assert!(i.possible_span().earliest <= w.latest);
        }
    }

    #[test]
    fn intersection_is_commutative(a in interval(), b in interval()) {
        prop_assert_eq!(a.intersect(&b), b.intersect(&a));
    }

    #[test]
    fn intersection_is_associative(a in interval(), b in interval(), c in interval()) {
        let left = a.intersect(&b).and_then(|ab| ab.intersect(&c));
        let right = b.intersect(&c).and_then(|bc| a.intersect(&bc));
        prop_assert_eq!(left, right);
    }

    #[test]
    fn a_chain_is_never_surer_than_its_links(a in interval(), b in interval(), t in 0u64..3500, w in window()) {
        let t = day(t);
        match a.intersect(&b) {
            Some(joint) => {
                prop_assert_eq!(joint.at(t), a.at(t).min(b.at(t)));
                prop_assert!(joint.during(&w) <= a.during(&w).min(b.during(&w)));
            }
            None => {
                prop_assert!(a.at(t).min(b.at(t)) == Certainty::No);
            }
        }
    }

    #[test]
    fn day_precise_intervals_answer_exactly(a in 0u64..3000, len in 0u64..500, t in 0u64..3500, w in window()) {
        let i = Interval::days(day(a), day(a + len)).unwrap();
        let t = day(t);
        let expected = if day(a) <= t && t <= day(a + len) { Certainty::Definitely } else { Certainty::No };
        prop_assert_eq!(i.at(t), expected);
        let overlaps = day(a) <= w.latest && w.earliest <= day(a + len);
        prop_assert_eq!(i.during(&w), if overlaps { Certainty::Definitely } else { Certainty::No });
    }
}
