//! `authdeck save` and `authdeck add`: a new account from the live auth.json or from material
//! (a key or JWT on stdin, a file), verified first when it is an Agent Identity JWT.

use crate::cli::out::outln;
use std::path::PathBuf;

use clap::Args;
use serde_json::{Value, json};

use super::super::material::{add_error, read_stdin, show};
use super::super::{CliError, CliResult, Ctx, Exit, print_json};
use super::warn;
use crate::codex::credential::AuthMode;
use crate::ops::accounts;
use crate::ops::material::{agent_jwt_document, api_key_document, document_from_file};
use crate::sanitize::clean;
use crate::secret::mask_api_key;
use crate::store;

/// `authdeck save <name> [--force]`
#[derive(Debug, Clone, Args)]
pub struct SaveArgs {
    /// Account name (letters, digits, '.', '_', '-'; up to 64)
    pub name: String,
    /// Replace an existing account (its old file goes to the store's trash)
    #[arg(long)]
    pub force: bool,
}

fn report_saved(ctx: &Ctx, verb: &str, name: &str, saved: &store::Saved, extra: &Value) {
    if ctx.json {
        let mut out = json!({
            "schema_version": 1,
            verb: name,
            "path": saved.path,
            "replaced_to": saved.replaced_to,
            "unchanged": saved.unchanged,
        });
        if let (Some(o), Some(e)) = (out.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        print_json(&out);
        return;
    }
    if saved.unchanged {
        outln!(
            "account \"{name}\" already holds exactly this credential ({})",
            show(&saved.path)
        );
    } else {
        outln!("{verb} account \"{name}\" ({})", show(&saved.path));
    }
    if let Some(old) = &saved.replaced_to {
        outln!("  the previous \"{name}\" is kept in {}", show(old));
    }
}

pub fn save(ctx: &Ctx, args: &SaveArgs) -> CliResult {
    let done = accounts::save(ctx, &args.name, args.force)?;
    report_saved(ctx, "saved", &args.name, &done.saved, &json!({}));
    if !ctx.json
        && let Some(var) = done.env_var
    {
        warn(&[format!(
            "{var} is set and is the live credential; this saved auth.json, not the environment token"
        )]);
    }
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------------------------
// add

/// `authdeck add <name> --api-key-stdin | --jwt-stdin | --from-file PATH`
#[allow(clippy::struct_excessive_bools)] // clap flags: exactly one material flag is enforced by the group
#[derive(Debug, Clone, Args)]
#[command(
    group(
        clap::ArgGroup::new("material")
            .required(true)
            .args(["api_key_stdin", "jwt_stdin", "from_file"])
    ),
    after_help = "Examples:\n  \
        printf %s \"$OPENAI_API_KEY\" | authdeck add api --api-key-stdin\n  \
        authdeck add agent --jwt-stdin < agent.jwt\n  \
        authdeck add old-laptop --from-file ~/backup/auth.json"
)]
pub struct AddArgs {
    /// Account name (letters, digits, '.', '_', '-'; up to 64)
    pub name: String,
    /// Read an OpenAI API key from stdin
    #[arg(long)]
    pub api_key_stdin: bool,
    /// Read an Agent Identity JWT from stdin
    #[arg(long)]
    pub jwt_stdin: bool,
    /// Use an auth.json-shaped file, kept verbatim
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// Do not verify an Agent Identity JWT against JWKS
    #[arg(long)]
    pub no_verify: bool,
    /// Replace an existing account (its old file goes to the store's trash)
    #[arg(long)]
    pub force: bool,
}

pub fn add(ctx: &Ctx, args: &AddArgs) -> CliResult {
    ctx.paths()?;
    accounts::check_name(&args.name)?;
    let (doc, warnings, shown) = if args.api_key_stdin {
        let key = read_stdin("API key")?;
        let doc = api_key_document(key.expose())?;
        (
            doc,
            Vec::new(),
            format!("API key {}", mask_api_key(key.expose())),
        )
    } else if args.jwt_stdin {
        let token = read_stdin("JWT")?;
        (
            agent_jwt_document(token.expose())?,
            Vec::new(),
            "Agent Identity JWT".to_string(),
        )
    } else if let Some(path) = &args.from_file {
        let (doc, w) = document_from_file(path)?;
        (doc, w, format!("file {}", show(path)))
    } else {
        return Err(
            CliError::new("choose one of --api-key-stdin, --jwt-stdin, --from-file PATH")
                .exit(Exit::Usage),
        );
    };
    let added =
        accounts::add(ctx, &args.name, &doc, args.no_verify, args.force).map_err(add_error)?;
    let (saved, mode) = (added.saved, added.mode);
    let verified = added.verification.verified();
    report_saved(
        ctx,
        "added",
        &args.name,
        &saved,
        &json!({ "auth_mode": mode.as_str(), "verified": verified, "warnings": warnings }),
    );
    if !ctx.json {
        outln!(
            "  from {}, auth mode {}",
            clean(&shown),
            clean(mode.as_str())
        );
        if mode == AuthMode::AgentIdentity && !verified {
            outln!("  the JWT was decoded and its key checked, but its signature was not verified");
        }
        warn(&warnings);
    }
    Ok(Exit::Ok)
}
