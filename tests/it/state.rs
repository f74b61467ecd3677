//! Incremental exports (`campaigns export --state`, `--lookback`, `state show|clear`): the next
//! run starts where the last completed one ended, a margin is re-read without doubling rows, and
//! a failed run moves nothing forward.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::engage::engage_get;
use crate::support::{Home, engage_range, run, stderr, stdout, strict_server};

fn row(contact: &str, sent_at: &str) -> Value {
    json!({"contact": contact, "name": null, "status": "sent", "sent_at": sent_at,
           "delivered_at": null, "read_at": null, "engaged": false, "response": null, "error": null})
}

fn body(rows: Vec<Value>) -> Value {
    let n = rows.len();
    json!({"data": rows, "pagination": {"limit": 10000, "offset": 0, "total": n}})
}

fn export(home: &Home, extra: &[&str], out: &str) -> assert_cmd::Command {
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "Spring",
        "--state",
        "./s.json",
        "--lookback",
        "1h",
        "-o",
        out,
    ])
    .args(extra);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn the_next_run_starts_where_the_last_ended_and_skips_rows_of_the_margin() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());

    // First run: an explicit range; the row at 23:30 lies in its last hour.
    engage_get(
        "/campaign/Spring/details",
        format!(
            "{}&limit=10000&offset=0",
            engage_range("2026-04-01 00:00:00", "2026-04-10 23:59:59")
        ),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(body(vec![
        row("573000000001", "2026-04-05 10:00:00"),
        row("573000000002", "2026-04-10 23:30:00"),
    ])))
    .expect(1)
    .mount(&server)
    .await;
    let out = run(export(
        &home,
        &["--from", "2026-04-01", "--to", "2026-04-10"],
        "a.csv",
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let a = std::fs::read_to_string(home.path().join("a.csv")).unwrap();
    assert_eq!(a.lines().count(), 3, "{a}");

    // Second run: no --from, so it resumes at the end of the first (Apr 11) minus one hour; the
    // 23:30 row comes again and is skipped, the late 23:45 row and the new one are written.
    engage_get(
        "/campaign/Spring/details",
        format!(
            "{}&limit=10000&offset=0",
            engage_range("2026-04-10 23:00:00", "2026-04-20 23:59:59")
        ),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(body(vec![
        row("573000000002", "2026-04-10 23:30:00"),
        row("573000000003", "2026-04-10 23:45:00"),
        row("573000000004", "2026-04-15 08:00:00"),
    ])))
    .expect(1)
    .mount(&server)
    .await;
    let out = run(export(&home, &["--to", "2026-04-20", "-v"], "b.csv")).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("skipped 1 row(s) the last run already wrote"),
        "{}",
        stderr(&out)
    );
    // -v names the range the run reads, once: the resumed one (issue 13: it printed a default
    // 30 days first).
    let err = stderr(&out);
    let ranges: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("wa-analytics: range: "))
        .collect();
    assert_eq!(
        ranges,
        [
            "wa-analytics: range: 2026-04-10T23:00:00Z to 2026-04-21T00:00:00Z (half-open, UTC; zone UTC; resumed from the state: the last run's end minus a lookback of 3600s)"
        ]
    );
    let b = std::fs::read_to_string(home.path().join("b.csv")).unwrap();
    let contacts: Vec<&str> = b
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(contacts, ["573000000003", "573000000004"]);

    let out = home
        .cmd()
        .args(["state", "show", "./s.json", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        shown,
        json!([{"key": "engage-test/campaigns export/Spring", "completed_until": "2026-04-21T00:00:00Z",
                "lookback_secs": 3600, "margin_rows": 0, "rows": 2,
                "updated_at": shown[0]["updated_at"].clone()}])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_run_keeps_the_state_and_the_previous_file() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    engage_get(
        "/campaign/Spring/details",
        format!(
            "{}&limit=10000&offset=0",
            engage_range("2026-04-01 00:00:00", "2026-04-10 23:59:59")
        ),
    )
    .respond_with(
        ResponseTemplate::new(200)
            .set_body_json(body(vec![row("573000000001", "2026-04-05 10:00:00")])),
    )
    .expect(1)
    .mount(&server)
    .await;
    let out = run(export(
        &home,
        &["--from", "2026-04-01", "--to", "2026-04-10"],
        "a.csv",
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let state_before = std::fs::read_to_string(home.path().join("s.json")).unwrap();

    engage_get(
        "/campaign/Spring/details",
        format!(
            "{}&limit=10000&offset=0",
            engage_range("2026-04-10 23:00:00", "2026-04-20 23:59:59")
        ),
    )
    .respond_with(ResponseTemplate::new(503))
    .expect(1)
    .mount(&server)
    .await;
    let out = run(export(
        &home,
        &["--to", "2026-04-20", "--retries", "1"],
        "a.csv",
    ))
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(home.path().join("s.json")).unwrap(),
        state_before
    );
    let a = std::fs::read_to_string(home.path().join("a.csv")).unwrap();
    assert!(a.contains("573000000001"), "{a}");

    let out = home
        .cmd()
        .args(["state", "clear", "./s.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!home.path().join("s.json").exists());
}

#[test]
fn state_errors_are_clear() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["state", "show", "nightly"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("there is no state at")
            && stderr(&out)
                .replace('\\', "/")
                .contains(".local/state/wa-analytics/nightly.json"),
        "{}",
        stderr(&out)
    );
    std::fs::write(home.path().join("junk.json"), "[1,2]").unwrap();
    let out = home
        .cmd()
        .args(["state", "clear", "./junk.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a wa-analytics state"),
        "{}",
        stderr(&out)
    );
    assert!(
        home.path().join("junk.json").exists(),
        "never deleted by mistake"
    );
    let out = home
        .cmd()
        .args([
            "campaigns",
            "export",
            "X",
            "--lookback",
            "1h",
            "-o",
            "x.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--state"), "{}", stderr(&out));
}
