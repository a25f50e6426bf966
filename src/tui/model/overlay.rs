//! What is drawn over the panes: the overlays, and the text fields of the add form and the
//! name prompt (each a `tui_input::Input`; the material field is wiped when the form goes).

use tui_input::Input;

use crate::codex::credential::AuthMode;
use crate::tui::msg::SwitchPreview;

/// The add-account form. `Debug` masks the material field (it holds a key or a token).
#[derive(Clone, Default)]
pub struct AddForm {
    pub name: Input,
    /// API key, Agent Identity JWT, or a path to an auth.json-shaped file.
    pub material: Input,
    /// 0 = name, 1 = material.
    pub field: usize,
    pub error: Option<String>,
}

/// What the add form's material field holds, as the add task will read it.
pub use crate::ops::material::Kind as MaterialKind;

impl AddForm {
    /// The kind of material typed so far (`None` while the field is blank). A pure guess on
    /// the text (no file is opened), so the form can say it while the user types.
    pub fn material_kind(&self) -> Option<MaterialKind> {
        let value = self.material.value();
        (!value.trim().is_empty()).then(|| crate::ops::material::kind_of(value))
    }
}

impl std::fmt::Debug for AddForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddForm")
            .field("name", &self.name.value())
            .field(
                "material",
                &crate::secret::mask_middle(self.material.value()),
            )
            .field("field", &self.field)
            .field("error", &self.error)
            .finish()
    }
}

/// The material field is wiped when the form goes away (its editor's earlier reallocations
/// cannot be reached: see `src/secret.rs`).
impl Drop for AddForm {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.material.value_and_reset());
    }
}

/// What a one-line prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Save the live credential under a new name.
    Save,
    /// Rename the account `from`.
    Rename { from: String },
}

/// A one-line text prompt.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
    pub error: Option<String>,
}

/// What is drawn over the panes (at most one at a time).
#[derive(Debug, Clone, Default)]
pub enum Overlay {
    #[default]
    None,
    Help {
        scroll: u16,
    },
    Log {
        scroll: u16,
    },
    /// Waiting for the switch diff of `name`.
    Planning {
        name: String,
    },
    Confirm(Box<SwitchPreview>),
    ModePicker {
        options: Vec<AuthMode>,
        selected: usize,
    },
    CopyMenu {
        selected: usize,
    },
    Add(Box<AddForm>),
    Prompt(Box<Prompt>),
}
