//! The real binary against the sandbox's Wolkvox: `--demo --provider wolkvox` for every command,
//! numbers that agree across commands, an export past the 60,000-row cap that stays complete
//! and identical with faults injected, the days of an operation in Bogota (and of `--tz UTC`),
//! and answers in an unknown schema (exit 6).

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

/// `wa-analytics --profile wolkvox -q ARGS` against `sandbox`'s printed config.
async fn printed(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    let home = Home::new();
    home.write_config(&sandbox.config_toml());
    let mut cmd = home.cmd();
    cmd.args(["--profile", "wolkvox", "-q"]).args(args);
    run(cmd).await
}

/// A week of Bogota days: from April 10 to April 17, 2026, midnight in Bogota.
const WEEK: [&str; 4] = [
    "--from",
    "2026-04-10T05:00:00Z",
    "--to",
    "2026-04-17T05:00:00Z",
];

/// `(period, period_start, period_end, sent, errors)` of each stats row.
fn buckets(out: &std::process::Output) -> Vec<(String, String, String, u64, u64)> {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let rows: Value = serde_json::from_str(&stdout(out)).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap().to_string();
            (
                s("period"),
                s("period_start"),
                s("period_end"),
                count(b, "sent"),
                count(b, "errors"),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bogota_operation_cuts_its_days_at_five_utc_and_tz_utc_at_midnight() {
    let bogota = wa_analytics::time::Zone::parse("America/Bogota").unwrap();
    let anchor = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 5, 1, 0, 0, 0).unwrap();
    let sandbox = Sandbox::start_anchored(
        SandboxOptions {
            rows: 300,
            wolkvox_zone: bogota,
            ..SandboxOptions::default()
        },
        anchor,
    )
    .await
    .unwrap();
    assert!(
        sandbox
            .config_toml()
            .contains("[profiles.wolkvox]\nprovider = \"wolkvox\"\n"),
        "{}",
        sandbox.config_toml()
    );
    assert!(
        sandbox
            .config_toml()
            .contains("timezone = \"America/Bogota\"\n")
    );

    let local = buckets(&printed(&sandbox, &[&["stats", "-f", "json"][..], &WEEK].concat()).await);
    assert_eq!(local.len(), 7, "{local:?}");
    for (day, (period, start, end, _, _)) in local.iter().enumerate() {
        let date = format!("2026-04-{:02}", 10 + day);
        let next = format!("2026-04-{:02}", 11 + day);
        assert_eq!(
            (period.as_str(), start.as_str(), end.as_str()),
            (
                date.as_str(),
                format!("{date}T05:00:00Z").as_str(),
                format!("{next}T05:00:00Z").as_str()
            )
        );
    }
    let utc = buckets(
        &printed(
            &sandbox,
            &[&["stats", "--tz", "UTC", "-f", "json"][..], &WEEK].concat(),
        )
        .await,
    );
    // The same instants in UTC days: April 10 (from 05:00) to April 17 (to 05:00).
    assert_eq!(utc.len(), 8, "{utc:?}");
    for (day, (period, start, end, _, _)) in utc.iter().enumerate() {
        let date = format!("2026-04-{:02}", 10 + day);
        let next = format!("2026-04-{:02}", 11 + day);
        assert_eq!(
            (period.as_str(), start.as_str(), end.as_str()),
            (
                date.as_str(),
                format!("{date}T00:00:00Z").as_str(),
                format!("{next}T00:00:00Z").as_str()
            )
        );
    }
    let sum = |b: &[(String, String, String, u64, u64)]| {
        b.iter()
            .fold((0, 0), |(s, e), (_, _, _, bs, be)| (s + bs, e + be))
    };
    assert_eq!(sum(&local), sum(&utc), "the same records over the range");
    assert!(sum(&local).0 > 0);

    // Each day holds exactly the records sent in it, as the contact rows' sent_at place them.
    let rows = printed(
        &sandbox,
        &[&["campaigns", "details", "all", "-f", "json"][..], &WEEK].concat(),
    )
    .await;
    assert_eq!(rows.status.code(), Some(0), "{}", stderr(&rows));
    let rows: Value = serde_json::from_str(&stdout(&rows)).unwrap();
    let expected = |shift: chrono::Duration, buckets: &[(String, String, String, u64, u64)]| {
        let mut want: Vec<(String, u64, u64)> =
            buckets.iter().map(|(p, ..)| (p.clone(), 0, 0)).collect();
        for r in rows.as_array().unwrap() {
            let sent_at = chrono::DateTime::parse_from_rfc3339(r["sent_at"].as_str().unwrap())
                .unwrap()
                + shift;
            let day = sent_at.date_naive().to_string();
            let slot = want.iter_mut().find(|(p, ..)| *p == day).unwrap();
            match r["status"].as_str() {
                Some("error") => slot.2 += 1,
                Some(_) => slot.1 += 1,
                None => {}
            }
        }
        want
    };
    let got = |b: &[(String, String, String, u64, u64)]| {
        b.iter()
            .map(|(p, _, _, s, e)| (p.clone(), *s, *e))
            .collect::<Vec<_>>()
    };
    assert_eq!(got(&local), expected(chrono::Duration::hours(-5), &local));
    assert_eq!(got(&utc), expected(chrono::Duration::zero(), &utc));
    assert_ne!(
        got(&local)[1..7].iter().map(|b| b.1).collect::<Vec<_>>(),
        got(&utc)[1..7].iter().map(|b| b.1).collect::<Vec<_>>(),
        "the counts move between days"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_in_an_unknown_schema_is_exit_6_naming_the_fields_it_lacks() {
    let sandbox = Sandbox::start(SandboxOptions {
        rows: 50,
        variants: vec![wa_analytics::sandbox::Variant::UnknownSchema],
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    for (args, lacks) in [
        (
            &["stats"][..],
            "a campaign_9 record lacks data[].date, data[].status",
        ),
        (
            &["campaigns", "list"][..],
            "a campaign_9 record lacks data[].campaing_id",
        ),
        (
            &["campaigns", "summary", "all"][..],
            "a campaign_9 record lacks data[].status",
        ),
        (
            &["campaigns", "details", "all"][..],
            "a campaign_9 record lacks data[].telephone",
        ),
        (&["clicks"][..], "it lacks data[].chat_id"),
        (
            &["clicks", "summary"][..],
            "it has none of the counts data[].ad_chatbot",
        ),
    ] {
        let out = printed(&sandbox, &[args, &["--last", "30d"]].concat()).await;
        assert_eq!(out.status.code(), Some(6), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(lacks), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}
