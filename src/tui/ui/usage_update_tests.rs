//! The pure update steps of usage, at the key and message level: `o` sorts by headroom, `b`
//! picks the roomiest account, `u` and a switch refresh, the minute tick, merging a cached
//! answer, the one cache read, and a previewed account's cached figures. The figures and the
//! model come from `usage_tests.rs`, which draws the pane itself.

use super::usage_tests::{draw, figures, five_weekly, now, reached, snap, with_usage};
use crate::tui::model::{Model, Overlay};
use crate::tui::msg::{Effect, Msg, Op, SwitchPreview};
use crate::tui::testkit::*;
use crate::tui::usage::{Scope, SortBy};
use crate::usage::gather::Policy;
use crate::usage::{AccountUsage, Status};

#[test]
fn o_sorts_by_headroom_and_back() {
    let mut m = with_usage(vec![
        figures(Some("work"), true, five_weekly(90.0, 10.0)),
        figures(Some("zkey"), false, five_weekly(1.0, 1.0)),
        figures(Some("personal"), false, five_weekly(50.0, 1.0)),
    ]);
    let names = |m: &Model| -> Vec<String> {
        m.accounts
            .visible
            .iter()
            .map(|i| m.accounts.rows[*i].name.clone())
            .collect()
    };
    assert_eq!(names(&m), ["broken", "personal", "work", "zkey"]);
    let _ = send(&mut m, [key('o')]);
    assert_eq!(m.usage.sort, SortBy::Headroom);
    assert_eq!(names(&m), ["zkey", "personal", "work", "broken"]);
    snap!("usage_sorted_by_headroom", draw(&m));
    let _ = send(&mut m, [key('o')]);
    assert_eq!(names(&m), ["broken", "personal", "work", "zkey"]);
}

#[test]
fn b_opens_the_confirm_popup_for_the_roomiest_account_with_the_reason() {
    let mut m = with_usage(vec![
        figures(Some("work"), true, five_weekly(90.0, 10.0)),
        figures(Some("personal"), false, reached()),
        figures(Some("zkey"), false, five_weekly(30.0, 10.0)),
    ]);
    let fx = send(&mut m, [key('b')]);
    assert_eq!(
        fx,
        vec![Effect::PlanSwitch {
            name: "zkey".into()
        }]
    );
    let preview = SwitchPreview {
        name: "zkey".into(),
        ..SwitchPreview::default()
    };
    let _ = send(&mut m, [Msg::SwitchPlanned(Box::new(Ok(preview)))]);
    let Overlay::Confirm(p) = &m.overlay else {
        panic!("confirm popup expected: {:?}", m.overlay);
    };
    assert!(
        p.notes[0].contains("most usage headroom (70%)"),
        "{:?}",
        p.notes
    );
    snap!("usage_best_confirm", draw(&m));
}

#[test]
fn b_with_no_room_names_the_first_reset() {
    let mut m = with_usage(vec![
        figures(Some("work"), true, reached()),
        figures(Some("personal"), false, reached()),
    ]);
    assert!(send(&mut m, [key('b')]).is_empty());
    let status = m
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("all accounts are at their limit; the first to reset is personal, in 41m"),
        "{status}"
    );
    let mut m = with_usage(Vec::new());
    assert!(send(&mut m, [key('b')]).is_empty());
    assert!(m.status.as_ref().is_some_and(|s| s.text.contains("U asks")));
}

#[test]
fn u_refreshes_all_and_a_switch_refreshes_the_live_account() {
    let mut m = with_usage(Vec::new());
    let fx = send(&mut m, [key('U')]);
    assert_eq!(
        fx,
        vec![Effect::FetchUsage {
            scope: Scope::All,
            policy: Policy::Fetch,
            task: None
        }]
    );
    let fx = send(
        &mut m,
        [done(
            Op::Switch {
                name: "personal".into(),
            },
            Ok(()),
        )],
    );
    assert!(fx.contains(&Effect::FetchUsage {
        scope: Scope::Live,
        policy: Policy::ReuseYoungerThan(60),
        task: None
    }));
}

#[test]
fn the_minute_tick_only_refreshes_old_figures() {
    let mut m = with_usage(vec![figures(Some("work"), true, five_weekly(1.0, 1.0))]);
    assert_eq!(m.usage.in_flight, 0, "both start-up fetches answered");
    assert!(m.usage.wants_minute_tick(Some("work")));
    assert!(
        send(&mut m, [Msg::UsageMinute]).is_empty(),
        "asked at start, under 5 min ago"
    );
    m.now += chrono::Duration::minutes(6);
    assert_eq!(
        send(&mut m, [Msg::UsageMinute]),
        vec![Effect::FetchUsage {
            scope: Scope::Live,
            policy: Policy::ReuseYoungerThan(300),
            task: None
        }]
    );
}

#[test]
fn a_cached_answer_never_replaces_fresher_figures() {
    let mut m = with_usage(vec![figures(Some("work"), true, five_weekly(42.0, 1.0))]);
    let mut old = figures(Some("work"), true, five_weekly(99.0, 1.0));
    old.status = Status::Cached;
    old.fetched_at = Some(now() - 3_600);
    let _ = send(&mut m, [Msg::UsageLoaded { rows: vec![old] }]);
    let h = m.usage.by_name.get("work").and_then(AccountUsage::headroom);
    assert_eq!(h.map(f64::round), Some(58.0));
}

#[test]
fn the_cache_is_read_once_after_the_first_listing() {
    let mut m = model();
    let generation = m.accounts.generation;
    let first = send(
        &mut m,
        [Msg::StoreLoaded {
            generation,
            listing: Ok(rows()),
            previous: None,
        }],
    );
    assert_eq!(
        first,
        vec![Effect::FetchUsage {
            scope: Scope::All,
            policy: Policy::Offline,
            task: None
        }]
    );
    let again = send(
        &mut m,
        [Msg::StoreLoaded {
            generation,
            listing: Ok(rows()),
            previous: None,
        }],
    );
    assert!(again.is_empty());
}

#[test]
fn a_previewed_account_shows_its_cached_usage_without_a_fetch() {
    let mut m = with_usage(vec![
        figures(Some("work"), true, five_weekly(42.0, 63.0)),
        figures(Some("personal"), false, reached()),
    ]);
    let fx = send(&mut m, [key('g'), key('j')]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::FetchUsage { .. })),
        "the cache only: {fx:?}"
    );
    preview_read(
        &mut m,
        &account_doc(
            "personal",
            crate::codex::fixtures::chatgpt_doc(&crate::codex::fixtures::ChatgptSpec {
                email: "me@example.com",
                ..crate::codex::fixtures::ChatgptSpec::default()
            }),
        ),
    );
    let text = draw(&m);
    assert!(text.contains("Usage of personal") && text.contains("limit reached"));
    assert!(!text.contains("42%"), "not the live account's figures");
    snap!("preview_usage", text);
}
