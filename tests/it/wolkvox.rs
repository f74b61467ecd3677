//! Wolkvox end to end: the real binary against wiremock, every request pinned (path, exact
//! encoded query with the local compact dates, the `wolkvox-token` header). Window limits and
//! the one-in-flight rule are in `wolkvox/limits.rs`, errors, config and secrets in
//! `wolkvox/errors.rs`.

mod errors;
mod limits;
mod numbers;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

/// The token of the test profile.
pub const TOKEN: &str = "wv-token-1";

/// A wolkvox profile `wv` (the default) at `{server}/api/v2`, in Bogota time, plus `extra`
/// lines.
pub fn config(home: &Home, server: &MockServer, extra: &str) {
    home.write_config(&format!(
        "default_profile = \"wv\"\n\n[profiles.wv]\nprovider = \"wolkvox\"\nbase_url = \"{}/api/v2\"\ntoken = \"{TOKEN}\"\ntimezone = \"America/Bogota\"\n{extra}",
        server.uri()
    ));
}

/// The exact query of a report window: `api`, `campaign_id` where given, then the inclusive
/// compact local dates.
pub fn query(api: &str, campaign: Option<&str>, ini: &str, end: &str) -> String {
    let campaign = campaign.map_or(String::new(), |c| format!("&campaign_id={c}"));
    format!("api={api}{campaign}&date_ini={ini}&date_end={end}")
}

/// A GET of the reports module with the token and an exact raw query.
pub fn report(query: String) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/v2/reports_manager.php"))
        .and(RawQuery(query))
        .and(header("wolkvox-token", TOKEN))
}

/// A JSON body.
pub fn body(text: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text.into(), "application/json")
}

/// The documented empty window (vendors.md Part 1).
pub const EMPTY: &str = r#"{"code":"200","error":null,"msg":"0 records were found","data":[]}"#;

/// `--from 2026-04-01 --to 2026-04-10`, in Bogota: one window.
const APRIL: [&str; 4] = ["--from", "2026-04-01", "--to", "2026-04-10"];
const APRIL_INI: &str = "20260401000000";
const APRIL_END: &str = "20260410235959";

/// Runs `args` against a server answering `api` for the April window with `fixture`.
async fn april(
    api: &str,
    campaign: Option<&str>,
    fixture: &str,
    args: &[&str],
) -> std::process::Output {
    let server = strict_server().await;
    report(query(api, campaign, APRIL_INI, APRIL_END))
        .respond_with(body(fixture))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args(args).args(APRIL);
    run(cmd).await
}

const CHAT_14: &str = include_str!("../../fixtures/wolkvox/chat_14.json");
const CHAT_15: &str = include_str!("../../fixtures/wolkvox/chat_15.json");
pub const CAMPAIGN_9: &str = include_str!("../../fixtures/wolkvox/campaign_9.json");

#[tokio::test(flavor = "multi_thread")]
async fn clicks_sends_the_token_and_local_dates_and_prints_chat_id_first_in_utc() {
    let out = april("chat_14", None, CHAT_14, &["clicks", "-f", "json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"chat_id": "700001", "source_url": "https://www.facebook.com/ads/library/?id=120200000001117",
             "source_type": "ad", "source_id": "120200000001117", "rp_id": "301", "agent_id": null,
             "media_type": "image", "media_url": "https://media.example.invalid/ads/120200000001117.jpg",
             "date": "2026-04-01T05:00:00Z", "cod_act": "Venta"},
            {"chat_id": "700002", "source_url": "https://www.instagram.com/p/C6d523e4d545d/",
             "source_type": "post", "source_id": "120200000002234", "rp_id": "302", "agent_id": "1041",
             "media_type": "video", "media_url": "https://media.example.invalid/posts/120200000002234.mp4",
             "date": "2026-04-06T00:30:00Z", "cod_act": "=HYPERLINK(\"http://example.invalid\")"},
            {"chat_id": "700003", "source_url": "https://www.facebook.com/ads/library/?id=120200000003351",
             "source_type": "ad", "source_id": "120200000003351", "rp_id": "303", "agent_id": "1050",
             "media_type": "image", "media_url": "https://media.example.invalid/ads/120200000003351.jpg",
             "date": "2026-04-11T04:59:59Z", "cod_act": null}
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn clicks_in_every_format() {
    let header =
        "chat_id,source_url,source_type,source_id,rp_id,agent_id,media_type,media_url,date,cod_act";
    let out = april("chat_14", None, CHAT_14, &["clicks", "-f", "csv"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], header);
    assert_eq!(
        lines[2],
        "700002,https://www.instagram.com/p/C6d523e4d545d/,post,120200000002234,302,1041,video,https://media.example.invalid/posts/120200000002234.mp4,2026-04-06T00:30:00Z,\"'=HYPERLINK(\"\"http://example.invalid\"\")\"",
        "the formula is neutralised"
    );
    let out = april("chat_14", None, CHAT_14, &["clicks"]).await;
    let tsv = stdout(&out);
    assert_eq!(tsv.lines().next(), Some(header.replace(',', "\t").as_str()));
    assert_eq!(tsv.lines().count(), 4);
    let out = april("chat_14", None, CHAT_14, &["clicks", "-f", "jsonl"]).await;
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["chat_id"], "700001");
    assert_eq!(stdout(&out).lines().count(), 3);
    let out = april("chat_14", None, CHAT_14, &["clicks", "-f", "table"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("chat_id") && stdout(&out).contains("700003"));
    let out = april(
        "chat_14",
        None,
        CHAT_14,
        &["clicks", "-f", "csv", "--fields", "date,chat_id"],
    )
    .await;
    assert_eq!(
        stdout(&out),
        "date,chat_id\n2026-04-01T05:00:00Z,700001\n2026-04-06T00:30:00Z,700002\n2026-04-11T04:59:59Z,700003\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn clicks_summary_prints_one_object_of_counts() {
    let out = april(
        "chat_15",
        None,
        CHAT_15,
        &["clicks", "summary", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"ad_chatbot": 12, "ad_agents": 30, "post_chatbot": 5, "post_agents": 8,
               "total_chatbot": 17, "total_agents": 38})
    );
    let out = april(
        "chat_15",
        None,
        CHAT_15,
        &["clicks", "summary", "-f", "csv"],
    )
    .await;
    assert_eq!(
        stdout(&out),
        "ad_chatbot,ad_agents,post_chatbot,post_agents,total_chatbot,total_agents\n12,30,5,8,17,38\n"
    );
    let out = april(
        "chat_15",
        None,
        CHAT_15,
        &["clicks", "summary", "-f", "jsonl"],
    )
    .await;
    assert_eq!(
        stdout(&out),
        "{\"ad_chatbot\":12,\"ad_agents\":30,\"post_chatbot\":5,\"post_agents\":8,\"total_chatbot\":17,\"total_agents\":38}\n"
    );
    let out = april("chat_15", None, CHAT_15, &["clicks", "summary"]).await;
    assert_eq!(
        stdout(&out),
        "ad_chatbot\tad_agents\tpost_chatbot\tpost_agents\ttotal_chatbot\ttotal_agents\n12\t30\t5\t8\t17\t38\n"
    );
    let out = april(
        "chat_15",
        None,
        CHAT_15,
        &["clicks", "summary", "-f", "table"],
    )
    .await;
    assert!(stdout(&out).contains("total_agents"), "{}", stdout(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn clicks_summary_adds_up_the_windows_of_a_long_range() {
    let server = strict_server().await;
    // 2026-01-01 .. 2026-02-28 (59 days): [Jan 1, Feb 1) and [Feb 1, Mar 1), Bogota time.
    report(query("chat_15", None, "20260101000000", "20260131235959"))
        .respond_with(body(CHAT_15))
        .expect(1)
        .mount(&server)
        .await;
    report(query("chat_15", None, "20260201000000", "20260228235959"))
        .respond_with(body(
            r#"{"code":200,"error":null,"msg":"1 records were found","data":{"ad_chatbot":1,"ad_agents":2,"post_chatbot":3,"post_agents":4,"total_chatbot":4,"total_agents":6}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args([
        "clicks",
        "summary",
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-28",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"ad_chatbot": 13, "ad_agents": 32, "post_chatbot": 8, "post_agents": 12,
               "total_chatbot": 21, "total_agents": 44})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_window_is_an_empty_result_not_an_error() {
    let server = strict_server().await;
    report(query("chat_14", None, APRIL_INI, APRIL_END))
        .respond_with(body(EMPTY))
        .expect(1)
        .mount(&server)
        .await;
    report(query("chat_15", None, APRIL_INI, APRIL_END))
        .respond_with(body(EMPTY))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args(["clicks", "-f", "json"]).args(APRIL);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "[]");
    let mut cmd = home.cmd();
    cmd.args(["clicks", "summary", "-f", "csv"]).args(APRIL);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "ad_chatbot,ad_agents,post_chatbot,post_agents,total_chatbot,total_agents\n0,0,0,0,0,0\n"
    );
}

fn contact_rows() -> Value {
    json!([
        {"contact": "573001234567", "name": null, "status": "read", "sent_at": "2026-04-01T05:00:00Z",
         "delivered_at": null, "read_at": null, "engaged": null, "response": null, "error": null,
         "campaign_id": "3002", "vendor_status": "read", "last_update": "2026-04-01T13:15:00Z"},
        {"contact": "+5511949644519", "name": null, "status": "sent", "sent_at": "2026-04-02T15:00:00Z",
         "delivered_at": null, "read_at": null, "engaged": null, "response": null, "error": null,
         "campaign_id": "3002", "vendor_status": "Accepted", "last_update": "2026-04-02T15:00:20Z"},
        {"contact": "573109876543", "name": null, "status": "error", "sent_at": "2026-04-03T17:30:00Z",
         "delivered_at": null, "read_at": null, "engaged": null, "response": null,
         "error": "131026 Message undeliverable",
         "campaign_id": "3002", "vendor_status": "failed", "last_update": "2026-04-03T17:30:05Z"},
        {"contact": "573157654321", "name": null, "status": "delivered", "sent_at": "2026-04-04T04:59:59Z",
         "delivered_at": null, "read_at": null, "engaged": null, "response": null, "error": null,
         "campaign_id": "3002", "vendor_status": "delivered", "last_update": "2026-04-04T05:10:00Z"},
        {"contact": "573001112233", "name": null, "status": "sent", "sent_at": "2026-04-06T13:00:00Z",
         "delivered_at": null, "read_at": null, "engaged": null, "response": null, "error": null,
         "campaign_id": "3002", "vendor_status": "submitted", "last_update": "2026-04-06T13:00:02Z"}
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn details_maps_campaign_9_records_to_contact_rows() {
    let out = april(
        "campaign_9",
        Some("3002"),
        CAMPAIGN_9,
        &["campaigns", "details", "3002", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(got, contact_rows());
    // `all` is campaign_9's own word for every campaign; --offset and --limit cut the result.
    let out = april(
        "campaign_9",
        Some("all"),
        CAMPAIGN_9,
        &[
            "campaigns",
            "details",
            "ALL",
            "--offset",
            "1",
            "--limit",
            "2",
            "-f",
            "jsonl",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows, contact_rows().as_array().unwrap()[1..3].to_vec());
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_csv_with_the_phone_numbers_exact() {
    let server = strict_server().await;
    report(query("campaign_9", Some("3002"), APRIL_INI, APRIL_END))
        .respond_with(body(CAMPAIGN_9))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "export", "3002", "-o", "rows.csv"])
        .args(APRIL);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = std::fs::read_to_string(home.path().join("rows.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error,campaign_id,vendor_status,last_update"
    );
    assert_eq!(
        lines[2],
        "+5511949644519,,sent,2026-04-02T15:00:00Z,,,,,,3002,Accepted,2026-04-02T15:00:20Z"
    );
    assert_eq!(lines.len(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_counts_the_records_of_one_campaign() {
    let out = april(
        "campaign_9",
        Some("3002"),
        CAMPAIGN_9,
        &["campaigns", "summary", "3002", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"id": "3002", "name": "3002", "type": null, "total": 5, "sent": 4, "delivered": 2,
               "read": 1, "engaged": null, "errors": 1, "read_rate": 0.5, "engagement_rate": null,
               "error_rate": 0.2, "accepted": 1, "submitted": 1, "other": 0})
    );
    let out = april(
        "campaign_9",
        Some("3002"),
        CAMPAIGN_9,
        &["campaigns", "summary", "3002", "-f", "csv"],
    )
    .await;
    assert_eq!(
        stdout(&out),
        "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate,accepted,submitted,other\n3002,3002,,5,4,2,1,,1,0.5,,0.2,1,1,0\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_of_a_campaign_with_no_records_is_not_found() {
    let out = april(
        "campaign_9",
        Some("9999"),
        EMPTY,
        &["campaigns", "summary", "9999"],
    )
    .await;
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Wolkvox: campaign_9 has no records of campaign 9999 between 2026-04-01 05:00:00 UTC and 2026-04-11 05:00:00 UTC (Wolkvox does not tell an unknown campaign from one that sent nothing then).\nhint: check the id with 'wa-analytics campaigns list', or widen the range with --from/--to\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn campaigns_list_is_derived_from_every_campaigns_records() {
    let two = r#"{"code":200,"error":null,"msg":"3 records were found","data":[
        {"campaing_id":"3007","telephone":"5730001","status":"read","errors":"","date":"2026-04-02 09:00:00","last_update":"2026-04-02 09:01:00"},
        {"campaing_id":"3002","telephone":"5730002","status":"failed","errors":"x","date":"2026-04-03 09:00:00","last_update":"2026-04-03 09:00:01"},
        {"campaing_id":"3007","telephone":"5730003","status":"delivered","errors":"","date":"2026-04-04 10:00:00","last_update":"2026-04-04 10:00:09"}]}"#;
    let out = april(
        "campaign_9",
        Some("all"),
        two,
        &["campaigns", "list", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"id": "3007", "name": "3007", "type": null, "status": null, "created_at": null,
             "sent_at": "2026-04-02T14:00:00Z", "total_contacts": 2, "last_sent_at": "2026-04-04T15:00:00Z"},
            {"id": "3002", "name": "3002", "type": null, "status": null, "created_at": null,
             "sent_at": "2026-04-03T14:00:00Z", "total_contacts": 1, "last_sent_at": "2026-04-03T14:00:00Z"}
        ])
    );
    let out = april(
        "campaign_9",
        Some("all"),
        two,
        &["campaigns", "list", "-f", "csv"],
    )
    .await;
    assert_eq!(
        stdout(&out).lines().next(),
        Some("id,name,type,status,created_at,sent_at,total_contacts,last_sent_at")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_count_records_per_local_day_and_week() {
    let out = april(
        "campaign_9",
        Some("all"),
        CAMPAIGN_9,
        &["stats", "-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end\n\
         2026-04-01,1,1,1,,0,2026-04-01T05:00:00Z,2026-04-02T05:00:00Z\n\
         2026-04-02,1,0,0,,0,2026-04-02T05:00:00Z,2026-04-03T05:00:00Z\n\
         2026-04-03,1,1,0,,1,2026-04-03T05:00:00Z,2026-04-04T05:00:00Z\n\
         2026-04-04,0,0,0,,0,2026-04-04T05:00:00Z,2026-04-05T05:00:00Z\n\
         2026-04-05,0,0,0,,0,2026-04-05T05:00:00Z,2026-04-06T05:00:00Z\n\
         2026-04-06,1,0,0,,0,2026-04-06T05:00:00Z,2026-04-07T05:00:00Z\n\
         2026-04-07,0,0,0,,0,2026-04-07T05:00:00Z,2026-04-08T05:00:00Z\n\
         2026-04-08,0,0,0,,0,2026-04-08T05:00:00Z,2026-04-09T05:00:00Z\n\
         2026-04-09,0,0,0,,0,2026-04-09T05:00:00Z,2026-04-10T05:00:00Z\n\
         2026-04-10,0,0,0,,0,2026-04-10T05:00:00Z,2026-04-11T05:00:00Z\n"
    );
    let out = april(
        "campaign_9",
        Some("all"),
        CAMPAIGN_9,
        &["stats", "--frequency", "weekly", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"period": "2026-03-30", "sent": 3, "delivered": 2, "read": 1, "engaged": null, "errors": 1,
             "period_start": "2026-03-30T05:00:00Z", "period_end": "2026-04-06T05:00:00Z"},
            {"period": "2026-04-06", "sent": 1, "delivered": 0, "read": 0, "engaged": null, "errors": 0,
             "period_start": "2026-04-06T05:00:00Z", "period_end": "2026-04-13T05:00:00Z"}
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_campaign_ids_and_options_wolkvox_cannot_honour_are_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server, "");
    let cases: [(&[&str], &str); 7] = [
        (
            &["campaigns", "list", "--status", "active"],
            "cannot apply --status to 'campaigns list'",
        ),
        (
            &["stats", "--account", "acme"],
            "cannot apply --account to 'stats'",
        ),
        (
            &["campaigns", "details", "Promo 1"],
            "Wolkvox addresses campaigns by their numeric id or 'all', not 'Promo 1'",
        ),
        (
            &["campaigns", "summary", "12a"],
            "Wolkvox addresses campaigns by their numeric id or 'all', not '12a'",
        ),
        (
            &["campaigns", "details", "3002", "--type", "one-time"],
            "Wolkvox campaign records have no execution type, so --type cannot filter them",
        ),
        (
            &["stats", "--type", "recurrent"],
            "Wolkvox campaign records have no execution type, so --type cannot filter them",
        ),
        (
            &[
                "campaigns",
                "export",
                "3002",
                "--page-size",
                "10",
                "-o",
                "x.csv",
            ],
            "--page-size does not apply to Wolkvox",
        ),
    ];
    for (args, message) in cases {
        let mut cmd = home.cmd();
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert!(!home.path().join("x.csv").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_help_lists_the_click_fields() {
    let home = Home::new();
    let server = strict_server().await;
    config(&home, &server, "");
    let out = run({
        let mut c = home.cmd();
        c.args(["clicks", "--fields", "help"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.trim_start().starts_with("chat_id"), "{text}");
    assert!(text.contains("cod_act"), "{text}");
    let out = run({
        let mut c = home.cmd();
        c.args(["clicks", "summary", "--fields", "help"]);
        c
    })
    .await;
    assert!(stdout(&out).contains("total_agents"), "{}", stdout(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn other_vendors_refuse_clicks_with_exit_2_naming_what_they_support() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    for (args, command) in [
        (&["clicks", "--last", "7d"][..], "clicks"),
        (&["clicks", "summary"][..], "clicks summary"),
    ] {
        let mut cmd = home.cmd();
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "wa-analytics: error: Engage: Engage does not support '{command}'.\nhint: commands Engage supports: campaigns list, campaigns summary, campaigns details/export, stats, stats --by-campaign, stats --total. Run 'wa-analytics providers' to compare vendors.\n"
            )
        );
    }
}
