//! The Usage pane and the headroom column in every state (snapshots at 80×24). The pure update
//! steps of usage (merging answers, `o`, `b`, the minute tick and the refresh after a switch)
//! are in `usage_update_tests.rs`, which shares the figures and helpers here. Every figure
//! here is made up; times are relative to the testkit's fixed clock.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::render;
use crate::tui::model::Model;
use crate::tui::msg::Msg;
use crate::tui::testkit::*;
use crate::usage::{AccountUsage, Credits, ErrorKind, Snapshot, Status, UsageError, Window};

pub(super) fn draw(m: &Model) -> String {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    term.draw(|f| render(m, f)).expect("draws");
    term.backend().to_string()
}

macro_rules! snap {
    ($name:expr, $text:expr) => {
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots",
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}
pub(super) use snap;

pub(super) fn now() -> i64 {
    t0().timestamp()
}

fn win(source: &str, main: bool, secs: i64, used: f64, reset_in: i64) -> Window {
    Window {
        source: source.into(),
        main,
        window_seconds: Some(secs),
        used_percent: used,
        resets_at: Some(now() + reset_in),
    }
}

pub(super) fn figures(name: Option<&str>, active: bool, snapshot: Snapshot) -> AccountUsage {
    AccountUsage {
        name: name.map(str::to_string),
        active,
        auth_mode: Some("chatgpt".into()),
        email: None,
        plan: Some("Pro".into()),
        status: Status::Ok,
        fetched_at: Some(now() - 180),
        snapshot: Some(snapshot),
        error: None,
        note: None,
    }
}

pub(super) fn five_weekly(p: f64, s: f64) -> Snapshot {
    Snapshot {
        windows: vec![
            win("primary", true, 18_000, p, 7_980),
            win("secondary", true, 604_800, s, 201_600),
        ],
        ..Snapshot::default()
    }
}

pub(super) fn reached() -> Snapshot {
    Snapshot {
        limit_reached: true,
        allowed: false,
        windows: vec![
            win("primary", true, 18_000, 100.0, 2_460),
            win("secondary", true, 604_800, 71.0, 302_400),
        ],
        ..Snapshot::default()
    }
}

fn failed(name: &str, kind: ErrorKind, retry: Option<u64>) -> AccountUsage {
    let mut e = UsageError::new(kind, "HTTP refused");
    e.retry_after_seconds = retry;
    AccountUsage {
        status: Status::Error,
        fetched_at: None,
        snapshot: None,
        error: Some(e),
        ..figures(Some(name), false, Snapshot::default())
    }
}

/// A ChatGPT login live as "work", the testkit's rows, and `answers` delivered.
pub(super) fn with_usage(answers: Vec<AccountUsage>) -> Model {
    let mut m = model();
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    // The start-up cache read (nothing cached), then the answers.
    let _ = send(
        &mut m,
        [
            Msg::UsageLoaded { rows: Vec::new() },
            Msg::UsageLoaded { rows: answers },
        ],
    );
    m
}

#[test]
fn usage_pane_five_hour_and_weekly_with_credits_and_column() {
    let mut work = five_weekly(42.0, 63.0);
    work.credits = Some(Credits {
        has_credits: true,
        unlimited: false,
        balance: Some("12.50".into()),
    });
    let m = with_usage(vec![
        figures(Some("work"), true, work),
        figures(Some("personal"), false, five_weekly(5.0, 20.0)),
    ]);
    let text = draw(&m);
    assert!(text.contains("Usage") && text.contains("5h") && text.contains("weekly"));
    assert!(text.contains("resets in 2h 13m") && text.contains("credits 12.50"));
    assert!(
        text.contains("37%") && text.contains("80%"),
        "headroom column"
    );
    snap!("usage_ok", text);
}

#[test]
fn usage_pane_limit_reached_and_additional_limit() {
    let mut s = reached();
    s.windows
        .push(win("codex-review", false, 86_400, 80.0, 40_000));
    let m = with_usage(vec![figures(Some("work"), true, s)]);
    let text = draw(&m);
    assert!(text.contains("limit reached — resets in 41m"), "{text}");
    assert!(text.contains("codex-review 1d"));
    snap!("usage_limit_reached", text);
}

#[test]
fn usage_pane_weekly_only_and_monthly() {
    let s = Snapshot {
        windows: vec![win("primary", true, 604_800, 20.0, 345_600)],
        ..Snapshot::default()
    };
    let m = with_usage(vec![
        figures(Some("work"), true, s),
        figures(
            Some("personal"),
            false,
            Snapshot {
                windows: vec![win("primary", true, 2_592_000, 55.0, 1_209_600)],
                ..Snapshot::default()
            },
        ),
    ]);
    let text = draw(&m);
    assert!(text.contains("weekly") && !text.contains("5h "));
    snap!("usage_weekly_only", text);
}

#[test]
fn usage_pane_errors_in_words() {
    let m = with_usage(vec![
        failed("work", ErrorKind::Unauthorized, None),
        failed("personal", ErrorKind::RateLimited, Some(30)),
    ]);
    let text = draw(&m);
    assert!(
        text.contains("token expired or rejected — not refreshed"),
        "{text}"
    );
    assert!(!text.contains("Signed out"));
    assert!(text.contains("err"), "the column marks a failed account");
    snap!("usage_unauthorized", text);
    let m = with_usage(vec![failed("work", ErrorKind::RateLimited, Some(30))]);
    assert!(draw(&m).contains("rate limited, retry in 30s"));
}

#[test]
fn usage_pane_cached_and_not_applicable() {
    let mut cached = figures(Some("work"), true, five_weekly(10.0, 10.0));
    cached.status = Status::Cached;
    let m = with_usage(vec![cached]);
    let text = draw(&m);
    assert!(text.contains("cached 3m ago"), "{text}");
    snap!("usage_cached", text);

    let mut m = model();
    load(&mut m, &api_key_live(), 1);
    list(&mut m, rows());
    let na = AccountUsage {
        status: Status::NotApplicable,
        snapshot: None,
        fetched_at: None,
        note: Some("API key accounts have no plan limits".into()),
        ..figures(None, true, Snapshot::default())
    };
    let _ = send(
        &mut m,
        [
            Msg::UsageLoaded { rows: Vec::new() },
            Msg::UsageLoaded { rows: vec![na] },
        ],
    );
    let text = draw(&m);
    assert!(text.contains("not applicable"), "{text}");
    snap!("usage_not_applicable", text);
}

#[test]
fn before_any_answer_the_task_pane_stays() {
    let mut m = model();
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    let text = draw(&m);
    assert!(!text.contains("Usage"), "{text}");
}

#[test]
fn extreme_figures_render_without_panicking() {
    let body = br#"{"rate_limit":{"primary_window":{"used_percent":1e308,
        "limit_window_seconds":-5,"reset_at":-9223372036854775808},
        "secondary_window":{"used_percent":-3,"reset_at":9223372036854775807}},
        "additional_rate_limits":[{"limit_name":"\u001b[2Jx","rate_limit":{"primary_window":{}}}]}"#;
    let snap = crate::usage::decode(body, now()).expect("decodes");
    let mut row = figures(Some("work"), true, snap);
    row.fetched_at = Some(i64::MIN);
    let m = with_usage(vec![row]);
    let text = draw(&m);
    assert!(text.contains("Usage") && !text.contains('\u{1b}'), "{text}");
}

/// An account with nothing cached and not asked yet (the start-up cache read) has an empty
/// headroom cell: "err" is for a failed answer only. The demo showed "err" on every ChatGPT
/// account until the first fetch.
#[test]
fn nothing_known_yet_is_an_empty_cell_not_an_error() {
    let unknown = AccountUsage {
        status: Status::Cached,
        fetched_at: None,
        snapshot: None,
        error: None,
        ..figures(Some("personal"), false, Snapshot::default())
    };
    let m = with_usage(vec![unknown, failed("work", ErrorKind::Unauthorized, None)]);
    let theme = super::theme::Theme::new(false);
    assert_eq!(super::usage::headroom_cell(&m, "personal", &theme), None);
    assert_eq!(
        super::usage::headroom_cell(&m, "work", &theme).map(|(text, _)| text),
        Some("err".to_string())
    );
}

/// A broken account file's row says `invalid`; its usage read can only have failed for the same
/// reason, so the row shows no `err` beside the flag (the demo's `corrupt` row showed both).
#[test]
fn a_broken_accounts_row_says_invalid_without_an_err_beside_it() {
    let m = with_usage(vec![failed("broken", ErrorKind::InvalidCredential, None)]);
    let text = draw(&m);
    let row = text
        .lines()
        .find(|l| l.contains("broken"))
        .expect("the broken account is listed");
    assert!(row.contains("invalid"), "{row}");
    assert!(!row.contains("err"), "{row}");
}

/// A live Agent Identity keeps its Task pane; the usage read with its registered task goes in
/// a Usage pane below it when the area is tall enough (100×32), and stays out at 80×24 (the
/// headroom column still shows it).
#[test]
fn a_live_agent_shows_its_usage_below_the_task_pane_when_there_is_room() {
    let mut m = super::tests::ready_agent();
    let _ = send(
        &mut m,
        [Msg::UsageLoaded {
            rows: vec![figures(Some("work"), true, five_weekly(42.0, 63.0))],
        }],
    );
    let draw_at = |w, h| {
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        term.draw(|f| render(&m, f)).expect("draws");
        term.backend().to_string()
    };
    let tall = draw_at(100, 32);
    assert!(
        tall.contains("✓ registered") && tall.contains("Usage"),
        "{tall}"
    );
    assert!(tall.contains("resets in"), "{tall}");
    snap!("usage_below_task", tall);
    let small = draw_at(80, 24);
    assert!(small.contains("✓ registered"), "{small}");
    assert!(!small.contains("Usage"), "no room at 80×24: {small}");
    assert!(small.contains("37%"), "the headroom column: {small}");
}
