//! The `--state` file's own temporary file (issue 13): named like `-o`'s
//! (`.NAME.wa-analytics-PID-XXXXXX.tmp`), so that one a killed run left behind is recognisable
//! and removed by the next run that saves the same state, while a live run's is kept.

use serde_json::json;
use wiremock::ResponseTemplate;

use crate::engage::engage_get;
use crate::support::{Home, engage_range, run, stderr, strict_server};

/// A PID that is not running: a child that has been waited for.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn entries(home: &Home) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_temporary_file_left_by_a_dead_run_is_removed_by_the_next_save() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!(
            "{}&limit=10000&offset=0",
            engage_range("2026-04-01 00:00:00", "2026-04-10 23:59:59")
        ),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "data": [{"contact": "573000000001", "name": null, "status": "sent",
                  "sent_at": "2026-04-05 10:00:00", "delivered_at": null, "read_at": null,
                  "engaged": false, "response": null, "error": null}],
        "pagination": {"limit": 10000, "offset": 0, "total": 1}
    })))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    // What `kill -9` during a save leaves: a partial state under the rule's name.
    let dead = format!(".s.json.wa-analytics-{}-AbC123.tmp", dead_pid());
    let live = format!(".s.json.wa-analytics-{}-XyZ789.tmp", std::process::id());
    for name in [&dead, &live] {
        std::fs::write(home.path().join(name), "{\"version\":").unwrap();
    }
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "Spring",
        "--state",
        "./s.json",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-10",
        "-o",
        "a.csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        entries(&home),
        [".config", live.as_str(), "a.csv", "s.json"]
    );
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.path().join("s.json")).unwrap())
            .unwrap();
    assert!(state.is_object(), "{state}");
}
