//! `--jq EXPR` (product.md, "Scripting"; issue 16): the filter runs in process over the whole
//! merged result (every page, every profile), prints as `gh --jq` does (strings raw, other values
//! compact, one per line), and equals jq's own answer on the JSON output. Checked before any
//! request: a filter that does not parse, or `-f` other than json, is exit 2 with nothing sent.

use chrono::{DateTime, TimeZone, Utc};
use wa_analytics::sandbox::{Sandbox, SandboxOptions};

use crate::support::{Home, InProcess, anchored_home, strict_server};

/// The clock of every run: the sandbox's data ends on 2026-05-01.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap()
}

/// A sandbox of 450 contacts per campaign whose data ends at [`now`] (the same bytes on any
/// day), and a HOME whose config has its profile of every vendor.
async fn anchored() -> (Sandbox, Home) {
    let options = SandboxOptions {
        rows: 450,
        ..SandboxOptions::default()
    };
    anchored_home(options, now()).await
}

/// A campaign the sandbox sent in April 2026, its name hard on purpose (`/`, `#`, `?`).
const CAMPAIGN: &str = "Promo a/b #2?";

/// `campaigns details` of [`CAMPAIGN`] at Engage, 100 rows a page (five pages), and more.
fn details<'a>(more: &[&'a str]) -> Vec<&'a str> {
    campaign("details", more)
}

/// `campaigns COMMAND` (details, export) of [`CAMPAIGN`] at Engage, 100 rows a page, and more.
fn campaign<'a>(command: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "-p",
        "engage",
        "campaigns",
        command,
        CAMPAIGN,
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--page-size",
        "100",
    ];
    args.extend_from_slice(more);
    args
}

/// jq's own answer to `filter` over `json`, printed as gh does (`jq -r -c`), where jq is
/// installed; `None` where it is not (CI may lack it: the fixed answers below still hold).
fn jq_answer(filter: &str, json: &str) -> Option<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("jq")
        .args(["-r", "-c", filter])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "jq failed on {filter}");
    Some(String::from_utf8(out.stdout).unwrap())
}

fn ok(out: &InProcess) -> &str {
    assert_eq!(out.code, 0, "{}", out.stderr);
    &out.stdout
}

/// The filters, each with its answer on [`details`]'s 450 rows, as fixed text.
const DETAILS_FILTERS: &[(&str, &str)] = &[
    ("length", "450\n"),
    (
        "map(.status) | group_by(.) | map({(.[0]): length}) | add",
        "{\"delivered\":115,\"error\":21,\"read\":260,\"sent\":54}\n",
    ),
    (
        ".[:3][] | {contact, status}",
        "{\"contact\":\"573077486586\",\"status\":\"sent\"}\n{\"contact\":\"+573104668025\",\"status\":\"read\"}\n{\"contact\":\"573187274519\",\"status\":\"sent\"}\n",
    ),
    ("[.[] | select(.engaged)] | length", "97\n"),
];

#[tokio::test(flavor = "multi_thread")]
async fn jq_over_every_page_of_details_equals_jqs_answer_on_the_json() {
    let (_sandbox, home) = anchored().await;
    let json = home.run_in_process(&details(&["-f", "json"]), now()).await;
    let json = ok(&json).to_string();
    // Five pages were asked for: the filter sees the merged result, not a page.
    let pages = home
        .run_in_process(&details(&["-vv", "-f", "json"]), now())
        .await;
    assert_eq!(
        pages.stderr.matches("> GET ").count(),
        5,
        "{}",
        pages.stderr
    );
    for (filter, fixed) in DETAILS_FILTERS {
        let out = home
            .run_in_process(&details(&["--jq", filter]), now())
            .await;
        assert_eq!(ok(&out), *fixed, "--jq {filter}");
        if let Some(answer) = jq_answer(filter, &json) {
            assert_eq!(out.stdout, answer, "jq {filter}");
        }
        assert_eq!(out.stderr, "", "--jq {filter}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_prints_strings_raw_one_per_line() {
    let (_sandbox, home) = anchored().await;
    let filter = "first(.[] | select(.name | test(\"Línea\")) | .name)";
    let out = home
        .run_in_process(&details(&["--jq", filter]), now())
        .await;
    // A raw string keeps its own CR LF; it is not quoted or escaped.
    assert_eq!(ok(&out), "Línea 1\r\nLínea 2\n");
    let json = home.run_in_process(&details(&["-f", "json"]), now()).await;
    if let Some(answer) = jq_answer(filter, ok(&json)) {
        assert_eq!(out.stdout, answer);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_with_export_writes_the_filtered_result_to_the_file() {
    let (_sandbox, home) = anchored().await;
    let target = home.path().join("read.txt");
    let out = home
        .run_in_process(
            &campaign(
                "export",
                &[
                    "-o",
                    target.to_str().unwrap(),
                    "--jq",
                    ".[] | select(.status == \"read\") | .contact",
                ],
            ),
            now(),
        )
        .await;
    assert_eq!(ok(&out), "");
    let file = std::fs::read_to_string(&target).unwrap();
    assert_eq!(file.lines().count(), 260);
    assert_eq!(file.lines().next(), Some("+573104668025"));
    home.assert_no_temp_files();
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_over_several_profiles_sees_the_one_merged_result() {
    let (_sandbox, home) = anchored().await;
    let list = |more: &[&'static str]| {
        let mut args = vec![
            "-p",
            "engage,insider",
            "campaigns",
            "list",
            "--from",
            "2026-01-01",
            "--to",
            "2026-04-30",
        ];
        args.extend_from_slice(more);
        args
    };
    let filter = "group_by(.profile) | map({(.[0].profile): length}) | add";
    let out = home.run_in_process(&list(&["--jq", filter]), now()).await;
    let fixed = "{\"engage\":5,\"insider\":5}\n";
    assert_eq!(ok(&out), fixed);
    let json = home.run_in_process(&list(&["-f", "json"]), now()).await;
    if let Some(answer) = jq_answer(filter, ok(&json)) {
        assert_eq!(out.stdout, answer);
    }
}

#[tokio::test]
async fn a_filter_that_does_not_parse_is_exit_2_before_any_request() {
    // Any request fails the test when the server is dropped (`.expect(0)`).
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let out = home
        .run_in_process(
            &["campaigns", "list", "--jq", ".[] | select(.name =="],
            now(),
        )
        .await;
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "wa-analytics: error: the --jq filter '.[] | select(.name ==' does not parse: expected closing parenthesis at the end of the filter\n\
         hint: --jq takes a jq expression, such as --jq '.[] | .name'; quote it for the shell\n"
    );
}

#[tokio::test]
async fn jq_with_a_format_other_than_json_is_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    for format in ["csv", "tsv", "jsonl", "table"] {
        let out = home
            .run_in_process(&["campaigns", "list", "-f", format, "--jq", "."], now())
            .await;
        assert_eq!(out.code, 2, "{format}");
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            format!(
                "wa-analytics: error: --jq filters the JSON result, and -f asks for {format}\n\
                 hint: leave -f out (or use -f json) with --jq; for streaming rows without a filter, use -f jsonl\n"
            )
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filter_that_fails_at_run_time_is_exit_2_with_jaqs_message_and_no_output() {
    let (_sandbox, home) = anchored().await;
    let out = home
        .run_in_process(&details(&["--jq", ".[] | .contact, (.status + 1)"]), now())
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "", "nothing of a failed filter is printed");
    assert_eq!(
        out.stderr,
        "wa-analytics: error: the --jq filter '.[] | .contact, (.status + 1)' failed: cannot calculate \"sent\" + 1\n\
         hint: -f json without --jq prints the result the filter was given\n"
    );
}
