//! `wa-analytics api [METHOD] PATH [-q NAME=VALUE]… [--input FILE|-]` (product.md, "Scripting"):
//! one request of the user's own to the profile's vendor, with the credentials its adapter sends
//! ([`crate::provider::raw::RawApi`]), and the answer's body printed as the vendor sent it (after
//! the masking of secrets every answer gets). GET (and a POST marked `--read`) is a read, retried
//! like any; every other method is a write: it asks on a terminal, needs `--yes` in a script and
//! takes `--dry-run` ([`super::write::may_send`]).

use clap::{Args, Parser};
use reqwest::Method;
use reqwest::header::HeaderValue;

use super::Ctx;
use super::write::{WriteArgs, may_have_been_sent, may_send};
use crate::error::AppError;
use crate::http::{ApiRequest, Safety};
use crate::provider::ErrorKind;

/// `api`'s arguments. What follows PATH is parsed on its own ([`Tail`]): there `-q` is a query
/// parameter, as the command line of `api` reads, not the global `--quiet`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
After PATH: -q, --query NAME=VALUE adds a query parameter (repeatable, percent-encoded), and \
--input, --read, --yes and --dry-run may follow too; global options go before METHOD.

Examples:
  wa-analytics -p engage api /campaigns -q from='2026-04-01 00:00:00' -q to='2026-04-30 23:59:59'
  wa-analytics -p insider api POST /api/wa/v2/statistics/overall --input body.json --read
  wa-analytics -p engagive api DELETE /templates/123 --dry-run")]
pub struct ApiArgs {
    /// The request body from FILE, or - for standard input (the method is then POST unless one
    /// is given)
    #[arg(long, value_name = "FILE|-")]
    input: Option<String>,

    /// Send a POST as a read: no confirmation, retried like a GET (Insider's statistics are
    /// read-only POSTs)
    #[arg(long)]
    read: bool,

    #[command(flatten)]
    write: WriteArgs,

    /// METHOD (GET, or POST with --input; PUT, PATCH, DELETE, … are writes) and PATH, the part
    /// after the profile's base_url, starting with /
    #[arg(
        value_name = "[METHOD] PATH",
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    words: Vec<String>,
}

/// The words after PATH.
#[derive(Debug, Parser)]
#[command(
    name = "api",
    no_binary_name = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
struct Tail {
    #[arg(short = 'q', long = "query", value_name = "NAME=VALUE")]
    query: Vec<String>,
    #[arg(long, value_name = "FILE|-")]
    input: Option<String>,
    #[arg(long)]
    read: bool,
    #[arg(short = 'y', long)]
    yes: bool,
    #[arg(long)]
    dry_run: bool,
}

/// One request as the user described it.
#[derive(Debug)]
struct Call {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    input: Option<String>,
    read: bool,
    write: WriteArgs,
}

impl Call {
    fn parse(args: ApiArgs) -> Result<Call, AppError> {
        let mut words = args.words.into_iter();
        let first = words.next().unwrap_or_default();
        let (method, path) = if first.starts_with('/') {
            (None, first)
        } else {
            let path = words.next().ok_or_else(|| {
                AppError::usage(
                    format!("api {first}: no PATH"),
                    "give the path after the profile's base_url, starting with /, as in 'api GET /campaigns'",
                )
            })?;
            (Some(first), path)
        };
        check_path(&path)?;
        let tail = Tail::try_parse_from(words).map_err(|e| {
            let what = e
                .get(clap::error::ContextKind::InvalidArg)
                .map_or_else(|| e.kind().to_string(), |a| format!("'{a}'"));
            AppError::usage(
                format!("api: {what} is not understood after PATH"),
                "after PATH come -q NAME=VALUE, --input FILE|-, --read, --yes and --dry-run; global options (-p, -v, --demo, …) go before METHOD",
            )
        })?;
        let input = match (args.input, tail.input) {
            (Some(_), Some(_)) => {
                return Err(AppError::usage(
                    "api: --input is given twice",
                    "give one body: --input FILE, or --input - for standard input",
                ));
            }
            (a, b) => a.or(b),
        };
        let method = match method {
            Some(m) => Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                .ok()
                .filter(|_| m.bytes().all(|b| b.is_ascii_alphabetic()))
                .ok_or_else(|| {
                    AppError::usage(
                        format!("api: '{m}' is not an HTTP method"),
                        "give GET, POST, PUT, PATCH or DELETE before PATH, or no method (GET; POST with --input)",
                    )
                })?,
            None if input.is_some() => Method::POST,
            None => Method::GET,
        };
        let read = args.read || tail.read;
        if read && method != Method::POST {
            return Err(AppError::usage(
                format!("api: --read marks a POST as a read; {method} is not a POST"),
                "use --read with POST only (Insider's statistics); GET is always a read",
            ));
        }
        let mut write = args.write;
        write.yes |= tail.yes;
        write.dry_run |= tail.dry_run;
        if write.yes && write.dry_run {
            return Err(AppError::usage(
                "api: --yes and --dry-run say opposite things",
                "use --dry-run to see the request, or --yes to send it",
            ));
        }
        let query = tail
            .query
            .iter()
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) if !name.is_empty() => {
                    Ok((name.to_string(), value.to_string()))
                }
                _ => Err(AppError::usage(
                    format!("api: -q '{pair}' is not NAME=VALUE"),
                    "write each query parameter as -q NAME=VALUE (quote it for the shell)",
                )),
            })
            .collect::<Result<_, _>>()?;
        Ok(Call {
            method,
            path,
            query,
            input,
            read,
            write,
        })
    }

    /// Whether the request is a read (retried, never asked about).
    fn is_read(&self) -> bool {
        self.method == Method::GET || self.method == Method::HEAD || self.read
    }
}

/// PATH is the part after the base URL: `/…`, without a query (that is `-q`) or a fragment.
fn check_path(path: &str) -> Result<(), AppError> {
    if !path.starts_with('/') {
        return Err(AppError::usage(
            format!("api: PATH '{path}' does not start with /"),
            "give the part after the profile's base_url, as in /campaigns (the address itself comes from the profile)",
        ));
    }
    if path.contains(['?', '#']) {
        return Err(AppError::usage(
            format!("api: PATH '{path}' holds a query or fragment"),
            "give query parameters with -q NAME=VALUE after PATH; they are percent-encoded for you",
        ));
    }
    Ok(())
}

/// Runs `api`.
pub(super) async fn run(args: ApiArgs, ctx: &Ctx) -> Result<(), AppError> {
    let call = Call::parse(args)?;
    let body = call
        .input
        .as_deref()
        .map(|from| read_input(ctx, from))
        .transpose()?;
    let account = ctx.account()?;
    let vendor = account.profile.vendor;
    let raw = account.provider.raw_api().ok_or_else(|| {
        AppError::Internal(format!("{vendor} has no raw API for 'wa-analytics api'"))
    })?;
    let mut req = ApiRequest {
        method: call.method.clone(),
        safety: if call.is_read() {
            Safety::Read
        } else {
            Safety::Write
        },
        ..ApiRequest::get(call.path.clone())
    };
    for (name, value) in &call.query {
        req = req.query_named(name.clone(), value.clone());
    }
    if let Some(body) = body {
        req = req.body(content_type(&body), body);
    }
    let url = raw.url(&req);
    if !call.is_read() {
        let summary = format!(
            "{} {} at {vendor} (profile '{}')",
            call.method, call.path, account.profile.name
        );
        let send = may_send(ctx, &call.write, "api", vendor, &summary, || {
            crate::provider::write::request_text(&req, &url, &raw.credential_headers())
        })
        .await?;
        if !send {
            return Ok(());
        }
        info!(
            "api: sending {} once (writes are never retried)",
            call.method
        );
    }
    let write = !call.is_read();
    let resp = raw
        .send_raw(req)
        .await
        .map_err(|e| if write { may_have_been_sent(e) } else { e })?;
    // An answer of a shape the tool does not model is no error here: it is what was asked for.
    let failed = raw
        .answer_error(&resp)
        .filter(|e| !(resp.is_success() && e.kind == ErrorKind::BadResponse));
    let path = ctx.global.output.as_deref();
    match (&failed, ctx.jq()?) {
        // A refusal goes to stdout as it came, never over -o's file, never through --jq.
        (Some(_), _) => crate::output::write_document(&resp.body, None, ctx.stdout())?,
        (None, Some(program)) => program
            .deliver(&resp.body, path, ctx.stdout())
            .map_err(|e| super::jq::failed(program.code(), e))?,
        (None, None) => crate::output::write_document(&resp.body, path, ctx.stdout())?,
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// The body of `--input FILE`, or of standard input for `-`.
fn read_input(ctx: &Ctx, from: &str) -> Result<Vec<u8>, AppError> {
    let read = if from == "-" {
        ctx.io.stdin().with_reader(|r| {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).map(|_| bytes)
        })
    } else {
        std::fs::read(from)
    };
    read.map_err(|e| {
        let what = if from == "-" {
            "standard input".to_string()
        } else {
            from.to_string()
        };
        AppError::usage(
            format!("api: cannot read --input {what}: {e}"),
            "give a readable file, or - to read the body from standard input",
        )
    })
}

/// The content type of a body given with `--input`: JSON when it parses as JSON, else text or
/// bytes.
fn content_type(body: &[u8]) -> HeaderValue {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        HeaderValue::from_static("application/json")
    } else if std::str::from_utf8(body).is_ok() {
        HeaderValue::from_static("text/plain; charset=utf-8")
    } else {
        HeaderValue::from_static("application/octet-stream")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(words: &[&str]) -> Result<Call, String> {
        let args = ApiArgs {
            input: None,
            read: false,
            write: WriteArgs::default(),
            words: words.iter().map(|w| w.to_string()).collect(),
        };
        Call::parse(args).map_err(|e| e.to_string())
    }

    #[test]
    fn the_method_is_get_unless_given_and_the_tail_holds_the_query() {
        let c = call(&[
            "/campaigns",
            "-q",
            "from=2026-04-01 00:00:00",
            "--query=x=a&b",
        ])
        .unwrap();
        assert_eq!(c.method, Method::GET);
        assert_eq!(c.path, "/campaigns");
        assert_eq!(
            c.query,
            [
                ("from".to_string(), "2026-04-01 00:00:00".to_string()),
                ("x".to_string(), "a&b".to_string())
            ]
        );
        assert!(c.is_read());
        let c = call(&["delete", "/templates/1", "-y"]).unwrap();
        assert_eq!(c.method, Method::DELETE);
        assert!(!c.is_read() && c.write.yes);
        let c = call(&["POST", "/stats", "--read"]).unwrap();
        assert!(c.is_read());
        let c = call(&["/stats", "--input", "-"]).unwrap();
        assert_eq!(c.method, Method::POST);
        assert!(!c.is_read());
    }

    #[test]
    fn bad_words_are_usage_errors() {
        for (words, message) in [
            (&["GET"][..], "api GET: no PATH"),
            (&["campaigns"], "api campaigns: no PATH"),
            (
                &["GET", "campaigns"],
                "api: PATH 'campaigns' does not start with /",
            ),
            (&["/c?x=1"], "api: PATH '/c?x=1' holds a query or fragment"),
            (&["G3T", "/c"], "api: 'G3T' is not an HTTP method"),
            (
                &["/c", "-q", "novalue"],
                "api: -q 'novalue' is not NAME=VALUE",
            ),
            (
                &["/c", "-p", "engage"],
                "api: '-p' is not understood after PATH",
            ),
            (
                &["GET", "/c", "--read"],
                "api: --read marks a POST as a read; GET is not a POST",
            ),
            (
                &["PUT", "/c", "--yes", "--dry-run"],
                "api: --yes and --dry-run say opposite things",
            ),
        ] {
            assert_eq!(call(words).unwrap_err(), message, "{words:?}");
        }
    }
}
