//! Colours and emphasis, in one place.
//!
//! Under `NO_COLOR` the theme uses modifiers only (bold, reversed, underlined, dim): crossterm
//! 0.29 loses bold/reverse when colours change, so mixing the two is not an option there, and a
//! theme with no colour at all stays readable on every terminal.

use ratatui::style::{Color, Modifier, Style};

use crate::runtime::State;
use crate::tui::model::Tone;

/// The styles the renderer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub focus: Style,
    pub border: Style,
    pub dim: Style,
    pub label: Style,
    pub selected: Style,
    pub key: Style,
    pub good: Style,
    pub warn: Style,
    pub bad: Style,
    pub info: Style,
    /// Secrets shown in clear.
    pub revealed: Style,
    /// The header over a previewed account ("selected: … — not live").
    pub preview: Style,
}

impl Theme {
    pub fn new(no_color: bool) -> Self {
        if no_color {
            Self::plain()
        } else {
            Self::color()
        }
    }

    pub fn color() -> Self {
        let bold = Modifier::BOLD;
        Self {
            base: Style::new(),
            title: Style::new().add_modifier(bold),
            focus: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(bold),
            border: Style::new().fg(Color::DarkGray),
            dim: Style::new().fg(Color::DarkGray),
            label: Style::new().fg(Color::Gray),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(bold),
            key: Style::new().fg(Color::Cyan).add_modifier(bold),
            good: Style::new().fg(Color::Green).add_modifier(bold),
            warn: Style::new().fg(Color::Yellow).add_modifier(bold),
            bad: Style::new().fg(Color::Red).add_modifier(bold),
            info: Style::new().fg(Color::Blue),
            revealed: Style::new().fg(Color::Black).bg(Color::Yellow),
            preview: Style::new()
                .fg(Color::Black)
                .bg(Color::Magenta)
                .add_modifier(bold),
        }
    }

    /// Modifiers only (`NO_COLOR`).
    pub fn plain() -> Self {
        let m = |m: Modifier| Style::new().add_modifier(m);
        Self {
            base: Style::new(),
            title: m(Modifier::BOLD),
            focus: m(Modifier::REVERSED | Modifier::BOLD),
            border: Style::new(),
            dim: m(Modifier::DIM),
            label: m(Modifier::DIM),
            selected: m(Modifier::REVERSED),
            key: m(Modifier::BOLD),
            good: m(Modifier::BOLD),
            warn: m(Modifier::BOLD | Modifier::UNDERLINED),
            bad: m(Modifier::BOLD | Modifier::REVERSED),
            info: Style::new(),
            revealed: m(Modifier::REVERSED | Modifier::UNDERLINED),
            preview: m(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Info => self.info,
            Tone::Good => self.good,
            Tone::Warn => self.warn,
            Tone::Bad => self.bad,
        }
    }

    /// The style of a state word.
    pub fn state(&self, state: &State) -> Style {
        match state {
            State::Ready => self.good,
            State::Loading { .. } | State::Offline => self.warn,
            State::SignedOut => self.title,
            State::Invalid { .. } | State::RuntimeInitFailed(_) => self.bad,
        }
    }
}
