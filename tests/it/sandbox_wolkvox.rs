//! The real binary against the sandbox's Wolkvox: `--demo --provider wolkvox` for every command,
//! numbers that agree across commands, and an export past the 60,000-row cap that stays complete
//! and identical with faults injected.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;
use wa_analytics::sandbox::{Sandbox, SandboxOptions};

use crate::support::{Home, rfc3339, stderr, stdout};

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// `wa-analytics --demo --provider wolkvox -q ARGS`, parsed as JSON.
fn demo(home: &Home, args: &[&str]) -> Value {
    let out = home
        .cmd()
        .args(["--demo", "--provider", "wolkvox", "-q", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn count(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn demo_runs_every_wolkvox_command_and_the_numbers_agree() {
    let home = Home::new();
    // Fixed dates, so every command reads exactly the same rows.
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(45)).to_string();
    let to = today.to_string();
    let range = ["--from", from.as_str(), "--to", to.as_str()];

    let clicks = demo(&home, &[&["clicks"][..], &range].concat());
    let clicks = clicks.as_array().unwrap();
    assert!(clicks.len() > 50, "{}", clicks.len());
    assert!(
        clicks
            .iter()
            .all(|c| c["chat_id"].is_string() && c["date"].is_string())
    );
    let totals = demo(&home, &[&["clicks", "summary"][..], &range].concat());
    assert_eq!(
        count(&totals, "total_chatbot") + count(&totals, "total_agents"),
        clicks.len() as u64,
        "chat_15 counts the chat_14 rows of the same windows"
    );
    let ads = clicks.iter().filter(|c| c["source_type"] == "ad").count() as u64;
    assert_eq!(
        count(&totals, "ad_chatbot") + count(&totals, "ad_agents"),
        ads
    );

    let campaigns = demo(&home, &[&["campaigns", "list"][..], &range].concat());
    let campaigns = campaigns.as_array().unwrap();
    assert!(!campaigns.is_empty());
    let listed: u64 = campaigns.iter().map(|c| count(c, "total_contacts")).sum();
    let first = campaigns[0]["id"].as_str().unwrap().to_string();

    let summary = demo(
        &home,
        &[&["campaigns", "summary", &first][..], &range].concat(),
    );
    assert_eq!(summary["id"], first.as_str());
    assert_eq!(
        summary["name"], campaigns[0]["name"],
        "the summary has the name the list gives"
    );
    assert_eq!(
        count(&summary, "total"),
        count(&campaigns[0], "total_contacts")
    );
    let rows = demo(
        &home,
        &[&["campaigns", "details", &first][..], &range].concat(),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len() as u64, count(&summary, "total"));
    let errors = rows.iter().filter(|r| r["status"] == "error").count() as u64;
    assert_eq!(errors, count(&summary, "errors"));

    let stats = demo(&home, &[&["stats"][..], &range].concat());
    let stats = stats.as_array().unwrap();
    let sent: u64 = stats.iter().map(|b| count(b, "sent")).sum();
    let failed: u64 = stats.iter().map(|b| count(b, "errors")).sum();
    assert_eq!(sent + failed, listed, "every record is sent or failed");

    let out = home
        .cmd()
        .args([
            "--demo",
            "--provider",
            "wolkvox",
            "-q",
            "campaigns",
            "export",
            &first,
        ])
        .args(range)
        .args(["-o", "rows.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = std::fs::read_to_string(home.path().join("rows.csv")).unwrap();
    assert_eq!(csv.lines().count(), rows.len() + 1);

    let out = home
        .cmd()
        .args([
            "--demo",
            "--provider",
            "wolkvox",
            "-q",
            "campaigns",
            "summary",
            "99999",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
}

#[test]
fn demo_profiles_check_and_providers_show_wolkvox() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["--demo", "-q", "profiles", "check", "wolkvox", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nwolkvox,wolkvox,ok,\n"
    );
    let out = home
        .cmd()
        .args(["providers", "-f", "json"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cell = |c: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["command"] == c)
            .unwrap()["wolkvox"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(cell("clicks"), "native");
    assert_eq!(cell("clicks summary"), "native");
    assert_eq!(cell("campaigns details/export"), "native");
    assert!(cell("campaigns list").starts_with("derived: "));
    assert!(cell("campaigns summary").starts_with("derived: "));
    assert!(cell("stats").starts_with("derived: "));
    assert_eq!(cell("users find"), "not supported");
    assert_eq!(cell("rates"), "derived");
}

/// "Re-engagement 100%" (campaign 3006) sends all of its rows within one week: with 70,000 rows
/// its 31-day window is over the cap and must be bisected.
const ROWS: u64 = 70_000;

#[tokio::test(flavor = "multi_thread")]
async fn an_export_past_the_cap_is_complete_and_identical_with_faults_injected() {
    let clean = Sandbox::start(SandboxOptions {
        rows: ROWS,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let faulty = Sandbox::start(SandboxOptions {
        rows: ROWS,
        fault_rate: 0.25,
        latency: Duration::from_millis(1),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let (start, end) = clean.data_span();
    let mut files = Vec::new();
    for (label, sandbox) in [("clean", &clean), ("faulty", &faulty)] {
        let home = Home::new();
        home.write_config(&sandbox.config_toml());
        let mut cmd = home.cmd();
        cmd.args(["--profile", "wolkvox", "-v", "campaigns", "export", "3006"])
            .args(["--from", &rfc3339(start), "--to", &rfc3339(end)])
            .args(["--retries", "10", "-o", "out.csv"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{label}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("returned 60000 rows, the cap: asking for each half"),
            "{label}: the cap was reached and bisected: {}",
            stderr(&out)
        );
        files.push(std::fs::read_to_string(home.path().join("out.csv")).unwrap());
    }
    let lines: Vec<&str> = files[0].lines().collect();
    assert_eq!(lines.len() as u64, ROWS + 1, "every row once");
    let unique: HashSet<&str> = lines.iter().skip(1).copied().collect();
    assert_eq!(unique.len() as u64, ROWS, "no row twice");
    assert!(files[0] == files[1], "faults must not lose or double rows");
}
