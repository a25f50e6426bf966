//! The text fields: the add form and the name prompt (save, rename), and the scrolling every
//! text field shares (the Accounts filter too). Every field is a `tui_input::Input`; this
//! module only draws what of it fits, with the terminal cursor where tui-input says it is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use super::overlays::boxed;
use super::theme::Theme;
use super::{hint_spans, hint_text, shown, span};
use crate::tui::keymap::Context;
use crate::tui::layout::popup;
use crate::tui::model::{AddForm, MaterialKind, Model, Prompt, PromptKind};

/// What of a text field fits in `width` columns, scrolled the way tui-input keeps its cursor
/// in view, and the cursor's column within it. `masked` shows one `•` per character.
pub fn visible(input: &Input, width: usize, masked: bool) -> (String, u16) {
    let scroll = input.visual_scroll(width);
    let text: String = if masked {
        "•".repeat(input.value().chars().count())
    } else {
        shown(input.value())
    };
    let part = text.chars().skip(scroll).take(width).collect();
    let cursor = u16::try_from(input.visual_cursor().saturating_sub(scroll)).unwrap_or(0);
    (part, cursor)
}

/// An input line; sets the terminal cursor when `focused`.
fn input_line(
    frame: &mut Frame,
    rect: Rect,
    label: &str,
    input: &Input,
    masked: bool,
    focused: bool,
    theme: &Theme,
) {
    let label_w = u16::try_from(label.chars().count()).unwrap_or(0) + 1;
    let width = usize::from(rect.width.saturating_sub(label_w + 1).max(1));
    let (visible, cursor) = visible(input, width, masked);
    let style = if focused { theme.key } else { theme.base };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{label} "), theme.label),
            Span::styled(visible, style),
        ])),
        rect,
    );
    if focused {
        frame.set_cursor_position((rect.x + label_w + cursor, rect.y));
    }
}

/// What the material field holds, in words.
fn material_kind(form: &AddForm) -> &'static str {
    match form.material_kind() {
        None => "",
        Some(MaterialKind::ApiKey) => "API key",
        Some(MaterialKind::Jwt) => "Agent Identity JWT",
        Some(MaterialKind::File) => "file path",
    }
}

pub(super) fn add_form(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    form: &AddForm,
    theme: &Theme,
) {
    let rect = popup(area, 70, 9);
    boxed(frame, rect, "Add account", Vec::new(), theme);
    let inner = rect.inner(ratatui::layout::Margin::new(1, 1));
    let row = |i: u16| Rect {
        y: inner.y + i,
        height: 1,
        ..inner
    };
    input_line(
        frame,
        row(0),
        "Name    ",
        &form.name,
        false,
        form.field == 0,
        theme,
    );
    input_line(
        frame,
        row(1),
        "Material",
        &form.material,
        !model.reveal,
        form.field == 1,
        theme,
    );
    let kind = material_kind(form);
    let hint = if kind.is_empty() {
        "paste an API key or Agent Identity JWT, or type a file path".to_string()
    } else {
        format!(
            "detected: {kind}{}",
            if model.settings.offline {
                " (offline: not verified)"
            } else {
                ""
            }
        )
    };
    frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim)), row(3));
    if let Some(e) = &form.error {
        frame.render_widget(
            Paragraph::new(span(e, theme.bad)).wrap(Wrap { trim: true }),
            Rect {
                y: inner.y + 4,
                height: 2,
                ..inner
            },
        );
    }
    let keys = Line::from(hint_spans(Context::AddForm, "  ", theme));
    frame.render_widget(Paragraph::new(keys), row(inner.height.saturating_sub(1)));
}

pub(super) fn prompt(frame: &mut Frame, area: Rect, p: &Prompt, theme: &Theme) {
    let title = match &p.kind {
        PromptKind::Save => "Save the live auth.json as".to_string(),
        PromptKind::Rename { from } => format!("Rename {}", shown(from)),
    };
    let rect = popup(area, 56, 5);
    boxed(frame, rect, &title, Vec::new(), theme);
    let inner = rect.inner(ratatui::layout::Margin::new(1, 1));
    input_line(
        frame,
        Rect { height: 1, ..inner },
        "Name",
        &p.input,
        false,
        true,
        theme,
    );
    let below = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let line = match &p.error {
        Some(e) => span(e, theme.bad).into(),
        None => Line::styled(hint_text(Context::Prompt, " · "), theme.dim),
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), below);
}
