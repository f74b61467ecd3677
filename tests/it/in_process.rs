//! The command line run in-process (`wa_analytics::run_async` on a test `Host`): streams in
//! memory, the environment given, the clock stopped, and the provider factory injectable. Each
//! run's warnings and errors land in its own stderr buffer, even with other runs in parallel.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use serde_json::Value;
use wa_analytics::api_error::{ErrorKind, ProviderError};
use wa_analytics::vendor::Vendor;

use crate::support::{Home, InProcess, run_host};

/// The stopped clock of these tests.
fn now() -> DateTime<Utc> {
    "2026-03-15T12:34:56Z".parse().unwrap()
}

/// What `--demo` says first.
const DEMO: &str =
    "wa-analytics: --demo: generated data from the built-in sandbox, not a real account\n";

/// `text` with the port of the sandbox's address written `PORT`.
fn without_port(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        let (head, tail) = rest.split_at(i + "127.0.0.1:".len());
        out.push_str(head);
        out.push_str("PORT");
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// The vendors' ids, joined by `sep`, in display order.
fn vendor_ids(sep: &str) -> String {
    Vendor::all().map(|v| v.id()).collect::<Vec<_>>().join(sep)
}

/// `profiles check -f csv` of the demo's profiles (one per vendor, named after it, in name
/// order), every one ok.
fn demo_profiles_ok() -> String {
    let mut ids: Vec<_> = Vendor::all().map(|v| v.id()).collect();
    ids.sort_unstable();
    let rows: String = ids.iter().map(|id| format!("{id},{id},ok,\n")).collect();
    format!("name,provider,result,detail\n{rows}")
}

async fn run(home: &Home, args: &[&str]) -> InProcess {
    home.run_in_process(args, now()).await
}

#[tokio::test]
async fn providers_lists_every_command_for_every_vendor() {
    let home = Home::new();
    let out = run(&home, &["providers", "-f", "json"]).await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let got: Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = got.as_array().unwrap();
    let commands: Vec<&str> = rows
        .iter()
        .map(|r| r["command"].as_str().unwrap())
        .collect();
    assert_eq!(commands.first(), Some(&"campaigns list"));
    assert_eq!(commands.last(), Some(&"rates"));
    assert!(commands.contains(&"clicks summary") && commands.contains(&"trigger"));
    let row = |c: &str| rows.iter().find(|r| r["command"] == c).unwrap().clone();
    assert_eq!(row("campaigns summary")["engage"], "native");
    assert_eq!(row("clicks")["engage"], "not supported");
    assert_eq!(row("rates")["engage"], "native");
    assert_eq!(row("rates")["engagive"], "not supported");
    assert_eq!(row("templates list")["engagive"], "native");
    let csv = run(&home, &["providers", "-f", "csv"]).await;
    assert_eq!(
        csv.stdout.lines().next(),
        Some(format!("command,{}", vendor_ids(",")).as_str())
    );
}

#[tokio::test]
async fn global_options_work_before_and_after_the_command() {
    let home = Home::new();
    let before = run(&home, &["-f", "csv", "--fields", "command", "providers"]).await;
    let after = run(&home, &["providers", "-f", "csv", "--fields", "command"]).await;
    assert_eq!((before.code, before.stderr.as_str()), (0, ""));
    assert!(
        before
            .stdout
            .starts_with("command\ncampaigns list\ncampaigns summary\n"),
        "{}",
        before.stdout
    );
    assert_eq!(before.stdout, after.stdout);
}

#[tokio::test]
async fn fields_help_lists_the_fields_and_unknown_fields_are_exit_2() {
    let home = Home::new();
    let out = run(&home, &["providers", "--fields", "help"]).await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert!(
        out.stdout.lines().next().unwrap().starts_with("command "),
        "{}",
        out.stdout
    );
    let out = run(&home, &["providers", "--fields", "command,nope"]).await;
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!(
            "wa-analytics: error: unknown field 'nope' in --fields; this command's fields are: command, {}. Run with '--fields help' to see what each holds.\n",
            vendor_ids(", ")
        )
    );
}

/// With no runtime of the caller's, `run_with` starts one, as the binary does; what it writes is
/// byte for byte what the binary writes.
#[test]
fn completions_print_a_script_for_each_shell() {
    let home = Home::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (host, captured) = home.host(&[], now());
        let code = wa_analytics::run_with(["wa-analytics", "completions", shell], host);
        assert_eq!((code, captured.stderr().as_str()), (0, ""), "{shell}");
        assert!(captured.stdout().contains("wa-analytics"), "{shell}");
        let binary = home.cmd().args(["completions", shell]).output().unwrap();
        assert_eq!(captured.stdout.bytes(), binary.stdout, "{shell}");
    }
}

#[tokio::test]
async fn without_a_config_a_read_command_explains_how_to_set_one_up() {
    let home = Home::new();
    let out = run(&home, &["campaigns", "list"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        format!(
            "wa-analytics: error: no profile to use: there is no config file at {} and no --provider\nhint: create the config file (see the README's 'Configuration'), pass --config PATH, or use --provider VENDOR with WA_<VENDOR>_<FIELD> variables\n",
            home.config_path().display()
        )
    );
}

#[tokio::test]
async fn profiles_list_shows_each_profile_and_its_validity() {
    let home = Home::new();
    home.write_config(
        "default_profile = \"good\"\n[profiles.good]\nprovider = \"engage\"\nbot_token = \"b\"\ntoken = \"t\"\n[profiles.bad]\nprovider = \"engage\"\nbot_token = \"b\"\n",
    );
    let out = run(
        &home,
        &[
            "profiles",
            "list",
            "-f",
            "csv",
            "--fields",
            "name,provider,default,valid",
        ],
    )
    .await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        "name,provider,default,valid\nbad,engage,false,false\ngood,engage,true,true\n"
    );
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let home = Home::new();
    let out = run(&home, &["campaigns", "list", "--frobnicate"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: unexpected argument '--frobnicate' found\n\n  tip: a similar argument exists: '--format'\n\nUsage: wa-analytics campaigns list --format <FMT>\n\nFor more information, try '--help'.\n"
    );
    let out = run(
        &home,
        &["campaigns", "list", "--last", "7d", "--from", "2026-01-01"],
    )
    .await;
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: the argument '--last <DURATION>' cannot be used with '--from <WHEN>'\n\nUsage: wa-analytics campaigns list --last <DURATION>\n\nFor more information, try '--help'.\n"
    );
    let out = run(&home, &["--help"]).await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert!(
        out.stdout.starts_with("One command line for the WhatsApp"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\n  campaigns "), "{}", out.stdout);
}

#[cfg(unix)]
#[tokio::test]
async fn a_readable_config_with_a_literal_secret_gets_the_chmod_warning() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let path = home.write_config("[profiles.a]\nprovider = \"engage\"\nbot_token = \"b0t-literal\"\ntoken = { env = \"T\" }\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(
        &home,
        &["profiles", "list", "-f", "csv", "--fields", "name"],
    )
    .await;
    assert_eq!((out.code, out.stdout.as_str()), (0, "name\na\n"));
    assert_eq!(
        out.stderr,
        format!(
            "wa-analytics: warning: {p} is readable by other users and holds a literal secret (profiles.a.bot_token); run: chmod 600 {p}\n",
            p = path.display()
        )
    );
    let quiet = run(&home, &["-q", "profiles", "list"]).await;
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));
}

/// Two runs at once on one runtime: each keeps its own lines at its own verbosity.
#[tokio::test(flavor = "multi_thread")]
async fn parallel_runs_each_capture_their_own_diagnostics() {
    let home = Home::new();
    let missing = home.path().join("missing.toml");
    let missing = missing.to_str().unwrap();
    let quiet = ["-q", "--config", missing, "profiles", "list"];
    let unknown_field = ["providers", "--fields", "nope"];
    let (a, b) = futures::join!(run(&home, &quiet), run(&home, &unknown_field));
    assert_eq!((a.code, a.stdout.as_str()), (2, ""));
    assert_eq!(
        a.stderr,
        format!(
            "wa-analytics: error: config file {missing} not found\nhint: create it with a [profiles.NAME] table, point --config at another file, or use --provider VENDOR with WA_<VENDOR>_<FIELD> variables\n"
        )
    );
    assert_eq!((b.code, b.stdout.as_str()), (2, ""));
    assert_eq!(
        b.stderr,
        format!(
            "wa-analytics: error: unknown field 'nope' in --fields; this command's fields are: command, {}. Run with '--fields help' to see what each holds.\n",
            vendor_ids(", ")
        )
    );
}

/// The default range is the 30 days before the run's "now", and `--demo`'s data ends at the
/// midnight after it: with the clock stopped, the output is the same on any day.
#[tokio::test(flavor = "multi_thread")]
async fn the_default_range_and_the_demo_data_follow_the_runs_clock() {
    let home = Home::new();
    let args = [
        "--demo",
        "-v",
        "campaigns",
        "list",
        "-f",
        "csv",
        "--fields",
        "name,sent_at",
    ];
    let out = run(&home, &args).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "name,sent_at\nPromo a/b #2?,2026-02-19T00:00:00Z\nRe-engagement 100%,2026-02-28T00:00:00Z\n\"Descuento 20 % + envío \"\"gratis\"\"\",2026-03-07T00:00:00Z\nLanzamiento 🚀 Q1,\n"
    );
    assert_eq!(
        out.stderr,
        format!(
            "{DEMO}wa-analytics: profile 'engage' (engage)\nwa-analytics: range: 2026-02-13T12:34:56Z to 2026-03-15T12:34:56Z (half-open, UTC; zone UTC; default: the last 30 days)\nwa-analytics: 4 row(s)\n"
        )
    );
    // Another day, another range.
    let later: DateTime<Utc> = "2026-04-20T00:00:00Z".parse().unwrap();
    let out = home.run_in_process(&args, later).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "wa-analytics: range: 2026-03-21T00:00:00Z to 2026-04-20T00:00:00Z (half-open, UTC; zone UTC; default: the last 30 days)\n"
        ),
        "{}",
        out.stderr
    );
}

/// `Ctx::account` and `profiles check` build providers with the host's factory.
#[tokio::test(flavor = "multi_thread")]
async fn the_injected_provider_factory_builds_every_provider() {
    let home = Home::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let (host, captured) = home.host(&[], now());
    let counted = calls.clone();
    let host = host.with_build(move |profile, http| {
        counted.fetch_add(1, Ordering::SeqCst);
        wa_analytics::provider::build(profile, http)
    });
    let out = run_host(
        host,
        &captured,
        &["--demo", "-q", "profiles", "check", "-f", "csv"],
    )
    .await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(out.stdout, demo_profiles_ok());
    assert_eq!(calls.load(Ordering::SeqCst), Vendor::all().count());

    // A factory that refuses: its error is the run's, reported like any other, and a secret it
    // repeats is masked.
    let (host, captured) = home.host(&[], now());
    let host = host.with_build(|profile, _| {
        let token = profile.secret("token").unwrap().get().unwrap();
        Err(ProviderError::new(
            ErrorKind::Unauthenticated,
            "Engage",
            format!(
                "the test factory refuses token {}",
                secrecy::ExposeSecret::expose_secret(&token)
            ),
        ))
    });
    let out = run_host(host, &captured, &["--demo", "campaigns", "list"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (4, ""));
    assert_eq!(
        out.stderr,
        format!("{DEMO}wa-analytics: error: Engage: the test factory refuses token ***.\n")
    );
}

/// `messages send --json -` reads the run's stdin, and a terminal is asked on the run's stderr.
#[tokio::test(flavor = "multi_thread")]
async fn stdin_and_the_confirmation_prompt_are_the_runs() {
    let home = Home::new();
    let (mut host, captured) = home.host(&[], now());
    host.io = host
        .io
        .with_stdin("{\"type\":\"location\",\"location\":{\"latitude\":4.6,\"longitude\":-74.1}}");
    let out = run_host(
        host,
        &captured,
        &[
            "--demo",
            "--provider",
            "engagive",
            "messages",
            "send",
            "--to",
            "+573001234567",
            "--json",
            "-",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        without_port(&out.stdout),
        "POST http://127.0.0.1:PORT/engagive/channels/whatsapp/accounts/sandbox-account-1/messages/send-single\nauthorization: ***\ncontent-type: application/json\n\n{\n  \"content_json\": {\n    \"latitude\": 4.6,\n    \"longitude\": -74.1\n  },\n  \"message_type\": \"location\",\n  \"to\": \"+573001234567\"\n}\n"
    );
    assert_eq!(
        out.stderr,
        format!("{DEMO}wa-analytics: dry run: nothing was sent\n")
    );

    let (mut host, captured) = home.host(&[], now());
    host.io = host.io.with_stdin("n\n");
    host.io.stdin_is_terminal = true;
    let out = run_host(
        host,
        &captured,
        &[
            "--demo",
            "--provider",
            "engagive",
            "messages",
            "send",
            "--to",
            "+573001234567",
            "--text",
            "hello",
        ],
    )
    .await;
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        format!(
            "{DEMO}Engagive: send a text message to +573001234567\nSend it? [y/N] wa-analytics: error: not confirmed, so nothing was sent\nhint: answer y to send, or use --dry-run to see the request\n"
        )
    );
}
