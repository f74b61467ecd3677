//! Insider end to end: the real binary against wiremock, every request pinned (method, path,
//! headers, exact JSON body), the three ways to authenticate, token minting and renewal, every
//! error mapping, and canary secrets.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use crate::engage::forbid_others;
use crate::support::{Home, stderr, stdout};

const V2: &str = "/api/wa/v2/statistics";
/// `--from 2025-03-01 --to 2025-03-02`: 10-digit seconds, the end inclusive.
const MARCH: (i64, i64) = (1_740_787_200, 1_740_959_999);

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// An OAuth profile (client credentials) at `base`.
fn oauth(home: &Home, base: &str) {
    home.write_config(&format!(
        "[profiles.ins]\nprovider = \"insider\"\nbase_url = \"{base}\"\nclient_id = \"client-1\"\nclient_secret = \"secret-1\"\n"
    ));
}

/// A profile with a ready bearer token, or any other credential line.
fn profile_with(home: &Home, base: &str, credential: &str) {
    home.write_config(&format!(
        "[profiles.ins]\nprovider = \"insider\"\nbase_url = \"{base}\"\n{credential}\n"
    ));
}

/// `POST /auth/token` with the documented JSON body, answering `token`.
fn mint(token: &str, expires_in: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"client_id": "client-1", "client_secret": "secret-1", "scopes": ["wa-stats-api"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}),
        ))
}

/// A v2 statistics POST with `Bearer token` and exactly `body`.
fn v2(endpoint: &str, token: &str, body: Value) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(format!("{V2}/{endpoint}")))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/fixtures/insider/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Matches a request that does not carry the header.
struct Without(&'static str);

impl Match for Without {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key(self.0)
    }
}

fn list_item(id: u64, name: &str, status: &str, created: i64, started: i64) -> Value {
    json!({"id": id, "campName": name, "createDate": created, "activeDateStart": started,
           "activeDateEnd": started + 86_400, "isActive": 0, "isTest": 0, "neverEnds": 0,
           "campaignTypeId": 2, "isPinned": false, "sent": 10, "phoneNumber": "+905551112233",
           "phoneNumberName": "TR", "status": status, "subProductAlias": "standard",
           "queryHash": "ab12", "failedReason": null, "approvalStatus": null,
           "statusTranslation": "Completed", "personalizationStatus": "ready",
           "variations": [{"id": 1, "builderId": id, "variationId": 1, "variation": "A"}]})
}

fn list_page(items: Vec<Value>, page: u64, last: u64, per_page: u64, total: u64) -> Value {
    json!({"data": items, "meta": {"current_page": page, "last_page": last, "per_page": per_page, "total": total}})
}

fn list_body(page: u64) -> Value {
    json!({"page": page, "per_page": 100, "sort": "createDate|desc"})
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_mints_one_token_and_asks_for_the_campaign_lifetime_when_no_range_is_given() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
async fn a_campaign_id_of_zero_or_text_is_exit_2_before_any_request() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let home = Home::new();
    oauth(&home, &server.uri());
    for (id, says) in [
        (
            "0",
            "Insider: campaign ids are whole numbers greater than 0, not 0.",
        ),
        ("-4", "not -4"),
        (
            "Black Friday",
            "'Black Friday' is not an Insider campaign id",
        ),
    ] {
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "--", id]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{id}");
        assert!(stderr(&out).contains(says), "{id}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_mints_once_more_and_retries_once_and_a_second_401_is_exit_4() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mint("tok-1", 3600)
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    mint("tok-2", 3600).expect(1).mount(&server).await;
    let unauthorized = ResponseTemplate::new(401)
        .set_body_json(json!({"message": "unauthorized", "errorCode": "3000"}));
    v2("campaign", "tok-1", json!({"campaign_id": 5}))
        .respond_with(unauthorized.clone())
        .expect(1)
        .mount(&server)
        .await;
    v2("campaign", "tok-2", json!({"campaign_id": 5}))
        .respond_with(ok(fixture("campaign.json")))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "5",
        "-f",
        "csv",
        "--fields",
        "id,sent",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "id,sent\n5,1200\n");
    server.verify().await;

    // A token refused even when fresh: one re-mint, one retry, then exit 4 — no loop.
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mint("tok-1", 3600).expect(2).mount(&server).await;
    v2("campaign", "tok-1", json!({"campaign_id": 5}))
        .respond_with(unauthorized)
        .expect(2)
        .mount(&server)
        .await;
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "5"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Insider POST /api/wa/v2/statistics/campaign answered 401 Unauthorized: 3000: unauthorized.\n\
         hint: Insider refused a freshly minted token: check that the OAuth 2.0 credential has the WhatsApp Analytics scope and that this machine's IP is trusted\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_token_serves_every_page_and_an_expired_one_is_minted_again() {
    for (expires_in, mints) in [(3600, 1), (0, 3)] {
        let server = MockServer::start().await;
        forbid_others(&server).await;
        mint("tok-1", expires_in).expect(mints).mount(&server).await;
        for page in 1..=3u64 {
            let items = vec![list_item(
                page,
                &format!("C{page}"),
                "completed",
                1_740_000_000,
                1_740_787_200,
            )];
            v2("campaign-list", "tok-1", list_body(page))
                .respond_with(ok(list_page(items, page, 3, 1, 3)))
                .expect(1)
                .mount(&server)
                .await;
        }
        let home = Home::new();
        oauth(&home, &server.uri());
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "list", "-f", "csv", "--fields", "id,name"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), "id,name\n1,C1\n2,C2\n3,C3\n");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_sends_every_filter_in_the_body_and_prints_every_field() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
        "period,sent,delivered,read,engaged,errors,conversion\n\
         2025-03-01,1200,1150,400,120,,30\n\
         2025-03-02,980,940,310,95,,21\n"
    );
    let mut weekly = home.cmd();
    weekly.args(args).args(["--frequency", "weekly"]);
    let out = run(weekly).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,conversion\n2025-02-24,2180,2090,710,215,,51\n",
        "Saturday and Sunday add up to the week starting Monday 24 February"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_by_campaign_and_total_print_overall_details_and_summary() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
    let server = MockServer::start().await;
    forbid_others(&server).await;
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
        "period,sent,delivered,read,engaged,errors,conversion,verified,responses,click_from_responses,conversion_from_responses\n\
         2025-03-01,300,290,180,25,,6,0,12,5,1\n\
         2025-03-02,200,190,120,15,,4,0,8,3,1\n"
    );
    let mut cmd = home.cmd();
    cmd.args(["stats", "--report", "verify", "-f", "csv"])
        .args(common);
    let out = run(cmd).await;
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,verified,unverified\n\
         2025-03-01,5000,4900,0,,,4500,\n\
         2025-03-02,3000,2900,0,,,2700,\n"
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
async fn filters_a_command_cannot_apply_are_exit_2_before_any_request() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let cases: [(&[&str], &str); 7] = [
        (
            &["campaigns", "list", "--type", "one-time"],
            "Insider: cannot apply --type one-time to 'campaigns list'.",
        ),
        (
            &["campaigns", "list", "--status", "running"],
            "'running' is not an Insider campaign status",
        ),
        (&["stats", "--name", "x"], "unexpected argument '--name'"),
        (
            &["stats", "--report", "verify", "--tag", "promo"],
            "Insider: cannot apply --tag to 'stats --report verify'.",
        ),
        (
            &["stats", "--report", "transactional", "--type", "standard"],
            "cannot apply --type standard to 'stats --report transactional'",
        ),
        (
            &["stats", "--report", "verify", "--by-campaign"],
            "Insider's verify statistics have no per-campaign breakdown",
        ),
        (
            &["stats", "--from", "1999-01-01", "--to", "2000-01-01"],
            "Insider takes times as 10-digit Unix seconds",
        ),
    ];
    for (args, says) in cases {
        let mut cmd = home.cmd();
        cmd.args(args).args(["-f", "csv"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn details_and_export_are_not_supported_and_name_what_insider_serves() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let home = Home::new();
    oauth(&home, &server.uri());
    for args in [
        &["campaigns", "details", "1"][..],
        &["campaigns", "export", "1", "-o", "x.csv"],
    ] {
        let mut cmd = home.cmd();
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).ends_with(
                "hint: commands Insider supports: campaigns list, campaigns summary, stats, stats --report transactional, stats --report verify. Run 'wa-analytics providers' to compare vendors.\n"
            ),
            "{}",
            stderr(&out)
        );
    }
}

async fn error_case(status: u16, body: Value, attempts: u64) -> std::process::Output {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/statistics/campaign"))
        .and(header("x-ins-auth-key", "INS.key-1"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(attempts)
        .mount(&server)
        .await;
    let home = Home::new();
    profile_with(&home, &server.uri(), "api_key = \"INS.key-1\"");
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "3", "--retries", "2"]);
    let out = run(cmd).await;
    server.verify().await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn insider_errors_map_to_documented_exit_codes_with_the_vendor_code_and_message() {
    let cases = [
        (
            400,
            json!({"message": "campaign not found or does not belong to this partner", "errorCode": "3004"}),
            1,
            7,
            "answered 400 Bad Request: 3004: campaign not found or does not belong to this partner.",
        ),
        (
            400,
            json!({"message": "validation failed", "errorCode": "3002", "errors": "campaign_id is required and must be greater than 0"}),
            1,
            2,
            "3002: validation failed: campaign_id is required and must be greater than 0.",
        ),
        (
            400,
            json!({"message": "failed to parse request", "errorCode": "3001", "errors": "json: cannot unmarshal string"}),
            1,
            2,
            "3001: failed to parse request: json: cannot unmarshal string.",
        ),
        (
            403,
            json!({"message": "WhatsApp product is not active", "errorCode": "3007"}),
            1,
            4,
            "answered 403 Forbidden: 3007: WhatsApp product is not active.",
        ),
        (
            401,
            json!({"message": "unauthorized", "errorCode": "3000"}),
            1,
            4,
            "hint: Insider refused the API key (x-ins-auth-key)",
        ),
        (
            422,
            json!({"message": "The given data was invalid.", "errors": {"campaignFilters.builderId": ["The campaign ID must be a valid WhatsApp campaign."]}}),
            1,
            2,
            "422 Unprocessable Entity: The given data was invalid: campaignFilters.builderId: The campaign ID must be a valid WhatsApp campaign.",
        ),
        (
            429,
            json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}}),
            2,
            5,
            "answered 429 Too Many Requests: 2021: rate limited.",
        ),
        (
            403,
            json!({"message": "Request Limit Exceeded"}),
            2,
            5,
            "hint: Insider is throttling this account (Request Limit Exceeded)",
        ),
        (
            500,
            json!({"message": "internal error"}),
            2,
            6,
            "answered 500 Internal Server Error: internal error.",
        ),
    ];
    for (status, body, attempts, code, says) in cases {
        let out = error_case(status, body.clone(), attempts).await;
        assert_eq!(
            out.status.code(),
            Some(code),
            "{status} {body}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(err.contains(says), "{status} {body}: {err}");
        assert!(
            err.starts_with("wa-analytics: error: Insider POST /v1/statistics/campaign"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 2, "one paragraph and a hint: {err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_403_and_429_are_retried_then_succeed() {
    for (status, body) in [
        (403, json!({"message": "Request Limit Exceeded"})),
        (
            429,
            json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}}),
        ),
    ] {
        let server = MockServer::start().await;
        forbid_others(&server).await;
        Mock::given(method("POST"))
            .and(path("/v1/statistics/campaign"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("retry-after", "0"),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/statistics/campaign"))
            .and(body_json(json!({"campaign_id": 3})))
            .respond_with(ok(fixture("campaign.json")))
            .expect(1)
            .mount(&server)
            .await;
        let home = Home::new();
        profile_with(&home, &server.uri(), "api_key = \"INS.key-1\"");
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "3", "-f", "csv", "--fields", "sent"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{status}: {}", stderr(&out));
        assert_eq!(stdout(&out), "sent\n1200\n");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_key_goes_to_the_v1_paths_as_x_ins_auth_key_and_a_token_as_bearer_without_minting() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/statistics/campaign-list"))
        .and(header("x-ins-auth-key", "INS.key-1"))
        .and(Without("authorization"))
        .and(body_json(list_body(1)))
        .respond_with(ok(list_page(vec![], 1, 1, 100, 0)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{V2}/campaign-list")))
        .and(header("authorization", "Bearer tok-ready"))
        .and(Without("x-ins-auth-key"))
        .and(body_json(list_body(1)))
        .respond_with(ok(list_page(vec![], 1, 1, 100, 0)))
        .expect(1)
        .mount(&server)
        .await;
    for credential in ["api_key = \"INS.key-1\"", "token = \"tok-ready\""] {
        let home = Home::new();
        profile_with(&home, &server.uri(), credential);
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "list", "-f", "json"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{credential}: {}", stderr(&out));
        assert_eq!(stdout(&out), "[]\n");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_command_is_run_again_once_after_a_401() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("{V2}/campaign")))
        .and(header("authorization", "Bearer old"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "unauthorized", "errorCode": "3000"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    v2("campaign", "new", json!({"campaign_id": 3}))
        .respond_with(ok(fixture("campaign.json")))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let script = home.path().join("token.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ -f \"$HOME/used\" ]; then echo new; else touch \"$HOME/used\"; echo old; fi\n",
    )
    .unwrap();
    profile_with(
        &home,
        &server.uri(),
        &format!("token = {{ command = \"sh {}\" }}", script.display()),
    );
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "3", "-f", "csv", "--fields", "read"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "read\n400\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_mints_and_reads_one_campaign_and_reports_refused_credentials() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    v2(
        "campaign-list",
        "tok-1",
        json!({"page": 1, "per_page": 1, "sort": "createDate|desc"}),
    )
    .respond_with(ok(list_page(vec![], 1, 1, 1, 0)))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nins,insider,ok,\n"
    );
    server.verify().await;

    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "unauthorized", "errorCode": "3000"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nins,insider,auth refused,Insider POST /auth/token answered 401 Unauthorized: 3000: the OAuth 2.0 token request failed: unauthorized.\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_with_two_credentials_or_half_an_oauth_pair_is_a_config_error() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let home = Home::new();
    for (credential, says) in [
        (
            "token = \"t\"\napi_key = \"k\"",
            "holds more than one Insider credential (token, api_key); keep exactly one",
        ),
        ("client_id = \"c\"", "has client_id but no client_secret"),
        (
            "client_secret = \"s\"",
            "has client_secret but no client_id",
        ),
        ("", "has no Insider credential"),
    ] {
        profile_with(&home, &server.uri(), credential);
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "list"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{credential}");
        assert!(
            stderr(&out).contains(says),
            "{credential}: {}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn engage_refuses_insider_filters_and_reports_before_any_request() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let cases: [(&[&str], &str); 5] = [
        (
            &["campaigns", "list", "--status", "active"],
            "Engage: cannot apply --status to 'campaigns list'.",
        ),
        (
            &["campaigns", "list", "--type", "ab-test"],
            "Engage: cannot apply --type ab-test to 'campaigns list'.",
        ),
        (
            &["stats", "--account", "+905551112233"],
            "Engage: cannot apply --account to 'stats'.",
        ),
        (
            &["stats", "--report", "verify"],
            "Engage: Engage does not support 'stats --report verify'.",
        ),
        (
            &["stats", "--total"],
            "Engage: Engage does not support 'stats --total'.",
        ),
    ];
    for (args, says) in cases {
        let mut cmd = home.cmd();
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

const CANARIES: [&str; 4] = [
    "CANARY-secret-91c2e7",
    "CANARY-token-5ad0b3",
    "INS.CANARY-key-7e61f9",
    "CANARY-minted-24b8fd",
];

fn assert_clean(text: &str, secrets: &[&str]) {
    use base64::Engine;
    let e = base64::engine::general_purpose::STANDARD;
    for s in secrets {
        for form in [s.to_string(), e.encode(s), e.encode(format!("Bearer {s}"))] {
            assert!(
                !text.contains(&form),
                "secret form {form} leaked in:\n{text}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn canary_secrets_never_appear_at_vv_even_when_insider_echoes_them() {
    let oauth_line = format!(
        "client_id = \"client-1\"\nclient_secret = \"{}\"",
        CANARIES[0]
    );
    let cases = [
        (200, oauth_line.clone(), vec![CANARIES[0], CANARIES[3]]),
        (400, oauth_line, vec![CANARIES[0], CANARIES[3]]),
        (
            401,
            "token = { env = \"INS_TOKEN\" }".to_string(),
            vec![CANARIES[1]],
        ),
        (
            422,
            format!("api_key = \"{}\"", CANARIES[2]),
            vec![CANARIES[2]],
        ),
    ];
    for (status, credential, secrets) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/auth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"access_token": CANARIES[3], "token_type": "Bearer", "expires_in": 3600}),
            ))
            .mount(&server)
            .await;
        let echo = json!({"message": format!("echo {}", secrets.join(" ")), "errorCode": "3002"});
        let answer = if status == 200 {
            ok(fixture("campaign.json"))
        } else {
            ResponseTemplate::new(status).set_body_json(echo)
        };
        Mock::given(method("POST"))
            .respond_with(answer)
            .with_priority(10)
            .mount(&server)
            .await;
        let home = Home::new();
        profile_with(&home, &server.uri(), &credential);
        for args in [
            &["campaigns", "summary", "3", "-f", "json"][..],
            &["profiles", "check"],
        ] {
            let mut cmd = home.cmd();
            cmd.env("INS_TOKEN", CANARIES[1])
                .args(["-vv", "--retries", "1"])
                .args(args);
            let out = run(cmd).await;
            assert!(stderr(&out).contains("> POST"), "-vv traces requests");
            for text in [stdout(&out), stderr(&out)] {
                assert_clean(&text, &secrets);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_client_secret_is_not_sent_across_a_redirect_to_another_origin() {
    let elsewhere = MockServer::start().await;
    forbid_others(&elsewhere).await;
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/auth/token", elsewhere.uri())),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "3"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("answered 307 Temporary Redirect"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_help_lists_insider_fields_without_any_request() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "1", "--fields", "help"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "name",
            "type",
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
            "delivery_pending",
            "conversion",
            "revenue",
            "unsubscribe",
            "drop_details",
            "undelivered_details",
            "responses",
            "response_summary"
        ]
    );
}
