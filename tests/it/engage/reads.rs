//! Campaigns list and summary and stats: the exact queries, every field of the output, and
//! the formats (TSV when piped, CSV, table, CSV with a BOM).

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn list_sends_both_credentials_and_the_encoded_range_and_prints_json() {
    let server = strict_server().await;
    engage_get("/campaigns", format!("{APRIL}&type=one-time"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../../fixtures/engage/campaigns.json"),
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
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--type",
        "one-time",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"id": "074116ff-76f3-47b7-8be2-92f465718a3e", "name": "Black Friday 50% off", "type": "one-time",
             "status": "completed", "created_at": "2026-04-01T09:00:00Z", "sent_at": "2026-04-02T10:00:00Z", "total_contacts": 1200},
            {"id": "c2", "name": "Draft", "type": "one-time", "status": "scheduled",
             "created_at": "2026-04-03T09:00:00Z", "sent_at": null, "total_contacts": 0}
        ])
    );
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_tsv_when_piped_and_csv_on_request() {
    let server = strict_server().await;
    engage_get("/campaigns", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "a1", "name": "Promo, \"quoted\"", "type": "recurrent", "status": "running",
             "created_at": "2026-04-01 09:00:00", "sent_at": null, "total_contacts": 7}
        ]})))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut tsv = home.cmd();
    tsv.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(tsv).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id\tname\ttype\tstatus\tcreated_at\tsent_at\ttotal_contacts\na1\t\"Promo, \"\"quoted\"\"\"\trecurrent\trunning\t2026-04-01T09:00:00Z\t\t7\n"
    );
    let mut csv = home.cmd();
    csv.args([
        "-f",
        "csv",
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(csv).await;
    assert_eq!(
        stdout(&out),
        "id,name,type,status,created_at,sent_at,total_contacts\na1,\"Promo, \"\"quoted\"\"\",recurrent,running,2026-04-01T09:00:00Z,,7\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_encodes_a_hard_campaign_name_as_one_segment_and_converts_rates_to_fractions() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Promo%20a%2Fb%20%232%3F%2050%25%20Caf%C3%A9%20%E2%98%95/summary",
        APRIL.to_string(),
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engage/summary.json"),
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
        "summary",
        "Promo a/b #2? 50% Café ☕",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"id": null, "name": "Promo a/b #2? 50% Café ☕", "type": "one-time", "total": 1200, "sent": 1190,
               "delivered": 1150, "read": 767, "engaged": 120, "errors": 10,
               "read_rate": 0.667, "engagement_rate": 0.1043, "error_rate": 0.0083})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_sends_frequency_and_type() {
    let server = strict_server().await;
    engage_get("/stats", format!("{APRIL}&frequency=weekly&type=recurrent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"period": "2026-03-30", "sent": 100, "delivered": 90, "read": 50, "engaged": 5, "errors": 2},
            {"period": "2026-04-06", "sent": 0, "delivered": 0, "read": 0, "engaged": 0, "errors": 0}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--frequency",
        "weekly",
        "--type",
        "recurrent",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end\n\
         2026-03-30,100,90,50,5,2,2026-03-30T00:00:00Z,2026-04-06T00:00:00Z\n\
         2026-04-06,0,0,0,0,0,2026-04-06T00:00:00Z,2026-04-13T00:00:00Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn table_and_bom_formats_render_the_same_rows() {
    let server = strict_server().await;
    engage_get("/campaign/Spring/summary", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../../fixtures/engage/summary.json"),
            "application/json",
        ))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "table",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let table = stdout(&out);
    let rate_line = table.lines().find(|l| l.starts_with("read_rate")).unwrap();
    assert!(rate_line.trim_end().ends_with("66.70%"), "{table}");
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
        "--bom",
        "--fields",
        "name,read_rate",
    ]);
    let out = run(cmd).await;
    assert_eq!(
        stdout(&out),
        "\u{feff}name,read_rate\nPromo a/b #2? 50% Café ☕,0.667\n"
    );
}
