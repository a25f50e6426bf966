//! The one-line bars: the title (state word first), the status line and the key footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{shown, span, spinner};
use crate::runtime::State;
use crate::tui::keymap;
use crate::tui::model::Model;
use crate::tui::update::contexts;

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
        who.push(shown(m));
    }
    if !who.is_empty() && !matches!(state, State::Invalid { .. }) {
        spans.push(Span::styled(format!("  {}", who.join(" · ")), theme.base));
    }
    if let Some(b) = &model.banner {
        spans.push(Span::styled(format!("  [{}]", shown(b)), theme.info));
    }
    if model.reveal {
        spans.push(Span::styled("  SECRETS REVEALED", theme.revealed));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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
