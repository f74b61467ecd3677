//! Engati end to end: the real binary against the built-in sandbox (`--demo --provider engati`,
//! or a sandbox whose data ends at a fixed past midnight, so results do not depend on the day).

use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::Value;
use wa_analytics::sandbox::{ENGATI_API_KEY, Sandbox, SandboxOptions};

use crate::support::{Home, stderr, stdout};

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// A sandbox whose data ends on 2026-05-01 and a HOME whose config points at it.
async fn anchored(options: SandboxOptions) -> (Sandbox, Home) {
    let end = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let sandbox = Sandbox::start_anchored(options, end).await.unwrap();
    let home = Home::new();
    home.write_config(&sandbox.config_toml());
    (sandbox, home)
}

fn engati(home: &Home, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = home.cmd();
    cmd.args(["--profile", "engati", "-q"]).args(args);
    cmd
}

/// User 0 of the sandbox: over a thousand messages, so paging at 500 matters.
const BUSY_USER: &str = "573000000000";

#[test]
fn demo_finds_users_and_reads_their_conversations_with_no_account() {
    let home = Home::new();
    let out = home
        .cmd()
        .args([
            "--demo",
            "--provider",
            "engati",
            "users",
            "find",
            "--attribute",
            "plan",
            "--value",
            "gold",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let users: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(!users.is_empty());
    for u in &users {
        assert_eq!(u["attributes"]["plan"], "gold");
        assert_eq!(u["channel"], "whatsapp");
        assert!(u["created_at"].as_str().unwrap().ends_with('Z'));
    }
    let id = users[0]["channel_user_id"].as_str().unwrap();
    let out = home
        .cmd()
        .args([
            "--demo",
            "--provider",
            "engati",
            "-q",
            "conversations",
            id,
            "--limit",
            "5",
            "-f",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty() && lines.len() <= 5, "{}", lines.len());
    assert_eq!(lines[0].as_object().unwrap().len(), 4);
    let first = stdout(&out);
    let at = |k: &str| first.find(&format!("\"{k}\":")).unwrap();
    assert!(
        at("message_id") < at("sender")
            && at("sender") < at("message")
            && at("message") < at("timestamp"),
        "fields in contract order: {first}"
    );

    let out = home
        .cmd()
        .args([
            "--demo",
            "--provider",
            "engati",
            "-q",
            "conversations",
            "570000000001",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1002 INVALID_BOT_OR_CUSTOMER_ID"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_history_is_the_same_in_any_page_size_and_split_ranges_tile_it() {
    let (_sandbox, home) = anchored(SandboxOptions {
        rows: 50,
        ..SandboxOptions::default()
    })
    .await;
    let csv = |args: Vec<String>| {
        let home = &home;
        async move {
            let mut cmd = engati(home, &["conversations", BUSY_USER, "-f", "csv"]);
            cmd.args(&args);
            let out = run(cmd).await;
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            stdout(&out)
        }
    };
    let all = csv(vec![]).await;
    let rows = all.lines().count() - 1;
    assert!(
        rows > 1000,
        "{rows} messages: paging at 500 must be exercised"
    );
    assert_eq!(csv(vec!["--page-size".into(), "37".into()]).await, all);

    // [A, C) = [A, B) + [B, C), with B inside the history: no message lost or doubled at the
    // seam, although Engati's dates are inclusive milliseconds.
    let s = |v: &str| v.to_string();
    let whole = csv(vec![
        s("--from"),
        s("2025-01-01"),
        s("--to"),
        s("2026-04-30"),
    ])
    .await;
    assert_eq!(whole, all, "the history lies within the span");
    let first = csv(vec![
        s("--from"),
        s("2025-01-01"),
        s("--to"),
        s("2025-12-31T13:00:00Z"),
    ])
    .await;
    let second = csv(vec![
        s("--from"),
        s("2025-12-31T13:00:00Z"),
        s("--to"),
        s("2026-04-30"),
    ])
    .await;
    let (h1, r1) = first.split_once('\n').unwrap();
    let (h2, r2) = second.split_once('\n').unwrap();
    assert_eq!(h1, h2);
    assert!(!r1.is_empty() && !r2.is_empty());
    assert_eq!(format!("{h1}\n{r1}{r2}"), all);
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_are_complete_and_identical_with_faults_injected() {
    let options = SandboxOptions {
        rows: 50,
        ..SandboxOptions::default()
    };
    let (_clean, clean_home) = anchored(options.clone()).await;
    let (_faulty, faulty_home) = anchored(SandboxOptions {
        fault_rate: 0.3,
        latency: Duration::from_millis(1),
        ..options
    })
    .await;
    let mut outputs = Vec::new();
    for home in [&clean_home, &faulty_home] {
        let cmd = engati(
            home,
            &[
                "conversations",
                BUSY_USER,
                "--page-size",
                "100",
                "--retries",
                "10",
                "-o",
                "out.csv",
            ],
        );
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        outputs.push(std::fs::read_to_string(home.path().join("out.csv")).unwrap());
    }
    assert!(outputs[0].lines().count() > 1000);
    assert_eq!(
        outputs[0], outputs[1],
        "faults must not lose or double messages"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_write_command_is_accepted_by_the_sandbox() {
    let (_sandbox, home) = anchored(SandboxOptions::default()).await;
    std::fs::write(
        home.path().join("audience.csv"),
        "user.phone_number,user.attribute_0\n+573001234567,Ana\n+573009876543,José\n",
    )
    .unwrap();
    let flow = "0123456789ABCDEF0123456789ABCDEF";
    for (args, id_prefix) in [
        (
            vec![
                "messages",
                "send-template",
                "--to",
                "+573001234567",
                "--template",
                "order_shipped",
                "--lang",
                "en_US",
                "--param",
                "Ana",
            ],
            Some("wamid."),
        ),
        (
            vec![
                "broadcast",
                "--users",
                "573000000001,573000000002",
                "--text",
                "Hola",
                "--title",
                "Promo",
            ],
            Some("bc-"),
        ),
        (
            vec![
                "broadcast",
                "--users",
                "573000000001",
                "--text",
                "Hola",
                "--at",
                "2099-01-01 09:00",
            ],
            Some("bc-"),
        ),
        (
            vec![
                "broadcast",
                "external",
                "--audience",
                "audience.csv",
                "--template",
                "promo",
                "--lang",
                "es",
            ],
            Some("ext-"),
        ),
        (
            vec![
                "trigger",
                flow,
                "--to",
                "+573001234567",
                "--attr",
                "user.user_name=Ana",
            ],
            None,
        ),
        (
            vec![
                "trigger",
                flow,
                "--v2",
                "--to",
                "+573001234567",
                "--attr",
                "city=Cali",
            ],
            None,
        ),
    ] {
        let mut cmd = engati(&home, &args);
        cmd.args(["--yes", "-f", "json"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let receipt: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(receipt["accepted"], true);
        assert_eq!(receipt["message"], "SUCCESS", "{args:?}");
        match id_prefix {
            Some(p) => assert!(receipt["id"].as_str().unwrap().starts_with(p), "{receipt}"),
            None => assert!(receipt["id"].is_null()),
        }
    }
    // The scheduled broadcast is scheduled, the external one counted its recipients.
    let cmd = engati(
        &home,
        &[
            "broadcast",
            "--users",
            "573000000001",
            "--text",
            "x",
            "--at",
            "2099-01-01",
            "--yes",
            "-f",
            "json",
        ],
    );
    let out = run(cmd).await;
    let receipt: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(receipt["response"]["status"], "SCHEDULED");
    let cmd = engati(
        &home,
        &[
            "broadcast",
            "external",
            "--audience",
            "audience.csv",
            "--template",
            "promo",
            "--lang",
            "es",
            "--yes",
            "-f",
            "json",
        ],
    );
    let out = run(cmd).await;
    let receipt: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(receipt["response"]["recipients"], 2);
    assert_eq!(receipt["response"]["broadcast_id"], "audience");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_refuses_what_the_tool_lets_through_with_engatis_codes() {
    let (_sandbox, home) = anchored(SandboxOptions::default()).await;
    // A trigger whose flow key is well-formed but whose phone the sandbox rejects is not
    // possible (both check the same rule), so check the vendor's side with a wrong bot key.
    home.write_config(&home_config_with_bot(&home, "ffffffffffffffff"));
    let cmd = engati(
        &home,
        &["users", "find", "--attribute", "plan", "--value", "gold"],
    );
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1002 INVALID_BOT_OR_CUSTOMER_ID"),
        "{}",
        stderr(&out)
    );
    std::fs::write(
        home.path().join("a.csv"),
        "user.phone_number\n+573001234567\n",
    )
    .unwrap();
    let cmd = engati(
        &home,
        &[
            "broadcast",
            "external",
            "--audience",
            "a.csv",
            "--template",
            "t",
            "--lang",
            "es",
            "--yes",
        ],
    );
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2003 BOT_NOT_FOUND: botkey does not match any engati bot."),
        "{}",
        stderr(&out)
    );
}

/// The HOME's sandbox config with the engati profile's bot key replaced.
fn home_config_with_bot(home: &Home, bot: &str) -> String {
    std::fs::read_to_string(home.config_path())
        .unwrap()
        .replace(
            "bot_key = \"1a1c9bfa5e0f41ed\"",
            &format!("bot_key = \"{bot}\""),
        )
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_passes_for_the_sandbox_profile_and_the_key_never_shows() {
    let (_sandbox, home) = anchored(SandboxOptions::default()).await;
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "engati", "-f", "csv", "-vv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nengati,engati,ok,\n"
    );
    assert!(!stderr(&out).contains(ENGATI_API_KEY));
    for args in [
        vec!["-vv", "conversations", BUSY_USER, "--limit", "3"],
        vec![
            "-vv",
            "trigger",
            "0123456789ABCDEF0123456789ABCDEF",
            "--to",
            "+573001234567",
            "--dry-run",
        ],
        vec!["-vv", "conversations", "nobody"],
    ] {
        let mut cmd = home.cmd();
        cmd.args(["--profile", "engati"]).args(&args);
        let out = run(cmd).await;
        assert!(!stdout(&out).contains(ENGATI_API_KEY), "{}", stdout(&out));
        assert!(!stderr(&out).contains(ENGATI_API_KEY), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("authorization: ***")
                || stdout(&out).contains("authorization: ***")
        );
    }
}
