//! `campaigns export`: every row to a CSV file, `-o` required, and a failed or interrupted
//! export keeps the previous file and leaves no temporary file.

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_every_row_to_a_csv_file() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10000&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engage/details-hard-rows.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-o",
        "contacts.csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let file = std::fs::read_to_string(home.path().join("contacts.csv")).unwrap();
    assert_eq!(
        file,
        "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error\n\
         +573001234567,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",error,2026-04-02T10:00:00Z,,,false,,131026 undeliverable\n\
         573001234568,\"Ana\nMaría\",delivered,2026-04-02T10:00:01Z,2026-04-02T10:00:09Z,,true,'-2+3,\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn export_without_output_is_a_usage_error_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "export", "Spring"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("campaigns export needs -o FILE"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_export_keeps_the_previous_file_and_leaves_no_temporary_file() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(0..10, 10, 0, 20)))
    .expect(1)
    .mount(&server)
    .await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=10"),
    )
    .respond_with(
        ResponseTemplate::new(500)
            .set_body_json(json!({"error": {"code": "INTERNAL", "message": "boom"}})),
    )
    .expect(2)
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    std::fs::write(home.path().join("contacts.csv"), "previous\n").unwrap();
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--page-size",
        "10",
        "--retries",
        "2",
        "-o",
        "contacts.csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(stderr(&out).contains("Engage GET /campaign/Spring/details answered 500 Internal Server Error: INTERNAL: boom."), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(home.path().join("contacts.csv")).unwrap(),
        "previous\n"
    );
    home.assert_no_temp_files();
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_exits_130_and_leaves_no_temporary_file() {
    let server = MockServer::start().await;
    engage_get(
        "/campaign/Slow/details",
        format!("{APRIL}&limit=10000&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(30)))
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    std::fs::write(home.path().join("out.csv"), "previous\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("wa-analytics");
    let dir = home.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let child = std::process::Command::new(bin)
            .args([
                "campaigns",
                "export",
                "Slow",
                "--from",
                "2026-04-01",
                "--to",
                "2026-04-30",
                "-o",
                "out.csv",
            ])
            .env_clear()
            .env("HOME", &dir)
            .current_dir(&dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(800));
        let status = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(130), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "wa-analytics: error: interrupted\n");
    assert_eq!(
        std::fs::read_to_string(home.path().join("out.csv")).unwrap(),
        "previous\n"
    );
    home.assert_no_temp_files();
}
