//! The ONE key table: `(context, keys, description, action)`.
//!
//! `update` looks keys up here, the footer lists the entries of the contexts in force, and the
//! `?` overlay lists every entry grouped by context — so a key can never do one thing and be
//! documented as another (gitui's command list, television's reverse lookup).
//!
//! Contexts stack: a modal context (an overlay, a text field) captures every key except
//! `Ctrl-C`; otherwise the focused pane's context is tried first, then the global one.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Accounts,
    Task,
    AuthMode,
    Headers,
    Filter,
    Confirm,
    ModePicker,
    CopyMenu,
    AddForm,
    Prompt,
    Help,
    Log,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Accounts => "Accounts pane",
            Self::Task => "Task pane",
            Self::AuthMode => "Auth mode pane",
            Self::Headers => "Headers pane",
            Self::Filter => "Filter (/)",
            Self::Confirm => "Confirm switch",
            Self::ModePicker => "Auth mode picker",
            Self::CopyMenu => "Copy menu",
            Self::AddForm => "Add account form",
            Self::Prompt => "Name prompt (save, rename)",
            Self::Help => "Help",
            Self::Log => "Event log",
        }
    }

    /// Modal contexts capture all keys (text fields need plain letters).
    pub fn modal(self) -> bool {
        !matches!(
            self,
            Self::Global | Self::Accounts | Self::Task | Self::AuthMode | Self::Headers
        )
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Close the overlay / clear the filter, else quit.
    Back,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    FocusNext,
    FocusPrev,
    Switch,
    ModePicker,
    Retry,
    CopyMenu,
    Reveal,
    Add,
    Save,
    Rename,
    Delete,
    Undo,
    Filter,
    Help,
    Log,
    /// Accept (confirm, choose, submit).
    Accept,
    /// Next field of a form.
    NextField,
    CopyValue,
    CopyHttp,
    CopyCurl,
}

/// A key, independent of Shift for characters (terminals disagree on reporting it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

/// One entry of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in the footer and the help.
    pub label: &'static str,
    pub description: &'static str,
    pub action: Action,
    /// Shown in the footer (the help shows everything).
    pub footer: bool,
}

const fn b(
    context: Context,
    keys: &'static [Key],
    label: &'static str,
    description: &'static str,
    action: Action,
    footer: bool,
) -> Binding {
    Binding {
        context,
        keys,
        label,
        description,
        action,
        footer,
    }
}

use Action as A;
use Context as C;

const UP: &[Key] = &[k('k'), code(KeyCode::Up)];
const DOWN: &[Key] = &[k('j'), code(KeyCode::Down)];
const ENTER: &[Key] = &[code(KeyCode::Enter)];
const ESC: &[Key] = &[code(KeyCode::Esc)];

/// The table. Order within a context is the footer's order.
pub const BINDINGS: &[Binding] = &[
    b(C::Global, &[ctrl('c')], "Ctrl-C", "quit", A::Quit, false),
    b(C::Global, &[k('q')], "q", "quit", A::Quit, true),
    b(
        C::Global,
        ESC,
        "Esc",
        "clear filter, else quit",
        A::Back,
        false,
    ),
    b(
        C::Global,
        &[code(KeyCode::Tab)],
        "Tab",
        "next pane",
        A::FocusNext,
        true,
    ),
    b(
        C::Global,
        &[code(KeyCode::BackTab)],
        "S-Tab",
        "previous pane",
        A::FocusPrev,
        false,
    ),
    b(C::Global, &[k('m')], "m", "auth mode", A::ModePicker, true),
    b(
        C::Global,
        &[k('r')],
        "r",
        "retry runtime init",
        A::Retry,
        true,
    ),
    b(C::Global, &[k('c')], "c", "copy header", A::CopyMenu, true),
    b(
        C::Global,
        &[k('v')],
        "v",
        "reveal/mask secrets",
        A::Reveal,
        true,
    ),
    b(C::Global, &[k('a')], "a", "add account", A::Add, true),
    b(
        C::Global,
        &[k('s')],
        "s",
        "save live as account",
        A::Save,
        true,
    ),
    b(
        C::Global,
        &[k('/')],
        "/",
        "filter accounts",
        A::Filter,
        false,
    ),
    b(C::Global, &[k('l')], "l", "event log", A::Log, false),
    b(C::Global, &[k('?')], "?", "help", A::Help, true),
    b(C::Accounts, UP, "k/↑", "previous account", A::Up, false),
    b(C::Accounts, DOWN, "j/↓", "next account", A::Down, false),
    b(
        C::Accounts,
        &[k('g'), code(KeyCode::Home)],
        "g/Home",
        "first account",
        A::Top,
        false,
    ),
    b(
        C::Accounts,
        &[k('G'), code(KeyCode::End)],
        "G/End",
        "last account",
        A::Bottom,
        false,
    ),
    b(
        C::Accounts,
        &[code(KeyCode::PageUp)],
        "PgUp",
        "page up",
        A::PageUp,
        false,
    ),
    b(
        C::Accounts,
        &[code(KeyCode::PageDown)],
        "PgDn",
        "page down",
        A::PageDown,
        false,
    ),
    b(
        C::Accounts,
        ENTER,
        "Enter",
        "switch to account",
        A::Switch,
        true,
    ),
    b(C::Accounts, &[k('R')], "R", "rename", A::Rename, false),
    b(
        C::Accounts,
        &[k('d')],
        "d",
        "delete (to trash)",
        A::Delete,
        false,
    ),
    b(C::Accounts, &[k('u')], "u", "undo delete", A::Undo, false),
    b(C::Task, UP, "k/↑", "scroll up", A::Up, false),
    b(C::Task, DOWN, "j/↓", "scroll down", A::Down, false),
    b(
        C::AuthMode,
        ENTER,
        "Enter",
        "choose auth mode",
        A::ModePicker,
        true,
    ),
    b(C::Headers, ENTER, "Enter", "copy header", A::CopyMenu, true),
    b(C::Filter, ENTER, "Enter", "apply filter", A::Accept, true),
    b(C::Filter, ESC, "Esc", "clear filter", A::Back, true),
    b(
        C::Confirm,
        &[k('y'), code(KeyCode::Enter)],
        "y/Enter",
        "switch",
        A::Accept,
        true,
    ),
    b(
        C::Confirm,
        &[k('n'), k('q'), code(KeyCode::Esc)],
        "n/Esc",
        "cancel",
        A::Back,
        true,
    ),
    b(C::ModePicker, UP, "k/↑", "up", A::Up, true),
    b(C::ModePicker, DOWN, "j/↓", "down", A::Down, true),
    b(
        C::ModePicker,
        ENTER,
        "Enter",
        "set auth mode",
        A::Accept,
        true,
    ),
    b(
        C::ModePicker,
        &[k('q'), code(KeyCode::Esc)],
        "Esc",
        "cancel",
        A::Back,
        true,
    ),
    b(C::CopyMenu, UP, "k/↑", "up", A::Up, false),
    b(C::CopyMenu, DOWN, "j/↓", "down", A::Down, false),
    b(C::CopyMenu, ENTER, "Enter", "copy", A::Accept, true),
    b(
        C::CopyMenu,
        &[k('1')],
        "1",
        "copy value",
        A::CopyValue,
        true,
    ),
    b(C::CopyMenu, &[k('2')], "2", "copy http", A::CopyHttp, true),
    b(C::CopyMenu, &[k('3')], "3", "copy curl", A::CopyCurl, true),
    b(
        C::CopyMenu,
        &[k('q'), code(KeyCode::Esc)],
        "Esc",
        "cancel",
        A::Back,
        true,
    ),
    b(
        C::AddForm,
        &[code(KeyCode::Tab), code(KeyCode::BackTab)],
        "Tab",
        "next field",
        A::NextField,
        true,
    ),
    b(
        C::AddForm,
        ENTER,
        "Enter",
        "add (paste works)",
        A::Accept,
        true,
    ),
    b(C::AddForm, ESC, "Esc", "cancel", A::Back, true),
    b(C::Prompt, ENTER, "Enter", "ok", A::Accept, true),
    b(C::Prompt, ESC, "Esc", "cancel", A::Back, true),
    b(C::Help, UP, "k/↑", "scroll up", A::Up, false),
    b(C::Help, DOWN, "j/↓", "scroll down", A::Down, false),
    b(
        C::Help,
        &[k('q'), k('?'), code(KeyCode::Esc)],
        "q/Esc",
        "close",
        A::Back,
        true,
    ),
    b(C::Log, UP, "k/↑", "scroll up", A::Up, false),
    b(C::Log, DOWN, "j/↓", "scroll down", A::Down, false),
    b(
        C::Log,
        &[k('q'), k('l'), code(KeyCode::Esc)],
        "q/Esc",
        "close",
        A::Back,
        true,
    ),
];

/// The contexts of the help overlay, in order.
pub const HELP_ORDER: [Context; 13] = [
    C::Global,
    C::Accounts,
    C::Task,
    C::AuthMode,
    C::Headers,
    C::Filter,
    C::Confirm,
    C::ModePicker,
    C::CopyMenu,
    C::AddForm,
    C::Prompt,
    C::Help,
    C::Log,
];

/// Normalises a key event: Shift is dropped (it is part of the character), Ctrl kept.
pub fn key_of(ev: &KeyEvent) -> Key {
    let code = match ev.code {
        KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::SHIFT) => {
            KeyCode::Char(c.to_ascii_uppercase())
        }
        other => other,
    };
    Key {
        code,
        ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
    }
}

/// The action for `ev` in the given context stack (innermost first). `Ctrl-C` always quits.
/// A modal context ends the search.
pub fn lookup(contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
    let key = key_of(ev);
    if key == ctrl('c') {
        return Some(Action::Quit);
    }
    for ctx in contexts {
        if let Some(bind) = BINDINGS
            .iter()
            .filter(|b| b.context == *ctx)
            .find(|b| b.keys.contains(&key))
        {
            return Some(bind.action);
        }
        if ctx.modal() {
            return None;
        }
    }
    None
}

/// The footer entries for a context stack: the innermost context's entries first.
pub fn footer(contexts: &[Context]) -> Vec<&'static Binding> {
    let mut out = Vec::new();
    for ctx in contexts {
        out.extend(BINDINGS.iter().filter(|b| b.context == *ctx && b.footer));
        if ctx.modal() {
            break;
        }
    }
    out
}

/// Every binding of a context (the help overlay).
pub fn of_context(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.context == ctx)
}
