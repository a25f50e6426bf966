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
    /// The cursor rests on an account that is not live (the panes preview it).
    Preview,
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
            Self::Preview => "Previewing an account that is not live",
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
            Self::Global
                | Self::Accounts
                | Self::Preview
                | Self::Task
                | Self::AuthMode
                | Self::Headers
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
    /// Switch back to the account live before the last switch (`-`, like `cd -`).
    SwitchBack,
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
    /// Ask the backend for every account's usage now.
    UsageRefresh,
    /// Cycle the account order: name, headroom.
    SortCycle,
    /// Switch to the account with the most usage headroom (confirm first).
    Best,
    /// Show the live credential again (the cursor jumps to the live account).
    ShowLive,
    /// Verify a previewed Agent Identity's JWT against the JWKS (dry run, never registers).
    VerifyPreview,
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
    /// The footer's short word; empty = only in the help (which shows everything).
    pub footer: &'static str,
}

const fn b(
    context: Context,
    keys: &'static [Key],
    label: &'static str,
    description: &'static str,
    action: Action,
    footer: &'static str,
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

/// The table. Order within a context is the footer's order; the last field is the footer's
/// short word (empty = help only).
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(C::Global, &[ctrl('c')], "Ctrl-C", "quit (always)", A::Quit, ""),
    b(C::Global, &[k('q')], "q", "quit", A::Quit, "quit"),
    b(C::Global, ESC, "Esc", "clear the filter, else quit", A::Back, ""),
    b(C::Global, &[k('?')], "?", "help: every key", A::Help, "help"),
    b(C::Global, &[code(KeyCode::Tab)], "Tab", "focus the next pane", A::FocusNext, "focus"),
    b(C::Global, &[code(KeyCode::BackTab)], "S-Tab", "focus the previous pane", A::FocusPrev, ""),
    b(C::Global, &[k('m')], "m", "choose the live credential's auth mode", A::ModePicker, "mode"),
    b(C::Global, &[k('r')], "r", "retry the runtime init", A::Retry, "retry"),
    b(C::Global, &[k('c')], "c", "copy a header (value / http / curl)", A::CopyMenu, "copy"),
    b(C::Global, &[k('v')], "v", "reveal / mask secrets", A::Reveal, "reveal"),
    b(C::Global, &[k('-')], "-", "switch back to the previous account (confirm)", A::SwitchBack, "back"),
    b(C::Global, &[k('a')], "a", "add an account", A::Add, ""),
    b(C::Global, &[k('s')], "s", "save the live credential as an account", A::Save, ""),
    b(C::Global, &[k('/')], "/", "filter the accounts", A::Filter, ""),
    b(C::Global, &[k('l')], "l", "event log (file writes, HTTP calls)", A::Log, ""),
    b(C::Global, &[k('U')], "U", "refresh usage for every account now", A::UsageRefresh, ""),
    b(C::Global, &[k('b')], "b", "switch to the account with the most usage headroom", A::Best, ""),
    b(C::Accounts, UP, "k/↑", "previous account", A::Up, ""),
    b(C::Accounts, DOWN, "j/↓", "next account", A::Down, ""),
    b(C::Accounts, &[k('g'), code(KeyCode::Home)], "g/Home", "first account", A::Top, ""),
    b(C::Accounts, &[k('G'), code(KeyCode::End)], "G/End", "last account", A::Bottom, ""),
    b(C::Accounts, &[code(KeyCode::PageUp)], "PgUp", "page up", A::PageUp, ""),
    b(C::Accounts, &[code(KeyCode::PageDown)], "PgDn", "page down", A::PageDown, ""),
    b(C::Accounts, ENTER, "Enter", "switch to the account (confirm first)", A::Switch, "switch"),
    b(C::Accounts, &[k('R')], "R", "rename the account", A::Rename, ""),
    b(C::Accounts, &[k('d')], "d", "delete the account (to the trash)", A::Delete, ""),
    b(C::Accounts, &[k('u')], "u", "undo the last delete", A::Undo, ""),
    b(C::Accounts, &[k('o')], "o", "order by name / by usage headroom", A::SortCycle, ""),
    b(C::Preview, &[k('.'), k(' ')], "./Space", "show the live account again (the cursor jumps to it)", A::ShowLive, "live"),
    b(C::Preview, &[k('r')], "r", "verify its Agent Identity JWT (dry run, registers nothing)", A::VerifyPreview, ""),
    b(C::Task, UP, "k/↑", "scroll to older steps", A::Up, ""),
    b(C::Task, DOWN, "j/↓", "scroll to newer steps", A::Down, ""),
    b(C::AuthMode, ENTER, "Enter", "choose the auth mode", A::ModePicker, "mode"),
    b(C::Headers, ENTER, "Enter", "copy a header", A::CopyMenu, "copy"),
    b(C::Filter, ENTER, "Enter", "keep the filter", A::Accept, "keep"),
    b(C::Filter, ESC, "Esc", "clear the filter", A::Back, "clear"),
    b(C::Confirm, &[k('y'), code(KeyCode::Enter)], "y/Enter", "switch", A::Accept, "switch"),
    b(C::Confirm, &[k('n'), k('q'), code(KeyCode::Esc)], "n/Esc", "cancel", A::Back, "cancel"),
    b(C::ModePicker, UP, "k/↑", "up", A::Up, ""),
    b(C::ModePicker, DOWN, "j/↓", "down", A::Down, ""),
    b(C::ModePicker, ENTER, "Enter", "set this auth mode", A::Accept, "set"),
    b(C::ModePicker, &[k('q'), code(KeyCode::Esc)], "Esc", "cancel", A::Back, "cancel"),
    b(C::CopyMenu, UP, "k/↑", "up", A::Up, ""),
    b(C::CopyMenu, DOWN, "j/↓", "down", A::Down, ""),
    b(C::CopyMenu, ENTER, "Enter", "copy the selected format", A::Accept, "copy"),
    b(C::CopyMenu, &[k('1')], "1", "copy the value", A::CopyValue, "value"),
    b(C::CopyMenu, &[k('2')], "2", "copy http lines", A::CopyHttp, "http"),
    b(C::CopyMenu, &[k('3')], "3", "copy curl flags", A::CopyCurl, "curl"),
    b(C::CopyMenu, &[k('q'), code(KeyCode::Esc)], "Esc", "cancel", A::Back, "cancel"),
    b(C::AddForm, &[code(KeyCode::Tab), code(KeyCode::BackTab)], "Tab", "next field", A::NextField, "next field"),
    b(C::AddForm, ENTER, "Enter", "add (paste works in either field)", A::Accept, "add"),
    b(C::AddForm, ESC, "Esc", "cancel", A::Back, "cancel"),
    b(C::Prompt, ENTER, "Enter", "ok", A::Accept, "ok"),
    b(C::Prompt, ESC, "Esc", "cancel", A::Back, "cancel"),
    b(C::Help, UP, "k/↑", "scroll up", A::Up, ""),
    b(C::Help, DOWN, "j/↓", "scroll down", A::Down, "scroll"),
    b(C::Help, &[code(KeyCode::PageUp)], "PgUp", "page up", A::PageUp, ""),
    b(C::Help, &[code(KeyCode::PageDown), k(' ')], "PgDn/Space", "page down", A::PageDown, "page"),
    b(C::Help, &[k('g'), code(KeyCode::Home)], "g/Home", "top", A::Top, ""),
    b(C::Help, &[k('G'), code(KeyCode::End)], "G/End", "bottom", A::Bottom, ""),
    b(C::Help, &[k('q'), k('?'), code(KeyCode::Esc)], "q/Esc", "close", A::Back, "close"),
    b(C::Log, UP, "k/↑", "scroll to older lines", A::Up, ""),
    b(C::Log, DOWN, "j/↓", "scroll to newer lines", A::Down, ""),
    b(C::Log, &[k('q'), k('l'), code(KeyCode::Esc)], "q/Esc", "close", A::Back, "close"),
];

/// The contexts of the help overlay, in order.
pub const HELP_ORDER: [Context; 14] = [
    C::Global,
    C::Accounts,
    C::Preview,
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

/// The footer entries for a context stack: the innermost context's entries first. A binding
/// whose keys an inner context already claims is left out (`lookup` would never reach it).
pub fn footer(contexts: &[Context]) -> Vec<&'static Binding> {
    let mut out = Vec::new();
    let mut claimed: Vec<Key> = Vec::new();
    for ctx in contexts {
        let of_ctx: Vec<&'static Binding> = of_context(*ctx).collect();
        out.extend(
            of_ctx
                .iter()
                .copied()
                .filter(|b| !b.footer.is_empty() && !b.keys.iter().any(|k| claimed.contains(k))),
        );
        claimed.extend(of_ctx.iter().flat_map(|b| b.keys.iter().copied()));
        if ctx.modal() {
            break;
        }
    }
    out
}

/// The key a hint names for `action` in `ctx`: the first key of the binding's label (`j` of
/// `j/↓`). A binding the footer shows is preferred, so `q` is named for quitting, not
/// `Ctrl-C`. Empty when no binding does it (a test checks every hint the screen uses).
pub fn key_for(ctx: Context, action: Action) -> &'static str {
    binding_for(ctx, action).map_or("", |b| b.label.split('/').next().unwrap_or(b.label))
}

/// The whole label of the binding [`key_for`] picks (`y/Enter`).
pub fn label_for(ctx: Context, action: Action) -> &'static str {
    binding_for(ctx, action).map_or("", |b| b.label)
}

fn binding_for(ctx: Context, action: Action) -> Option<&'static Binding> {
    let mut of = of_context(ctx).filter(move |b| b.action == action);
    let first = of.next()?;
    if !first.footer.is_empty() {
        return Some(first);
    }
    Some(of.find(|b| !b.footer.is_empty()).unwrap_or(first))
}

/// Every binding of a context (the help overlay).
pub fn of_context(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.context == ctx)
}

#[cfg(test)]
mod tests;
