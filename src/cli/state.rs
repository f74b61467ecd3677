//! `state show | clear`: the incremental-export state files of `campaigns export --state`.

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::AppError;
use crate::output::{FieldDef, FieldKind, Value};
use crate::state::{self, StateFile};

/// State commands.
#[derive(Debug, Clone, Subcommand)]
pub enum StateCommand {
    /// Where each incremental export of a state stands
    Show(ShowArgs),
    /// Forget a state (or one entry of it), so the next run starts afresh
    Clear(ClearArgs),
}

/// `state show`.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The state file, or a name kept under $XDG_STATE_HOME/wa-analytics
    #[arg(value_name = "FILE|NAME")]
    state: String,
}

/// `state clear`.
#[derive(Debug, Clone, Args)]
pub struct ClearArgs {
    /// The state file, or a name kept under $XDG_STATE_HOME/wa-analytics
    #[arg(value_name = "FILE|NAME")]
    state: String,
    /// Only this entry (profile/report/subject, as 'state show' lists it)
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
}

/// Runs a state command.
pub fn run(cmd: StateCommand, ctx: &Ctx) -> Result<(), AppError> {
    match cmd {
        StateCommand::Show(args) => show(&args, ctx),
        StateCommand::Clear(args) => clear(&args, ctx),
    }
}

fn show(args: &ShowArgs, ctx: &Ctx) -> Result<(), AppError> {
    let path = state::resolve_path(&args.state, &*ctx.env)?;
    if !path.exists() {
        return Err(AppError::usage(
            format!("there is no state at {}", path.display()),
            "a state is created by 'campaigns export … --state NAME' once an export completes",
        ));
    }
    let file = StateFile::load(&path)?;
    let fields = vec![
        FieldDef::new(
            "key",
            FieldKind::Text,
            "profile/report/subject of the export",
        ),
        FieldDef::new(
            "completed_until",
            FieldKind::Time,
            "the end of the last completed export; the next run starts here",
        ),
        FieldDef::new(
            "lookback_secs",
            FieldKind::Count,
            "the margin that run re-read, in seconds",
        ),
        FieldDef::new(
            "margin_rows",
            FieldKind::Count,
            "rows of that margin remembered to avoid writing them twice",
        ),
        FieldDef::new("rows", FieldKind::Count, "rows that run wrote"),
        FieldDef::new("updated_at", FieldKind::Time, "when that run finished"),
    ];
    let rows = file
        .entries
        .into_iter()
        .map(|(key, e)| {
            vec![
                Value::Text(key),
                Value::Time(e.completed_until),
                Value::Int(e.lookback_secs),
                Value::Int(e.margin_keys.len() as i64),
                Value::Int(e.rows as i64),
                Value::Time(e.updated_at),
            ]
        })
        .collect();
    ctx.write_rows(fields, rows)
}

fn clear(args: &ClearArgs, ctx: &Ctx) -> Result<(), AppError> {
    let path = state::resolve_path(&args.state, &*ctx.env)?;
    if !path.exists() {
        note!("there is no state at {}; nothing to clear", path.display());
        return Ok(());
    }
    match &args.key {
        None => {
            // Read it first, so a file that is not a state is never deleted by mistake.
            StateFile::load(&path)?;
            std::fs::remove_file(&path).map_err(|e| {
                AppError::usage(
                    format!("could not remove {}: {e}", path.display()),
                    "check the folder's permissions",
                )
            })?;
            note!("removed {}", path.display());
        }
        Some(key) => {
            let mut file = StateFile::load(&path)?;
            if file.entries.remove(key).is_none() {
                return Err(AppError::usage(
                    format!("{} has no entry '{key}'", path.display()),
                    format!("'wa-analytics state show {}' lists the entries", args.state),
                ));
            }
            file.save(&path)?;
            note!("removed '{key}' from {}", path.display());
        }
    }
    Ok(())
}
