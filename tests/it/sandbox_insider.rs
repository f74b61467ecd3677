//! Insider end to end: the real binary against the built-in sandbox (`--demo --provider insider`,
//! and a started sandbox with profiles of all three credential kinds).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;
use wa_analytics::provider::Vendor;
use wa_analytics::sandbox::{
    INSIDER_API_KEY, INSIDER_CLIENT_ID, INSIDER_CLIENT_SECRET, INSIDER_TOKEN, Sandbox,
    SandboxOptions,
};

use crate::support::{Home, json_ok, rfc3339, stderr, stdout};

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// Profiles `oauth`, `token` and `key` for the sandbox's Insider, one per credential kind.
fn three_profiles(sandbox: &Sandbox) -> String {
    let base = sandbox.base_url(Vendor::Insider);
    format!(
        "[profiles.oauth]\nprovider = \"insider\"\nbase_url = \"{base}\"\nclient_id = \"{INSIDER_CLIENT_ID}\"\nclient_secret = \"{INSIDER_CLIENT_SECRET}\"\n\n\
         [profiles.token]\nprovider = \"insider\"\nbase_url = \"{base}\"\ntoken = \"{INSIDER_TOKEN}\"\n\n\
         [profiles.key]\nprovider = \"insider\"\nbase_url = \"{base}\"\napi_key = \"{INSIDER_API_KEY}\"\n"
    )
}

#[test]
fn demo_runs_every_insider_command_with_no_account() {
    let home = Home::new();
    let demo = |args: &[&str]| {
        home.cmd()
            .args(["--demo", "-q", "--provider", "insider"])
            .args(args)
            .output()
            .unwrap()
    };
    let campaigns = json_ok(&demo(&["campaigns", "list", "-f", "json"]));
    let campaigns = campaigns.as_array().unwrap();
    assert!(campaigns.len() >= 10, "{campaigns:?}");
    let conversational = campaigns
        .iter()
        .find(|c| c["type"] == "ab-test" && c["status"] == "completed")
        .unwrap();
    let id = conversational["id"].as_str().unwrap();

    let summary = json_ok(&demo(&["campaigns", "summary", id, "-f", "json"]));
    assert_eq!(summary["id"], id);
    assert!(
        summary["responses"]
            .as_array()
            .is_some_and(|r| r.len() == 2),
        "{summary}"
    );
    let (read, delivered) = (
        summary["read"].as_u64().unwrap(),
        summary["delivered"].as_u64().unwrap(),
    );
    let rate = summary["read_rate"].as_f64().unwrap();
    assert!(
        (rate - read as f64 / delivered as f64).abs() < 1e-4,
        "{summary}"
    );

    for (args, header) in [
        (
            &["stats", "--last", "7d"][..],
            "period,sent,delivered,read,engaged,errors,period_start,period_end,conversion\n",
        ),
        (
            &["stats", "--report", "transactional", "--last", "7d"],
            "period,sent,delivered,read,engaged,errors,period_start,period_end,conversion,verified,responses,click_from_responses,conversion_from_responses\n",
        ),
        (
            &["stats", "--report", "verify", "--last", "7d"],
            "period,sent,delivered,read,engaged,errors,period_start,period_end,verified,unverified\n",
        ),
        (
            &["stats", "--by-campaign"],
            "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate,status,account,",
        ),
        (
            &["stats", "--total", "--report", "verify"],
            "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate,drop,undelivered,delivery_pending,conversion,revenue,unsubscribe,verified,unverified,",
        ),
    ] {
        let out = demo(&[args, &["-f", "csv"]].concat());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(header),
            "{args:?}: {}",
            stdout(&out)
        );
        assert!(stdout(&out).lines().count() > 1, "{args:?}: rows expected");
    }

    let out = demo(&["campaigns", "summary", "99999"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("3004: campaign not found or does not belong to this partner"));
    let out = demo(&["campaigns", "details", id]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = demo(&["campaigns", "list", "--tag", "no-such-tag"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("422 Unprocessable Entity"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn all_three_credential_kinds_read_the_same_figures_and_pass_profiles_check() {
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let home = Home::new();
    home.write_config(&three_profiles(&sandbox));
    let mut outputs = Vec::new();
    for profile in ["oauth", "token", "key"] {
        let mut cmd = home.cmd();
        cmd.args([
            "-p",
            profile,
            "campaigns",
            "list",
            "--type",
            "ab-test",
            "-f",
            "json",
        ]);
        let list = json_ok(&run(cmd).await);
        let id = list[0]["id"].as_str().unwrap().to_string();
        let mut cmd = home.cmd();
        cmd.args(["-p", profile, "campaigns", "summary", &id, "-f", "json"]);
        let summary = json_ok(&run(cmd).await);
        let mut cmd = home.cmd();
        cmd.args([
            "-p",
            profile,
            "stats",
            "--last",
            "30d",
            "--status",
            "completed",
            "-f",
            "csv",
        ]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{profile}: {}", stderr(&out));
        outputs.push((list, summary, stdout(&out)));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    assert!(
        outputs[0]
            .0
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["type"] == "ab-test")
    );

    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nkey,insider,ok,\noauth,insider,ok,\ntoken,insider,ok,\n"
    );
}

/// The counts of a summary-shaped row, by field.
fn counts(row: &Value) -> BTreeMap<String, Value> {
    [
        "total",
        "sent",
        "delivered",
        "read",
        "engaged",
        "errors",
        "drop",
        "undelivered",
        "conversion",
        "revenue",
    ]
    .iter()
    .map(|k| (k.to_string(), row[*k].clone()))
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn over_the_whole_span_windows_add_up_to_each_campaign_even_with_faults_injected() {
    let clean = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let faulty = Sandbox::start(SandboxOptions {
        fault_rate: 0.25,
        latency: Duration::from_millis(1),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let (start, end) = clean.data_span();
    assert!(
        end - start > chrono::Duration::days(365),
        "the span needs two windows"
    );
    let range = [
        "--from".to_string(),
        rfc3339(start),
        "--to".to_string(),
        rfc3339(end),
    ];
    let mut results = Vec::new();
    for sandbox in [&clean, &faulty] {
        let home = Home::new();
        home.write_config(&three_profiles(sandbox));
        let stats = |args: &[&str]| {
            let mut cmd = home.cmd();
            cmd.args(["-p", "token", "--retries", "10", "stats"])
                .args(args)
                .args(&range)
                .args(["-f", "json"]);
            cmd
        };
        let by_campaign = json_ok(&run(stats(&["--by-campaign"])).await);
        let total = json_ok(&run(stats(&["--total"])).await);
        let days = json_ok(&run(stats(&[])).await);
        results.push((by_campaign, total, days));
    }
    assert_eq!(results[0], results[1], "faults must not change any figure");

    let (by_campaign, total, days) = &results[0];
    let rows = by_campaign.as_array().unwrap();
    assert!(rows.len() >= 10, "{by_campaign}");
    let home = Home::new();
    home.write_config(&three_profiles(&clean));
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let mut cmd = home.cmd();
        cmd.args(["-p", "key", "campaigns", "summary", id])
            .args(&range)
            .args(["-f", "json"]);
        let summary = json_ok(&run(cmd).await);
        assert_eq!(counts(row), counts(&summary), "campaign {id}");
    }
    let sum = |k: &str| -> u64 { rows.iter().map(|r| r[k].as_u64().unwrap()).sum() };
    for k in ["total", "sent", "delivered", "read", "engaged", "errors"] {
        assert_eq!(total[k].as_u64(), Some(sum(k)), "{k}");
    }
    let daily_sent: u64 = days
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["sent"].as_u64().unwrap())
        .sum();
    assert_eq!(daily_sent, sum("sent"));
}
