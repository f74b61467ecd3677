//! What every write command shares (product.md, "Write commands"): `--dry-run` prints the request
//! and sends nothing; otherwise a terminal is asked to confirm, a script must say `--yes`, and a
//! run whose stdin is not a terminal never waits for an answer.

use std::io::{BufRead, Write};

use clap::Args;

use super::Ctx;
use super::ctx::Account;
use crate::error::AppError;
use crate::provider::{ProviderError, WriteCommand, WriteReceipt};

/// The options of every write command.
#[derive(Debug, Clone, Default, Args)]
pub struct WriteArgs {
    /// Send without asking for confirmation (needed when stdin is not a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Print the request that would be sent (secrets as ***) and send nothing
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
}

/// Runs a write command: checks the vendor serves it, builds the request, then prints it
/// (`--dry-run`) or confirms and sends it once, printing the vendor's receipt.
pub async fn run(ctx: &Ctx, args: &WriteArgs, command: WriteCommand) -> Result<(), AppError> {
    run_on(ctx, args, ctx.account()?, command).await
}

/// [`run`] on an account the command has already opened (to read its profile first).
pub async fn run_on(
    ctx: &Ctx,
    args: &WriteArgs,
    account: Account,
    command: WriteCommand,
) -> Result<(), AppError> {
    let op = command.operation();
    let writes = ctx.capability(&account, op, |p| p.writes())?;
    let prepared = writes.prepare_write(&command)?;
    let confirmed = may_send(
        ctx,
        args,
        op.command(),
        account.profile.vendor,
        &prepared.summary,
        || prepared.dry_run_text(),
    )
    .await?;
    if !confirmed {
        return Ok(());
    }
    info!("{}: sending once (writes are never retried)", op.command());
    let receipt: WriteReceipt = writes
        .submit_write(prepared)
        .await
        .map_err(may_have_been_sent)?;
    ctx.write_object(Vec::new(), receipt.scrubbed())
}

/// Whether a write may be sent: `--dry-run` prints the request (`dry_run`'s text) and says no;
/// `--yes` says yes; else a terminal is asked to confirm `summary`, and a script is refused
/// (exit 2, nothing sent) rather than left waiting for an answer.
pub(super) async fn may_send(
    ctx: &Ctx,
    args: &WriteArgs,
    command: &str,
    vendor: crate::vendor::Vendor,
    summary: &str,
    dry_run: impl FnOnce() -> String,
) -> Result<bool, AppError> {
    if args.dry_run {
        print_dry_run(ctx, &dry_run())?;
        return Ok(false);
    }
    if !args.yes {
        if !ctx.io.stdin_is_terminal {
            return Err(AppError::usage(
                format!(
                    "'{command}' changes something at {vendor} and stdin is not a terminal to confirm it, so nothing was sent"
                ),
                "add --yes to send it from a script, or --dry-run to see the request",
            ));
        }
        let summary = summary.to_string();
        let (stdin, mut prompt) = (ctx.io.stdin().clone(), ctx.io.stderr());
        let confirmed = tokio::task::spawn_blocking(move || {
            stdin.with_reader(|answer| confirm(answer, &mut prompt, &summary))
        })
        .await
        .map_err(|e| AppError::Internal(format!("the confirmation prompt failed: {e}")))?
        .map_err(|e| AppError::Internal(format!("could not read the confirmation: {e}")))?;
        if !confirmed {
            return Err(AppError::usage(
                "not confirmed, so nothing was sent",
                "answer y to send, or use --dry-run to see the request",
            ));
        }
    }
    Ok(true)
}

/// A write that failed in a way that does not prove the vendor ignored it
/// ([`ProviderError::outcome_unknown`]) may still have been carried out: a hint that only says
/// to try again must not invite the user to simply send it again. Hints an adapter wrote for
/// its vendor's answers are kept.
pub(super) fn may_have_been_sent(mut e: ProviderError) -> ProviderError {
    if e.outcome_unknown() && (e.hint.is_none() || e.hint_is_retry) {
        e.hint = Some(
            "the vendor may have received it before the failure and writes are never retried; check whether it arrived before sending it again"
                .to_string(),
        );
    }
    e
}

fn print_dry_run(ctx: &Ctx, text: &str) -> Result<(), AppError> {
    let mut out = ctx.stdout();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| crate::output::OutputError::Io {
            target: "standard output".into(),
            source,
        })?;
    note!("dry run: nothing was sent");
    Ok(())
}

/// Asks `summary` on `prompt` and reads one answer from `answer`: `y` or `yes` (any case) is a
/// yes; anything else, an empty line or the end of input is a no.
fn confirm(
    mut answer: impl BufRead,
    mut prompt: impl Write,
    summary: &str,
) -> std::io::Result<bool> {
    write!(prompt, "{summary}\nSend it? [y/N] ")?;
    prompt.flush()?;
    let mut line = String::new();
    answer.read_line(&mut line)?;
    let reply = line.trim().to_ascii_lowercase();
    Ok(reply == "y" || reply == "yes")
}

/// A phone number as write commands take it: an optional `+` and 8 to 15 digits (E.164), given
/// without spaces or dashes so what is sent is exactly what was typed.
pub fn phone(s: &str) -> Result<String, String> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "'{s}' is not a phone number: give the country code and digits only, e.g. +573001234567"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::ErrorKind;

    #[test]
    fn confirm_accepts_only_yes() {
        for (input, want) in [
            ("y\n", true),
            ("YES\n", true),
            (" yes \n", true),
            ("\n", false),
            ("n\n", false),
            ("yep\n", false),
            ("", false),
        ] {
            let mut prompt = Vec::new();
            let got = confirm(input.as_bytes(), &mut prompt, "send it to +57300").unwrap();
            assert_eq!(got, want, "answer {input:?}");
            assert_eq!(
                String::from_utf8(prompt).unwrap(),
                "send it to +57300\nSend it? [y/N] "
            );
        }
    }

    #[test]
    fn failures_of_unknown_outcome_warn_against_sending_again() {
        let hint = |e: ProviderError| may_have_been_sent(e).hint.unwrap_or_default();
        let timeout = ProviderError::new(ErrorKind::Unavailable, "X", "timed out")
            .with_retry_hint("try again");
        assert!(hint(timeout).contains("check whether it arrived"));
        let no_connection = ProviderError::new(ErrorKind::Unavailable, "X", "could not connect")
            .with_retry_hint("try again")
            .never_sent();
        assert_eq!(hint(no_connection), "try again");
        let adapter = ProviderError::new(ErrorKind::Unavailable, "X", "upload failed")
            .with_status(200)
            .with_hint("split it into smaller files, or try again later");
        assert_eq!(
            hint(adapter),
            "split it into smaller files, or try again later"
        );
        let bad_gateway = ProviderError::new(ErrorKind::Unavailable, "X", "502").with_status(502);
        assert!(hint(bad_gateway).contains("check whether it arrived"));
        let meta = ProviderError::new(ErrorKind::Unavailable, "X", "502")
            .with_status(502)
            .with_hint("Meta refused it, so nothing was delivered");
        assert_eq!(hint(meta), "Meta refused it, so nothing was delivered");
        let refused = ProviderError::new(ErrorKind::Unauthenticated, "X", "401")
            .with_status(401)
            .with_hint("check the token");
        assert_eq!(hint(refused), "check the token");
    }

    #[test]
    fn phone_numbers_are_digits_with_an_optional_plus() {
        assert_eq!(phone("+573001234567").as_deref(), Ok("+573001234567"));
        assert_eq!(phone("923001234567").as_deref(), Ok("923001234567"));
        for bad in [
            "",
            "+",
            "12345",
            "+57 300 123",
            "57-300-1234567",
            "1234567890123456",
        ] {
            assert!(phone(bad).is_err(), "{bad}");
        }
    }
}
