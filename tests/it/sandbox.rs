//! The real binary against the built-in sandbox: `--demo`, and exports that stay complete with
//! injected faults.

use std::time::Duration;

use serde_json::Value;
use wa_analytics::sandbox::{Sandbox, SandboxOptions};

use crate::support::{Home, rfc3339, stderr, stdout};

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[test]
fn demo_runs_every_engage_command_with_no_account() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["--demo", "campaigns", "list", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: --demo: generated data from the built-in sandbox, not a real account\n"
    );
    let campaigns: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(!campaigns.is_empty());
    let name = campaigns[0]["name"].as_str().unwrap().to_string();

    let out = home
        .cmd()
        .args(["--demo", "-q", "campaigns", "summary", &name, "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["name"], name.as_str());
    let rate = summary["read_rate"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&rate), "{summary}");

    let out = home
        .cmd()
        .args([
            "--demo",
            "-q",
            "campaigns",
            "details",
            &name,
            "--limit",
            "3",
            "-f",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);

    let out = home
        .cmd()
        .args(["--demo", "-q", "stats", "--last", "7d", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .starts_with("period,sent,delivered,read,engaged,errors,period_start,period_end\n")
    );

    let out = home
        .cmd()
        .args(["--demo", "-q", "campaigns", "summary", "No such campaign"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_over_the_whole_span_are_complete_and_identical_with_faults_injected() {
    let clean = Sandbox::start(SandboxOptions {
        rows: 25_000,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let faulty = Sandbox::start(SandboxOptions {
        rows: 25_000,
        fault_rate: 0.25,
        latency: Duration::from_millis(1),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let (start, end) = clean.data_span();
    let name = Sandbox::campaign_names()[0];
    let mut files = Vec::new();
    for (label, sandbox) in [("clean", &clean), ("faulty", &faulty)] {
        let home = Home::new();
        home.write_config(&sandbox.config_toml());
        let mut cmd = home.cmd();
        cmd.args([
            "campaigns",
            "export",
            name,
            "--from",
            &rfc3339(start),
            "--to",
            &rfc3339(end),
            "--page-size",
            "2000",
            "--retries",
            "8",
            "-o",
            "out.csv",
        ]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{label}: {}", stderr(&out));
        files.push(std::fs::read_to_string(home.path().join("out.csv")).unwrap());
    }
    let records = csv::ReaderBuilder::new()
        .from_reader(files[0].as_bytes())
        .records()
        .count();
    assert_eq!(records, 25_000, "every row, multi-line names included");
    let first_difference = files[0]
        .lines()
        .zip(files[1].lines())
        .position(|(a, b)| a != b);
    assert_eq!(
        first_difference, None,
        "faults must not lose or double rows"
    );
    assert_eq!(files[0].len(), files[1].len());
}
