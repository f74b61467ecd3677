//! The commands against wiremock: exact request bodies, every field of the output.

use serde_json::{Value, json};

use super::*;
use crate::support::{Home, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn summary_mints_one_token_and_asks_for_the_campaign_lifetime_when_no_range_is_given() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    v2("campaign", "tok-1", json!({"campaign_id": 12345}))
        .respond_with(ok(fixture("campaign.json")))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "12345", "-f", "json"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({
            "id": "12345", "name": null, "type": null, "total": 1225, "sent": 1200,
            "delivered": 1150, "read": 400, "engaged": 120, "errors": 75,
            "read_rate": 0.3478, "engagement_rate": 0.1043, "error_rate": 0.0612,
            "drop": 25, "undelivered": 50, "delivery_pending": 0, "conversion": 30,
            "revenue": 0, "unsubscribe": 2,
            "drop_details": {"frequency_capped": 5, "duplicates": 3, "invalid_phone_numbers": 8,
                "tier_limitation": 0, "template_failures": 2, "paused_templates": 0,
                "recipient_related_errors": 4, "meta_temporary_errors": 2,
                "account_integration_errors": 0, "internal_errors": 1, "rate_limits": 0,
                "policy_failures": 0},
            "undelivered_details": {"recipient_related_errors": 20,
                "account_verification_errors": 2, "media_errors": 0, "held_messages": 8,
                "meta_experiment": 0, "meta_errors": 10, "invalid_messages": 5,
                "meta_recipient_limits_errors": 5, "delivery_report_missing": 0},
            "responses": null, "response_summary": null
        })
    );
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_of_a_conversational_campaign_in_a_range_is_complete_in_csv_and_readable_in_a_table()
 {
    let server = strict_server().await;
    // One mint per run: the token lives in the process\'s memory only.
    mint("tok-1", 3600).expect(2).mount(&server).await;
    let body = json!({"campaign_id": 7, "start_time": MARCH.0, "end_time": MARCH.1});
    v2("campaign", "tok-1", body)
        .respond_with(ok(fixture("campaign-conversational.json")))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let range = ["--from", "2025-03-01", "--to", "2025-03-02"];
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "7", "-f", "csv"])
        .args(range);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate,drop,undelivered,delivery_pending,conversion,revenue,unsubscribe,drop_details,undelivered_details,responses,response_summary\n\
         7,,,1225,1200,1150,400,120,75,0.3478,0.1043,0.0612,25,50,0,30,12.5,2,\
         \"{\"\"duplicates\"\":3,\"\"frequency_capped\"\":5}\",\"{\"\"meta_errors\"\":10}\",\
         \"[{\"\"button_name\"\":\"\"Yes, I'm interested\"\",\"\"card_id\"\":1,\"\"click\"\":120,\"\"conversion\"\":30,\"\"delivered\"\":1150,\"\"is_no_reply_message\"\":false,\"\"open\"\":400,\"\"revenue\"\":0,\"\"sent\"\":1200},\
         {\"\"button_name\"\":\"\"=HYPERLINK(\\\"\"http://x\\\"\")\"\",\"\"card_id\"\":2,\"\"click\"\":0,\"\"conversion\"\":0,\"\"delivered\"\":0,\"\"is_no_reply_message\"\":true,\"\"open\"\":0,\"\"revenue\"\":0,\"\"sent\"\":0}]\",\
         \"{\"\"button_click\"\":95,\"\"click\"\":120,\"\"conversion\"\":30,\"\"open\"\":400,\"\"sent\"\":1200}\"\n"
    );
    let mut table = home.cmd();
    table
        .args(["campaigns", "summary", "7", "-f", "table"])
        .args(range)
        .args(["--fields", "read,drop_details,responses"]);
    let out = run(table).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "field         value\n\
         ───────────── ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────\n\
         read          400\n\
         drop_details  duplicates: 3\n              frequency_capped: 5\n\
         responses     button_name: Yes, I'm interested, card_id: 1, click: 120, conversion: 30, delivered: 1150, is_no_reply_message: false, open: 400, revenue: 0, sent: 1200\n              \
         button_name: =HYPERLINK(\"http://x\"), card_id: 2, click: 0, conversion: 0, delivered: 0, is_no_reply_message: true, open: 0, revenue: 0, sent: 0\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_sends_every_filter_in_the_body_and_prints_every_field() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    let body = json!({"page": 1, "per_page": 100, "sort": "createDate|desc",
        "statuses": ["active", "completed"], "types": [2], "name": "promo",
        "tags": [42, "promo"], "accounts": ["+905551112233"]});
    let item = list_item(
        12345,
        "Promo a/b #2?",
        "completed",
        1_740_700_800,
        1_740_787_200,
    );
    v2("campaign-list", "tok-1", body)
        .respond_with(ok(list_page(vec![item], 1, 1, 100, 1)))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--status",
        "Active,completed",
        "--type",
        "ab-test",
        "--name",
        "promo",
        "--tag",
        "42",
        "--tag",
        "promo",
        "--account",
        "+905551112233",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([{
            "id": "12345", "name": "Promo a/b #2?", "type": "ab-test", "status": "completed",
            "created_at": "2025-02-28T00:00:00Z", "sent_at": "2025-03-01T00:00:00Z",
            "total_contacts": null, "sent": 10, "account": "+905551112233", "account_name": "TR",
            "active_from": "2025-03-01T00:00:00Z", "active_until": "2025-03-02T00:00:00Z",
            "never_ends": false, "is_active": false, "is_test": false, "is_pinned": false,
            "sub_product": "standard", "status_text": "Completed", "approval_status": null,
            "failed_reason": null, "personalization_status": "ready", "query_hash": "ab12",
            "variations": [{"builder_id": 12345, "id": 1, "variation": "A", "variation_id": 1}]
        }])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_with_a_range_keeps_the_campaigns_sent_or_created_in_it() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    let items = vec![
        list_item(
            1,
            "sent in March",
            "completed",
            1_730_000_000,
            1_740_800_000,
        ),
        list_item(2, "sent before", "completed", 1_730_000_000, 1_730_000_000),
        list_item(
            3,
            "scheduled, created in March",
            "scheduled",
            1_740_800_000,
            1_760_000_000,
        ),
        list_item(
            4,
            "scheduled, created before",
            "scheduled",
            1_730_000_000,
            1_740_800_000,
        ),
    ];
    v2("campaign-list", "tok-1", list_body(1))
        .respond_with(ok(list_page(items, 1, 1, 100, 4)))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-02",
    ])
    .args(["-f", "csv", "--fields", "id,status,sent_at"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,status,sent_at\n1,completed,2025-03-01T03:33:20Z\n3,scheduled,\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_is_exit_3_when_the_campaign_count_changes_while_paging() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    let items = |from: u64| -> Vec<Value> {
        (from..from + 100)
            .map(|i| list_item(i, "C", "completed", 1_740_000_000, 1_740_787_200))
            .collect()
    };
    v2("campaign-list", "tok-1", list_body(1))
        .respond_with(ok(list_page(items(0), 1, 2, 100, 150)))
        .expect(1)
        .mount(&server)
        .await;
    v2("campaign-list", "tok-1", list_body(2))
        .respond_with(ok(list_page(items(100)[..51].to_vec(), 2, 2, 100, 151)))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "list", "-f", "csv", "--fields", "id"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 101, "the header and page 1");
    assert!(
        stderr(&out).contains("the campaign count changed from 150 to 151 while paging"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_posts_overall_with_the_campaign_filter_and_prints_days_or_weeks() {
    let server = strict_server().await;
    // One mint per run: the token lives in the process\'s memory only.
    mint("tok-1", 3600).expect(2).mount(&server).await;
    let body = json!({"start_time": MARCH.0, "end_time": MARCH.1, "campaign_filter": {
        "campaign_type_ids": [5], "statuses": ["active"], "accounts": ["+905551112233"], "tags": ["promo"]}});
    v2("overall", "tok-1", body)
        .respond_with(ok(fixture("overall.json")))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let args = [
        "stats",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-02",
        "--type",
        "transactional",
        "--status",
        "active",
        "--account",
        "+905551112233",
        "--tag",
        "promo",
        "-f",
        "csv",
    ];
    let mut cmd = home.cmd();
    cmd.args(args);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end,conversion\n\
         2025-03-01,1200,1150,400,120,,2025-03-01T00:00:00Z,2025-03-02T00:00:00Z,30\n\
         2025-03-02,980,940,310,95,,2025-03-02T00:00:00Z,2025-03-03T00:00:00Z,21\n"
    );
    let mut weekly = home.cmd();
    weekly.args(args).args(["--frequency", "weekly"]);
    let out = run(weekly).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end,conversion\n\
         2025-02-24,2180,2090,710,215,,2025-02-24T00:00:00Z,2025-03-03T00:00:00Z,51\n",
        "Saturday and Sunday add up to the week starting Monday 24 February"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_by_campaign_and_total_print_overall_details_and_summary() {
    let server = strict_server().await;
    // One mint per run: the token lives in the process\'s memory only.
    mint("tok-1", 3600).expect(2).mount(&server).await;
    let body = json!({"start_time": MARCH.0, "end_time": MARCH.1});
    v2("overall", "tok-1", body)
        .respond_with(ok(fixture("overall.json")))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let range = ["--from", "2025-03-01", "--to", "2025-03-02"];
    let mut cmd = home.cmd();
    cmd.args(["stats", "--by-campaign", "-f", "csv"])
        .args(range);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate,status,account,drop,undelivered,delivery_pending,conversion,revenue,unsubscribe,drop_details,undelivered_details\n\
         12345,Black Friday 50% off,standard,1225,1200,1150,400,120,75,0.3478,0.1043,0.0612,completed,+905551112233,25,50,0,30,0,2,,\n\
         12346,Promo a/b #2?,ab-test,995,980,940,310,95,55,0.3298,0.1011,0.0553,active,+573001112233,15,40,0,21,0,1,,\n"
    );
    let mut cmd = home.cmd();
    cmd.args(["stats", "--total", "-f", "json"]).args(range);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"id": null, "name": null, "type": null, "total": 2220, "sent": 2180,
            "delivered": 2090, "read": 710, "engaged": 215, "errors": 130, "read_rate": 0.3397,
            "engagement_rate": 0.1029, "error_rate": 0.0586, "drop": 40, "undelivered": 90,
            "delivery_pending": 0, "conversion": 51, "revenue": 0, "unsubscribe": 3,
            "drop_details": {"frequency_capped": 10, "duplicates": 30},
            "undelivered_details": {"meta_errors": 90}})
    );
}

/// `--from 2024-01-01 --to 2025-06-30`: 547 days, asked as two windows of 273.5 days.
const LONG: [(i64, i64); 2] = [
    (1_704_067_200, 1_727_697_599),
    (1_727_697_600, 1_751_327_999),
];

#[tokio::test(flavor = "multi_thread")]
async fn ranges_over_a_year_are_asked_in_windows_that_tile_them_and_added_up() {
    let server = strict_server().await;
    // One mint per run: the token lives in the process\'s memory only.
    mint("tok-1", 3600).expect(3).mount(&server).await;
    let answer = |sent: u64, seam_sent: u64| {
        json!({
            "chart": {"dates": ["2024-09-29", "2024-09-30"], "sent": [sent, seam_sent], "open": [1, 1]},
            "summary": {"sent": sent + seam_sent, "targeted": sent + seam_sent, "dropDetails": {"duplicates": 1}},
            "details": [{"campaignId": 9, "campName": "Long", "campaignTypeId": 1, "sent": sent + seam_sent}]
        })
    };
    for ((start, end), resp) in LONG.into_iter().zip([answer(10, 3), answer(0, 4)]) {
        v2(
            "overall",
            "tok-1",
            json!({"start_time": start, "end_time": end}),
        )
        .respond_with(ok(resp))
        .expect(3)
        .mount(&server)
        .await;
    }
    let home = Home::new();
    oauth(&home, &server.uri());
    let range = ["--from", "2024-01-01", "--to", "2025-06-30", "-f", "csv"];
    let mut cmd = home.cmd();
    cmd.args(["stats", "--fields", "period,sent,read"])
        .args(range);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,read\n2024-09-29,10,2\n2024-09-30,7,2\n"
    );
    let mut cmd = home.cmd();
    cmd.args(["stats", "--total", "--fields", "sent,total,drop_details"])
        .args(range);
    let out = run(cmd).await;
    assert_eq!(
        stdout(&out),
        "sent,total,drop_details\n17,17,\"{\"\"duplicates\"\":2}\"\n"
    );
    let mut cmd = home.cmd();
    cmd.args(["stats", "--by-campaign", "--fields", "id,type,sent"])
        .args(range);
    let out = run(cmd).await;
    assert_eq!(stdout(&out), "id,type,sent\n9,standard,17\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn transactional_and_verify_reports_post_their_endpoints_with_accounts_only() {
    let server = strict_server().await;
    // One mint per run: the token lives in the process\'s memory only.
    mint("tok-1", 3600).expect(3).mount(&server).await;
    let body = json!({"start_time": MARCH.0, "end_time": MARCH.1, "accounts": ["+905551112233"]});
    v2("transactional", "tok-1", body.clone())
        .respond_with(ok(fixture("transactional.json")))
        .expect(1)
        .mount(&server)
        .await;
    v2("verify", "tok-1", body)
        .respond_with(ok(fixture("verify.json")))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let common = [
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-02",
        "--account",
        "+905551112233",
    ];
    let mut cmd = home.cmd();
    cmd.args(["stats", "--report", "transactional", "-f", "csv"])
        .args(common);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end,conversion,verified,responses,click_from_responses,conversion_from_responses\n\
         2025-03-01,300,290,180,25,,2025-03-01T00:00:00Z,2025-03-02T00:00:00Z,6,0,12,5,1\n\
         2025-03-02,200,190,120,15,,2025-03-02T00:00:00Z,2025-03-03T00:00:00Z,4,0,8,3,1\n"
    );
    let mut cmd = home.cmd();
    cmd.args(["stats", "--report", "verify", "-f", "csv"])
        .args(common);
    let out = run(cmd).await;
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end,verified,unverified\n\
         2025-03-01,5000,4900,0,,,2025-03-01T00:00:00Z,2025-03-02T00:00:00Z,4500,\n\
         2025-03-02,3000,2900,0,,,2025-03-02T00:00:00Z,2025-03-03T00:00:00Z,2700,\n"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Insider's answer to 'stats --report verify' has no chart.click[]: engaged is null\n\
         wa-analytics: warning: Insider's answer to 'stats --report verify' has no chart.unverified[]: unverified is null\n",
        "the fixture's chart has no click or unverified series: one warning each, not one per day"
    );
    let mut cmd = home.cmd();
    cmd.args(["stats", "--report", "verify", "--total", "-f", "json"])
        .args(common);
    let out = run(cmd).await;
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"id": null, "name": null, "type": null, "total": 8150, "sent": 8000,
            "delivered": 7800, "read": 0, "engaged": 0, "errors": 350, "read_rate": 0.0,
            "engagement_rate": 0.0, "error_rate": 0.0429, "drop": 150, "undelivered": 200,
            "delivery_pending": null, "conversion": 0, "revenue": 0, "unsubscribe": 0,
            "verified": 7200, "unverified": 600, "drop_details": null, "undelivered_details": null,
            "unverified_details": {"expired": 400, "wrong_code": 150, "not_attempted": 50}})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_over_more_than_a_year_is_asked_in_year_windows_and_added_up() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    // 2024 has 366 days: two windows of 183 days, each end inclusive (end - 1 s).
    let windows = [
        (1_704_067_200, 1_719_878_399),
        (1_719_878_400, 1_735_689_599),
    ];
    let counts = [(100, 90, 30, 10, 5, 3), (50, 40, 20, 4, 2, 1)];
    for ((start, end), (sent, delivered, open, click, drop, undelivered)) in
        windows.into_iter().zip(counts)
    {
        let body = json!({"campaign_id": 9, "start_time": start, "end_time": end});
        v2("campaign", "tok-1", body)
            .respond_with(ok(json!({
                "targeted": sent + drop, "sent": sent, "delivered": delivered, "open": open,
                "click": click, "drop": drop, "undelivered": undelivered, "revenue": 1.5
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "9", "-f", "json", "-q"])
        .args(["--from", "2024-01-01", "--to", "2024-12-31"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let pick: Vec<_> = [
        "total",
        "sent",
        "delivered",
        "read",
        "engaged",
        "errors",
        "read_rate",
        "engagement_rate",
        "error_rate",
        "drop",
        "undelivered",
        "revenue",
    ]
    .iter()
    .map(|k| got[*k].clone())
    .collect();
    // Counts added; rates from the sums (50 / 130, 14 / 130, 11 / 157), not added.
    assert_eq!(
        pick,
        [
            json!(157),
            json!(150),
            json!(130),
            json!(50),
            json!(14),
            json!(11),
            json!(0.3846),
            json!(0.1077),
            json!(0.0701),
            json!(7),
            json!(4),
            json!(3.0)
        ]
    );
}
