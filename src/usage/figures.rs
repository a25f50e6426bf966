//! Derived figures: labels, remaining share, headroom, resets, and the best pick.
//!
//! * A window is labelled by its **length**, never by its slot: free and some paid plans have a
//!   single weekly window in the primary slot, and monthly windows exist.
//! * remaining = 100 − used, clamped to 0…100.
//! * **Headroom** = the smallest remaining share over the main windows; 0 when the limit is
//!   reached or requests are not allowed; 100 when no main window limits the account.
//!   Additional (per-feature) limits are shown but do not enter headroom.
//! * The reset that lifts a block = the earliest `resets_at` among main windows at 100 % (or, when
//!   the server says the limit is reached without such a window, the earliest main reset).
//! * Best pick: most headroom; ties go to the earliest main-window reset, then to the live
//!   account (a switch that gains nothing is not made), then the name.

use std::cmp::Ordering;

use super::{Snapshot, UsageError, Window};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// `5h`, `weekly`, `monthly`, or a compact duration (`3h`, `2d`, `90m`).
pub fn window_label(seconds: Option<i64>) -> String {
    match seconds {
        None => "window".to_string(),
        Some(18_000) => "5h".to_string(),
        Some(604_800) => "weekly".to_string(),
        Some(s) if s >= 25 * DAY => "monthly".to_string(),
        Some(s) if s <= 0 => "window".to_string(),
        Some(s) if s % DAY == 0 => format!("{}d", s / DAY),
        Some(s) if s % HOUR == 0 => format!("{}h", s / HOUR),
        Some(s) if s % 60 == 0 => format!("{}m", s / 60),
        Some(s) => format!("{s}s"),
    }
}

/// `45s`, `41m`, `2h 13m`, `3d 4h`.
pub fn compact_duration(seconds: u64) -> String {
    let s = seconds;
    if s < 60 {
        format!("{s}s")
    } else if s < 3_600 {
        format!("{}m", s / 60)
    } else if s < 86_400 {
        let (h, m) = (s / 3_600, (s % 3_600) / 60);
        if m == 0 {
            format!("{h}h")
        } else {
            format!("{h}h {m}m")
        }
    } else {
        let (d, h) = (s / 86_400, (s % 86_400) / 3_600);
        if h == 0 {
            format!("{d}d")
        } else {
            format!("{d}d {h}h")
        }
    }
}

/// 100 − used, clamped to 0…100.
pub fn remaining(w: &Window) -> f64 {
    (100.0 - w.used_percent).clamp(0.0, 100.0)
}

/// Whether a window is used up.
pub fn exhausted(w: &Window) -> bool {
    w.used_percent >= 100.0
}

/// The headroom of an account (see the module docs).
pub fn headroom(s: &Snapshot) -> f64 {
    if s.limit_reached || !s.allowed {
        return 0.0;
    }
    s.windows
        .iter()
        .filter(|w| w.main)
        .map(remaining)
        .fold(100.0, f64::min)
}

/// Whether the account is blocked now (no headroom).
pub fn blocked(s: &Snapshot) -> bool {
    headroom(s) <= 0.0
}

/// The reset that would lift a block (see the module docs); `None` when not blocked or unknown.
pub fn next_reset(s: &Snapshot) -> Option<i64> {
    if !blocked(s) {
        return None;
    }
    let main = || s.windows.iter().filter(|w| w.main);
    main()
        .filter(|w| exhausted(w))
        .filter_map(|w| w.resets_at)
        .min()
        .or_else(|| main().filter_map(|w| w.resets_at).min())
}

/// The earliest reset among the main windows (the tie-break of the best pick).
pub fn earliest_reset(s: &Snapshot) -> Option<i64> {
    s.windows
        .iter()
        .filter(|w| w.main)
        .filter_map(|w| w.resets_at)
        .min()
}

/// One account considered by the best pick.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub name: String,
    /// `None` when the account has no figures (then `skipped` says why).
    pub headroom: Option<f64>,
    /// The earliest main-window reset (tie-break).
    pub earliest_reset: Option<i64>,
    /// The reset that lifts a block, for accounts at their limit.
    pub next_reset: Option<i64>,
    /// Why the account cannot be picked; `None` when it can.
    pub skipped: Option<Skip>,
    /// It is the live account.
    pub active: bool,
}

impl Candidate {
    /// A candidate from an account's figures.
    pub fn from_snapshot(name: &str, s: &Snapshot) -> Self {
        Self {
            name: name.to_string(),
            headroom: Some(headroom(s)),
            earliest_reset: earliest_reset(s),
            next_reset: next_reset(s),
            skipped: None,
            active: false,
        }
    }

    /// Marks the live account (it wins a full tie).
    #[must_use]
    pub fn live(mut self, active: bool) -> Self {
        self.active = active;
        self
    }

    /// A candidate that cannot be picked.
    pub fn skipped(name: &str, why: Skip) -> Self {
        Self {
            name: name.to_string(),
            headroom: None,
            earliest_reset: None,
            next_reset: None,
            skipped: Some(why),
            active: false,
        }
    }
}

/// Why an account cannot be picked. A fact, not a sentence: each face words it its own way
/// (`switch --best` lists it; the TUI only counts the accounts that were not skipped).
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// The account file is not a usable credential (the store's description of the problem).
    Invalid(String),
    /// The plan has no usage limits to measure (the server's note, when it gave one).
    NotApplicable(Option<String>),
    /// Reading the figures failed (why, when it is known).
    Failed(Option<UsageError>),
    /// No figures are known yet: none fetched, none cached.
    NoFigures,
}

/// The outcome of the best pick.
#[derive(Debug, Clone, PartialEq)]
pub enum BestPick {
    /// The index (into the candidates) of the account with the most room.
    Picked(usize),
    /// Every account with figures is at its limit: the first to reset, when known.
    NoRoom { soonest: Option<(String, i64)> },
    /// No account has figures at all.
    NoCandidates,
}

/// Headroom on a 0.1 % grid, so that float noise does not break ties.
fn grid(h: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let g = (h * 10.0).round() as i64;
    g
}

/// `Less` when `a` is the better pick.
fn better(a: &Candidate, b: &Candidate) -> Ordering {
    let room = |c: &Candidate| grid(c.headroom.unwrap_or(0.0));
    room(b)
        .cmp(&room(a))
        .then_with(|| match (a.earliest_reset, b.earliest_reset) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| b.active.cmp(&a.active))
        .then_with(|| a.name.cmp(&b.name))
}

/// Picks the account with the most room (see the module docs).
pub fn pick_best(candidates: &[Candidate]) -> BestPick {
    let usable: Vec<(usize, &Candidate)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.skipped.is_none() && c.headroom.is_some())
        .collect();
    if usable.is_empty() {
        return BestPick::NoCandidates;
    }
    let with_room = usable
        .iter()
        .filter(|(_, c)| grid(c.headroom.unwrap_or(0.0)) > 0)
        .min_by(|(_, a), (_, b)| better(a, b));
    if let Some((i, _)) = with_room {
        return BestPick::Picked(*i);
    }
    let soonest = usable
        .iter()
        .filter_map(|(_, c)| c.next_reset.map(|t| (c.name.clone(), t)))
        .min_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    BestPick::NoRoom { soonest }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    fn w(main: bool, secs: i64, used: f64, reset: Option<i64>) -> Window {
        Window {
            source: if main { "primary" } else { "extra" }.into(),
            main,
            window_seconds: Some(secs),
            used_percent: used,
            resets_at: reset,
        }
    }

    fn snap(windows: Vec<Window>) -> Snapshot {
        Snapshot {
            windows,
            ..Snapshot::default()
        }
    }

    #[test]
    fn labels_follow_length_not_slot() {
        assert_eq!(window_label(Some(18_000)), "5h");
        assert_eq!(window_label(Some(604_800)), "weekly");
        assert_eq!(window_label(Some(25 * DAY)), "monthly");
        assert_eq!(window_label(Some(31 * DAY)), "monthly");
        assert_eq!(window_label(Some(25 * DAY - 1)), "2159999s");
        assert_eq!(window_label(Some(3 * HOUR)), "3h");
        assert_eq!(window_label(Some(2 * DAY)), "2d");
        assert_eq!(window_label(Some(5_400)), "90m");
        assert_eq!(window_label(None), "window");
        assert_eq!(window_label(Some(0)), "window");
        // A weekly window in the primary slot is still "weekly".
        let s = snap(vec![w(true, 604_800, 10.0, None)]);
        assert_eq!(window_label(s.windows[0].window_seconds), "weekly");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(compact_duration(30), "30s");
        assert_eq!(compact_duration(41 * 60 + 5), "41m");
        assert_eq!(compact_duration(2 * 3600 + 13 * 60), "2h 13m");
        assert_eq!(compact_duration(7200), "2h");
        assert_eq!(compact_duration(3 * 86_400 + 4 * 3600), "3d 4h");
    }

    #[test]
    fn headroom_is_the_smallest_main_remaining() {
        let s = snap(vec![
            w(true, 18_000, 42.0, Some(10)),
            w(true, 604_800, 63.0, Some(20)),
            w(false, 3_600, 99.0, Some(5)),
        ]);
        assert_eq!(headroom(&s), 37.0);
        assert_eq!(next_reset(&s), None);
        assert_eq!(earliest_reset(&s), Some(10));
        assert_eq!(headroom(&snap(vec![])), 100.0);
        assert_eq!(headroom(&snap(vec![w(true, 1, 140.0, None)])), 0.0);
        assert_eq!(headroom(&snap(vec![w(true, 1, -5.0, None)])), 100.0);
        let reached = Snapshot {
            limit_reached: true,
            ..snap(vec![w(true, 18_000, 20.0, Some(99))])
        };
        assert_eq!(headroom(&reached), 0.0);
        assert_eq!(next_reset(&reached), Some(99));
        let denied = Snapshot {
            allowed: false,
            ..snap(vec![])
        };
        assert_eq!(headroom(&denied), 0.0);
        let full = snap(vec![
            w(true, 18_000, 100.0, Some(50)),
            w(true, 604_800, 30.0, Some(10)),
        ]);
        assert_eq!(
            next_reset(&full),
            Some(50),
            "only exhausted windows lift a block"
        );
    }

    fn cand(name: &str, h: Option<f64>, reset: Option<i64>) -> Candidate {
        Candidate {
            name: name.into(),
            headroom: h,
            earliest_reset: reset,
            next_reset: if h == Some(0.0) { reset } else { None },
            skipped: None,
            active: false,
        }
    }

    #[test]
    fn best_pick_and_tie_breaks() {
        let c = vec![
            cand("a", Some(10.0), Some(5)),
            cand("b", Some(37.0), Some(50)),
            cand("c", Some(37.0), Some(40)),
            cand("d", Some(90.0), None),
        ];
        assert_eq!(pick_best(&c), BestPick::Picked(3));
        assert_eq!(
            pick_best(&c[..3]),
            BestPick::Picked(2),
            "earlier reset wins a tie"
        );
        let named = vec![
            cand("z", Some(50.0), Some(1)),
            cand("m", Some(50.0), Some(1)),
        ];
        assert_eq!(pick_best(&named), BestPick::Picked(1), "then the name");
        let live_wins = vec![
            cand("a", Some(50.0), Some(1)),
            cand("b", Some(50.0), Some(1)).live(true),
        ];
        assert_eq!(
            pick_best(&live_wins),
            BestPick::Picked(1),
            "no needless switch"
        );
        let no_reset = vec![cand("x", Some(50.0), None), cand("y", Some(50.0), Some(9))];
        assert_eq!(
            pick_best(&no_reset),
            BestPick::Picked(1),
            "a known reset beats none"
        );
        let mut skipped = c.clone();
        skipped[3].skipped = Some(Skip::Invalid("bad".into()));
        assert_eq!(pick_best(&skipped), BestPick::Picked(2));
    }

    #[test]
    fn no_room_names_the_soonest_reset() {
        let c = vec![
            cand("a", Some(0.0), Some(500)),
            cand("b", Some(0.0), Some(300)),
            Candidate::skipped("c", Skip::Failed(None)),
        ];
        assert_eq!(
            pick_best(&c),
            BestPick::NoRoom {
                soonest: Some(("b".into(), 300))
            }
        );
        assert_eq!(
            pick_best(&[Candidate::skipped("c", Skip::NoFigures)]),
            BestPick::NoCandidates
        );
        assert_eq!(pick_best(&[]), BestPick::NoCandidates);
    }
}
