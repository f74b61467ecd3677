//! `profiles list | check`.

use clap::Subcommand;

use super::Ctx;
use crate::error::AppError;
use crate::output::{FieldDef, FieldKind, Value};

/// Profile commands.
#[derive(Debug, Clone, Subcommand)]
pub enum ProfilesCommand {
    /// The profiles in the config file
    List,
    /// Validate profiles and test their credentials with one cheap request each
    Check {
        /// Only these profiles (a,b or a b) [default: every profile, or those -p names]
        #[arg(value_name = "NAME", value_delimiter = ',')]
        names: Vec<String>,
    },
}

/// Runs a profiles command.
pub async fn run(cmd: ProfilesCommand, ctx: &Ctx) -> Result<(), AppError> {
    match cmd {
        ProfilesCommand::List => list(ctx),
        ProfilesCommand::Check { names } => check(ctx, names).await,
    }
}

fn list(ctx: &Ctx) -> Result<(), AppError> {
    let fields = vec![
        FieldDef::new("name", FieldKind::Text, "the profile's name"),
        FieldDef::new("provider", FieldKind::Text, "its vendor"),
        FieldDef::new(
            "default",
            FieldKind::Bool,
            "whether it is the default_profile",
        ),
        FieldDef::new(
            "valid",
            FieldKind::Bool,
            "whether the profile is complete and well-formed",
        ),
        FieldDef::new(
            "problem",
            FieldKind::Text,
            "what is wrong with it, if anything",
        ),
    ];
    let Some(file) = ctx.config()? else {
        let path = ctx.config_path().map_or_else(
            || "(no home directory)".to_string(),
            |p| p.display().to_string(),
        );
        note!("no config file at {path}; see the README's 'Configuration' to create one");
        return ctx.write_rows(fields, Vec::new());
    };
    let default = file.default_profile().map(str::to_string);
    let rows = file
        .profile_names()
        .into_iter()
        .map(|name| {
            let provider = file.provider_of(&name);
            let problem = file.profile(&name).err().map(|e| e.message);
            vec![
                Value::Text(name.clone()),
                provider.map_or(Value::Null, Value::Text),
                Value::Bool(default.as_deref() == Some(name.as_str())),
                Value::Bool(problem.is_none()),
                problem.map_or(Value::Null, Value::Text),
            ]
        })
        .collect();
    ctx.write_rows(fields, rows)
}

async fn check(ctx: &Ctx, only: Vec<String>) -> Result<(), AppError> {
    let fields = vec![
        FieldDef::new("name", FieldKind::Text, "the profile's name"),
        FieldDef::new("provider", FieldKind::Text, "its vendor"),
        FieldDef::new(
            "result",
            FieldKind::Text,
            "ok, or what failed: config, credentials, auth, network, …",
        ),
        FieldDef::new("detail", FieldKind::Text, "the error, if any"),
    ];
    let file = ctx.config()?.ok_or_else(|| {
        AppError::usage(
            "there is no config file to check",
            "create one (see the README's 'Configuration') or pass --config PATH",
        )
    })?;
    let mut names = only
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>();
    if names.is_empty() {
        // `-p a,b profiles check` reads those; otherwise every profile.
        names = match super::accounts::chosen(ctx)? {
            Some(chosen) => chosen,
            None => file.profile_names(),
        };
    }
    names.dedup();
    // Every profile is asked at once; the rows keep the order named.
    let outcomes = futures::future::join_all(names.iter().map(|name| {
        let file = &file;
        async move {
            let profile = file.profile(name)?;
            profile.resolve_secrets()?;
            let provider = (ctx.build)(&profile, &ctx.http_options(profile.vendor))?;
            provider.check_credentials().await?;
            Ok::<&'static str, AppError>("ok")
        }
    }))
    .await;
    let mut rows = Vec::new();
    let mut worst: Option<AppError> = None;
    for (name, outcome) in names.into_iter().zip(outcomes) {
        let provider_name = file.provider_of(&name);
        let (result, detail) = match outcome {
            Ok(text) => (text.to_string(), None),
            Err(e) => {
                let label = match e.exit_code() {
                    2 => "config",
                    4 => "auth refused",
                    5 => "rate-limited",
                    6 => "vendor or network failure",
                    _ => "failed",
                };
                let detail = e.to_string();
                if worst.is_none() {
                    worst = Some(e);
                }
                (label.to_string(), Some(detail))
            }
        };
        rows.push(vec![
            Value::Text(name),
            provider_name.map_or(Value::Null, Value::Text),
            Value::Text(result),
            detail.map_or(Value::Null, Value::Text),
        ]);
    }
    ctx.write_rows(fields, rows)?;
    match worst {
        Some(e) => Err(AppError::Reported {
            message: "some profiles failed the check (see the table above)".to_string(),
            code: e.exit_code(),
        }),
        None => Ok(()),
    }
}
