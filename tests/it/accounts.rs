//! Across accounts (product.md; issue 14): a read command over several profiles is one result.
//! Against the built-in sandbox with a profile of every vendor, `--all-profiles` equals the
//! single-profile runs concatenated; a failing profile does not stop the others (exit 3, named);
//! Wolkvox profiles of one token never have two requests in flight; against wiremock, each
//! profile sends exactly its own requests.

use serde_json::{Value, json};
use wa_analytics::sandbox::{Sandbox, SandboxOptions};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{Home, RawQuery, engage_range, run, stderr, stdout, strict_server};

/// A fixed range the sandbox has campaigns in at every analytics vendor.
fn range() -> Vec<String> {
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(45)).to_string();
    vec!["--from".into(), from, "--to".into(), today.to_string()]
}

/// A sandbox and a HOME whose config has its profile of every vendor (named after the vendor,
/// in the order engage, engati, insider, wolkvox, engagive), plus `extra` TOML.
async fn sandbox_home(options: SandboxOptions, extra: &str) -> (Sandbox, Home) {
    let sandbox = Sandbox::start(options).await.unwrap();
    let home = Home::new();
    home.write_config(&format!("{}{extra}", sandbox.config_toml()));
    (sandbox, home)
}

/// The body of `[profiles.NAME]` in a config the sandbox printed (its keys, up to the next table).
fn section(config: &str, name: &str) -> String {
    let head = format!("{name}]");
    config
        .split("\n[profiles.")
        .find(|t| t.starts_with(&head))
        .unwrap()
        .trim_start_matches(&head)
        .to_string()
}

/// Parses CSV into its header and records.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Writes CSV as the tool does (for comparing bytes).
fn write_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn all_profiles_is_the_single_profile_runs_concatenated_byte_for_byte() {
    let (_sandbox, home) = sandbox_home(SandboxOptions::default(), "").await;
    for command in [
        vec!["campaigns", "list"],
        vec!["campaigns", "summary"],
        vec!["stats"],
        vec!["stats", "--total"],
    ] {
        let mut all = home.cmd();
        all.args(["--all-profiles", "-f", "csv"])
            .args(&command)
            .args(range());
        let out = run(all).await;
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", stderr(&out));
        // The vendors that do not serve it are skipped, one line each.
        let err = stderr(&out);
        let skipped: Vec<&str> = err
            .lines()
            .filter(|l| l.contains("skipped"))
            .map(|l| l.split(':').nth(1).unwrap().trim())
            .collect();
        assert_eq!(
            skipped,
            ["skipped profile 'engati'", "skipped profile 'engagive'"],
            "{command:?}: {}",
            stderr(&out)
        );
        let (header, rows) = parse_csv(&stdout(&out));
        assert_eq!(&header[..2], ["profile", "vendor"], "{command:?}");
        let mut seen = Vec::new();
        for vendor in ["engage", "insider", "wolkvox"] {
            let mut one = home.cmd();
            one.args(["-p", vendor, "-f", "csv"])
                .args(&command)
                .args(range());
            let single = run(one).await;
            assert_eq!(single.status.code(), Some(0), "{}", stderr(&single));
            let (own, _) = parse_csv(&stdout(&single));
            // This profile's rows, projected on its own columns, are its single run's bytes;
            // every other column of them is empty.
            let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == vendor).collect();
            assert!(mine.iter().all(|r| r[1] == vendor));
            let at: Vec<usize> = own
                .iter()
                .map(|name| header.iter().position(|h| h == name).unwrap())
                .collect();
            let projected: Vec<Vec<String>> = mine
                .iter()
                .map(|r| at.iter().map(|&i| r[i].clone()).collect())
                .collect();
            assert_eq!(
                write_csv(&own, &projected),
                stdout(&single),
                "{command:?} {vendor}"
            );
            for row in &mine {
                for (i, cell) in row.iter().enumerate().skip(2) {
                    if !at.contains(&i) {
                        assert_eq!(cell, "", "{command:?} {vendor}: {}", header[i]);
                    }
                }
            }
            seen.extend(std::iter::repeat_n(vendor, mine.len()));
        }
        // Rows of one profile together, profiles in the file's order, nothing else.
        let order: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(order, seen, "{command:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_and_jsonl_records_start_with_profile_and_vendor_in_one_document() {
    let (_sandbox, home) = sandbox_home(SandboxOptions::default(), "").await;
    let mut cmd = home.cmd();
    cmd.args([
        "-p",
        "wolkvox,engage",
        "-q",
        "-f",
        "json",
        "stats",
        "--total",
    ])
    .args(range());
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let rows = doc.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{text}");
    let elements: Vec<&str> = text.lines().filter(|l| l.contains('{')).collect();
    for (element, name) in elements.iter().zip(["wolkvox", "engage"]) {
        let start = format!("{{\"profile\":\"{name}\",\"vendor\":\"{name}\",");
        assert!(element.trim_start().starts_with(&start), "{element}");
    }
    for (row, name) in rows.iter().zip(["wolkvox", "engage"]) {
        assert_eq!(row["profile"], json!(name));
        assert_eq!(row["vendor"], json!(name));
    }
    assert_eq!(stderr(&out), "");
    let mut lines = home.cmd();
    lines
        .args([
            "-p",
            "wolkvox,engage",
            "-q",
            "-f",
            "jsonl",
            "stats",
            "--total",
        ])
        .args(range());
    let out = run(lines).await;
    let parsed: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&parsed, rows);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_profile_leaves_the_others_rows_and_ends_with_exit_3_naming_it() {
    let down = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        // One attempt (--retries 1) in each of the two runs.
        .expect(2)
        .mount(&down)
        .await;
    let extra = format!(
        "\n[profiles.insider-bad]\nprovider = \"insider\"\nbase_url = \"{}\"\nclient_id = \"nope\"\nclient_secret = \"wrong-secret-canary\"\n\
         \n[profiles.engage-down]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"b\"\ntoken = \"t\"\n\
         \n[profiles.unreadable]\nprovider = \"engage\"\nbot_token = {{ env = \"WA_TEST_UNSET_TOKEN\" }}\ntoken = \"t\"\n",
        "http://127.0.0.1:1",
        down.uri()
    );
    let (sandbox, home) = sandbox_home(SandboxOptions::default(), &extra).await;
    // The bad Insider profile has the sandbox's address but not its credentials.
    let config = std::fs::read_to_string(home.config_path())
        .unwrap()
        .replace(
            "base_url = \"http://127.0.0.1:1\"",
            &format!(
                "base_url = \"{}\"",
                sandbox.base_url(wa_analytics::provider::Vendor::Insider)
            ),
        );
    home.write_config(&config);
    let mut one = home.cmd();
    one.args(["-p", "engage", "-f", "csv", "campaigns", "list"])
        .args(range());
    let alone = stdout(&run(one).await);
    for output in [None, Some("out.csv")] {
        let mut cmd = home.cmd();
        cmd.args([
            "-p",
            "insider-bad,engage,engage-down,unreadable",
            "--retries",
            "1",
            "-f",
            "csv",
            "campaigns",
            "list",
        ])
        .args(range());
        if let Some(file) = output {
            cmd.args(["-o", file]);
        }
        let out = run(cmd).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{err}");
        let printed = match output {
            Some(file) => std::fs::read_to_string(home.path().join(file)).unwrap(),
            None => stdout(&out),
        };
        let (header, rows) = parse_csv(&printed);
        assert_eq!(&header[..2], ["profile", "vendor"]);
        assert!(!rows.is_empty() && rows.iter().all(|r| r[0] == "engage"));
        assert_eq!(rows.len(), parse_csv(&alone).1.len());
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("wa-analytics: error: profile 'insider-bad': Insider")),
            "{err}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("wa-analytics: error: profile 'engage-down': Engage")),
            "{err}"
        );
        let last = format!(
            "wa-analytics: error: the result is missing 3 of 4 profiles: insider-bad, engage-down, unreadable (their errors are above){}",
            output
                .map(|f| format!("; {f} holds what the other profiles gave"))
                .unwrap_or_default()
        );
        assert_eq!(lines.last(), Some(&last.as_str()), "{err}");
        assert!(
            lines.iter().any(
                |l| l.starts_with("wa-analytics: error: profile 'unreadable': ")
                    && l.contains("WA_TEST_UNSET_TOKEN")
            ),
            "{err}"
        );
        assert!(!err.contains("wrong-secret-canary"));
        home.assert_no_temp_files();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn none_of_the_profiles_serving_the_command_is_exit_2_and_unknown_names_fail_first() {
    let (_sandbox, home) = sandbox_home(SandboxOptions::default(), "").await;
    let mut cmd = home.cmd();
    cmd.args(["-p", "engati,engagive", "campaigns", "list"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(
            "wa-analytics: error: none of the profiles (engati: Engati, engagive: Engagive) serves this command"
        ),
        "{}",
        stderr(&out)
    );
    let mut cmd = home.cmd();
    cmd.args(["-p", "engage,nosuch", "campaigns", "list"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
    // A write takes one profile.
    let mut cmd = home.cmd();
    cmd.args([
        "-p",
        "engati,engagive",
        "messages",
        "send",
        "--to",
        "+573001112233",
        "--text",
        "hi",
        "--yes",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("a write command takes one profile"));
}

#[tokio::test(flavor = "multi_thread")]
async fn wolkvox_profiles_of_one_token_never_overlap_their_requests() {
    // Two more Wolkvox profiles with the sandbox's token: its detector answers 403
    // "SIMULTANEOUS REQUESTS" to a second request in flight for one token.
    let (sandbox, home) = sandbox_home(
        SandboxOptions {
            latency: std::time::Duration::from_millis(40),
            ..SandboxOptions::default()
        },
        "",
    )
    .await;
    let config = std::fs::read_to_string(home.config_path()).unwrap();
    let wolkvox = section(&config, "wolkvox");
    home.write_config(&format!(
        "{config}\n[profiles.w2]{wolkvox}\n[profiles.w3]{wolkvox}"
    ));
    let _ = sandbox;
    let mut cmd = home.cmd();
    cmd.args([
        "-p",
        "wolkvox,w2,w3",
        "-f",
        "csv",
        "--retries",
        "1",
        "stats",
    ])
    .args(range());
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (_, rows) = parse_csv(&stdout(&out));
    for name in ["wolkvox", "w2", "w3"] {
        assert!(rows.iter().any(|r| r[0] == name), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_profile_sends_exactly_its_own_requests() {
    let (a, b) = (strict_server().await, strict_server().await);
    let query = RawQuery(engage_range("2026-04-01 00:00:00", "2026-04-30 23:59:59"));
    for (server, token, id) in [(&a, "token-a", "ca"), (&b, "token-b", "cb")] {
        Mock::given(method("GET"))
            .and(path("/campaigns"))
            .and(RawQuery(query.0.clone()))
            .and(header("x-token", token))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
                {"id": id, "name": format!("Campaign {id}"), "type": "one-time", "status": "completed",
                 "created_at": "2026-04-01 09:00:00", "sent_at": null, "total_contacts": 3}
            ]})))
            // The run below, then the -v run.
            .expect(2)
            .mount(server)
            .await;
    }
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.b]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"token-b\"\ntoken = \"jwt\"\n\
         \n[profiles.a]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"token-a\"\ntoken = \"jwt\"\n",
        b.uri(),
        a.uri()
    ));
    let mut cmd = home.cmd();
    cmd.args([
        "--all-profiles",
        "-f",
        "tsv",
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The file's order: b first.
    assert_eq!(
        stdout(&out),
        "profile\tvendor\tid\tname\ttype\tstatus\tcreated_at\tsent_at\ttotal_contacts\n\
         b\tengage\tcb\tCampaign cb\tone-time\tcompleted\t2026-04-01T09:00:00Z\t\t3\n\
         a\tengage\tca\tCampaign ca\tone-time\tcompleted\t2026-04-01T09:00:00Z\t\t3\n"
    );
    assert_eq!(stderr(&out), "");
    // -v names each profile's range, on lines that say whose they are.
    let mut cmd = home.cmd();
    cmd.args([
        "-p",
        "a,b",
        "-v",
        "-f",
        "tsv",
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(cmd).await;
    let err = stderr(&out);
    for name in ["a", "b"] {
        assert!(
            err.lines().any(|l| l.starts_with(&format!(
                "wa-analytics: [{name}] range: 2026-04-01T00:00:00Z to 2026-05-01T00:00:00Z"
            ))),
            "{err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_reads_the_profiles_named() {
    let (_sandbox, home) = sandbox_home(SandboxOptions::default(), "").await;
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "wolkvox,engage"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name\tprovider\tresult\tdetail\nwolkvox\twolkvox\tok\t\nengage\tengage\tok\t\n"
    );
    let mut cmd = home.cmd();
    cmd.args(["-p", "insider,nosuch", "profiles", "check"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "name\tprovider\tresult\tdetail\ninsider\tinsider\tok\t\nnosuch\t\tconfig\t"
        ),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incremental_export_over_several_profiles_moves_only_the_positions_of_those_written() {
    let down = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .expect(1)
        .mount(&down)
        .await;
    let (sandbox, home) = sandbox_home(SandboxOptions::default(), "").await;
    let engage = sandbox.base_url(wa_analytics::provider::Vendor::Engage);
    let config = std::fs::read_to_string(home.config_path()).unwrap();
    let creds = "bot_token = \"";
    let section = section(&config, "engage");
    assert!(section.contains(creds) && section.contains(&engage));
    home.write_config(&format!(
        "{config}\n[profiles.engage2]{section}\n[profiles.down]{}",
        section.replace(&engage, &down.uri())
    ));
    let export = |extra: &[&str]| {
        let mut cmd = home.cmd();
        cmd.args([
            "campaigns",
            "export",
            "Black Friday 50% off",
            "--from",
            "2026-07-01",
            "--to",
            "2026-08-01",
            "--state",
            "nightly",
            "--retries",
            "1",
        ])
        .args(extra);
        cmd
    };
    let out = run(export(&["-p", "engage,engage2,down", "-o", "a.csv"])).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let (_, rows) = parse_csv(&std::fs::read_to_string(home.path().join("a.csv")).unwrap());
    let per = |name: &str| rows.iter().filter(|r| r[0] == name).count();
    assert!(per("engage") > 0);
    assert_eq!(per("engage"), per("engage2"));
    assert_eq!(per("down"), 0);
    let mut show = home.cmd();
    show.args(["-f", "json", "state", "show", "nightly"]);
    let shown = run(show).await;
    let text = stdout(&shown);
    let entries: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<String> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_string())
        .collect();
    let mut keys = keys;
    keys.sort();
    assert_eq!(
        keys,
        [
            "engage/campaigns export/Black Friday 50% off",
            "engage2/campaigns export/Black Friday 50% off"
        ],
        "{text}"
    );
    // The next run of the two that were written finds nothing new.
    let out = run(export(&["-p", "engage,engage2", "-o", "b.csv"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_config_file_is_read_and_warned_about_once_however_many_profiles() {
    use std::os::unix::fs::PermissionsExt;
    let (_sandbox, home) = sandbox_home(SandboxOptions::default(), "").await;
    let path = home.config_path();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut cmd = home.cmd();
    cmd.args(["--all-profiles", "-f", "csv", "campaigns", "list"])
        .args(range());
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.matches("is readable by other users").count(),
        1,
        "{err}"
    );
}
