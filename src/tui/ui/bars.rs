//! The one-line bars: the title (state word first), the status line and the key footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr as _;

use super::theme::Theme;
use super::{shown, span, spinner};
use crate::runtime::State;
use crate::tui::contexts::contexts;
use crate::tui::keymap;
use crate::tui::model::Model;

/// The state word with its cause, as the contract spells it.
pub fn state_text(model: &Model) -> String {
    let state = &model.live.runtime.state;
    let label = state.label();
    match state {
        State::Invalid { reason } => format!("{label}: {}", shown(reason)),
        State::RuntimeInitFailed(e) => {
            let class = e.class.as_str();
            format!("{label}: {} ({class})", shown(&e.message))
        }
        _ => label.to_string(),
    }
}

pub fn title(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let state = &model.live.runtime.state;
    let mut spans = vec![Span::styled(" authdeck ", theme.title)];
    if model.live.runtime.busy() || model.live.loaded.is_none() {
        spans.push(Span::styled(format!("{} ", spinner(model)), theme.warn));
    } else {
        spans.push(Span::styled("● ", theme.state(state)));
    }
    spans.push(Span::styled(state_text(model), theme.state(state)));
    let r = &model.live.report;
    let mut who = Vec::new();
    if let Some(email) = r.account.as_ref().and_then(|a| a.email.as_deref()) {
        who.push(shown(email));
    } else if let Some(id) = r
        .agent_identity
        .as_ref()
        .and_then(|a| a.agent_runtime_id.as_deref())
    {
        who.push(shown(id));
    } else if let Some(k) = &r.api_key_masked {
        who.push(shown(k));
    }
    if let Some(p) = &r.plan {
        who.push(shown(&p.display));
    }
    if let Some(m) = &r.auth_mode {
        who.push(shown(m.as_str()));
    }
    if !who.is_empty() && !matches!(state, State::Invalid { .. }) {
        spans.push(Span::styled(format!("  {}", who.join(" · ")), theme.base));
    }
    if model.reveal {
        spans.push(Span::styled(REVEALED, theme.revealed));
    }
    if let Some(b) = &model.banner {
        let used: usize = spans.iter().map(Span::width).sum();
        if let Some(text) = fit_banner(&shown(b), usize::from(area.width).saturating_sub(used)) {
            let at = if model.reveal {
                spans.len() - 1
            } else {
                spans.len()
            };
            spans.insert(at, Span::styled(text, theme.info));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

const REVEALED: &str = "  SECRETS REVEALED";

/// The banner as `  [a · b]` with as many of its ` · `-separated parts as fit in `room`
/// columns — whole parts only, so it is never cut mid-word (at 120 columns the demo's banner
/// used to end in "nothing of yours is tou"). `None` when not even the first part fits.
fn fit_banner(banner: &str, room: usize) -> Option<String> {
    let mut fitted: Option<String> = None;
    for part in banner.split(" · ") {
        let candidate = match &fitted {
            Some(f) => format!("{f} · {part}"),
            None => part.to_string(),
        };
        // Two spaces and the brackets around it.
        if candidate.width() + 4 > room {
            break;
        }
        fitted = Some(candidate);
    }
    fitted.map(|f| format!("  [{f}]"))
}

pub fn status(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let line = if let Some(p) = &model.pending {
        Line::from(vec![
            Span::styled(format!(" {} ", spinner(model)), theme.warn),
            span(&format!("{}…", p.what), theme.base),
        ])
    } else if let Some(s) = &model.status {
        Line::from(vec![Span::raw(" "), span(&s.text, theme.tone(s.tone))])
    } else if let Some(n) = model.live.report.notices.first() {
        Line::from(vec![Span::styled(" ⚠ ", theme.warn), span(n, theme.warn)])
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

pub fn footer(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let ctxs = contexts(model);
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1usize;
    let max = usize::from(area.width);
    for b in keymap::footer(&ctxs) {
        let need = b.label.chars().count() + b.footer.chars().count() + 3;
        if width + need > max {
            break;
        }
        width += need;
        spans.push(Span::styled(b.label, theme.key));
        spans.push(Span::styled(format!(" {}  ", b.footer), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::tui::testkit::*;

    const BANNER: &str = "DEMO · nothing of yours is touched · mock backend 127.0.0.1:41234 · home /tmp/authdeck-demo-AbC123";

    fn title_row(m: &Model, width: u16) -> String {
        let mut term = Terminal::new(TestBackend::new(width, 1)).expect("test backend");
        term.draw(|f| title(m, f, f.area(), &Theme::new(true)))
            .expect("draws");
        let buf = term.backend().buffer();
        (0..width)
            .map(|x| buf[(x, 0)].symbol().to_string())
            .collect::<String>()
    }

    #[test]
    fn the_banner_keeps_whole_parts_at_80_and_120_columns() {
        let mut m = model();
        load(&mut m, &agent_live(), 1);
        m.banner = Some(BANNER.to_string());
        let at_80 = title_row(&m, 80);
        let at_120 = title_row(&m, 120);
        let at_200 = title_row(&m, 200);
        for row in [&at_80, &at_120, &at_200] {
            let start = row.find('[').expect("the banner shows");
            let end = row.find(']').expect("the banner is closed, not cut");
            let shown = &row[start + 1..end];
            assert!(BANNER.starts_with(shown), "{row}");
            assert!(
                shown == BANNER || BANNER[shown.len()..].starts_with(" · "),
                "cut between parts, never mid-word: {row}"
            );
        }
        assert!(
            at_120.contains("[DEMO · nothing of yours is touched"),
            "{at_120}"
        );
        assert!(at_200.contains(BANNER), "{at_200}");
        m.reveal = true;
        let revealed = title_row(&m, 120);
        assert!(revealed.contains("SECRETS REVEALED"), "{revealed}");
        assert!(revealed.contains("[DEMO"), "{revealed}");
    }

    #[test]
    fn fit_banner_drops_whole_parts() {
        assert_eq!(
            fit_banner("A · BB · CCC", 100).as_deref(),
            Some("  [A · BB · CCC]")
        );
        assert_eq!(
            fit_banner("A · BB · CCC", 12).as_deref(),
            Some("  [A · BB]")
        );
        assert_eq!(fit_banner("A · BB · CCC", 4), None);
    }
}
