//! What the numbers mean, for Insider (product.md, "What the numbers mean"): an answer in
//! another schema is exit 6 naming the paths, rates over nothing are null, a missing field is
//! null with one warning, the mapping says where Insider's words differ, and the chart's days
//! are Insider's UTC days whatever `--tz` says. Against wiremock (every request pinned), then end
//! to end against the sandbox's variants.

use serde_json::{Value, json};
use wa_analytics::provider::Vendor;
use wa_analytics::sandbox::{INSIDER_TOKEN, Sandbox, SandboxOptions, Variant};

use super::*;
use crate::support::{Home, json_ok, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn answers_in_another_schema_are_exit_6_naming_the_paths_insider_did_not_send() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(3).mount(&server).await;
    let renamed = json!({"sent_count": 1200, "delivered_count": 1150, "read_count": 400,
        "click_count": 120, "targeted_count": 1225});
    v2("campaign", "tok-1", json!({"campaign_id": 12345}))
        .respond_with(ok(renamed.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let overall = json!({
        "chart": {"dates": ["2025-03-01"], "sent_count": [1200], "read_count": [400]},
        "summary": renamed, "details": []
    });
    v2(
        "overall",
        "tok-1",
        json!({"start_time": MARCH.0, "end_time": MARCH.1}),
    )
    .respond_with(ok(overall))
    .expect(2)
    .mount(&server)
    .await;
    let home = Home::new();
    oauth(&home, &server.uri());

    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "12345", "-f", "json"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "no row of nulls");
    let err = stderr(&out);
    assert!(
        err.contains("cannot read Insider's answer to 'campaigns summary': it has none of the counts targeted, sent, delivered, open, click, drop, undelivered (the answer holds: click_count, delivered_count, read_count, sent_count, targeted_count)"),
        "{err}"
    );
    assert!(err.contains("/api/wa/v2/statistics/campaign"), "{err}");

    let range = ["--from", "2025-03-01", "--to", "2025-03-02"];
    let mut cmd = home.cmd();
    cmd.args(["stats", "-f", "csv"]).args(range);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read Insider's answer to 'stats': it has none of the counts chart.sent[], chart.delivered[], chart.open[], chart.click[] (the answer holds: dates[], read_count[], sent_count[])"),
        "{}",
        stderr(&out)
    );

    let mut cmd = home.cmd();
    cmd.args(["stats", "--total", "-f", "json"]).args(range);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read Insider's answer to 'stats --total': it has none of the counts summary.targeted, summary.sent, summary.delivered, summary.open, summary.click, summary.drop, summary.undelivered"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_count_that_is_not_a_whole_number_is_exit_6() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    v2("campaign", "tok-1", json!({"campaign_id": 7}))
        .respond_with(ok(json!({"sent": 10, "delivered": -2, "open": "3"})))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "7"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("delivered is -2, not a count; open is \"3\", not a count"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_with_nothing_delivered_has_null_rates_and_a_missing_field_warns_once() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    // No deliveryPending: null, with one warning.
    let answer = json!({"sent": 40, "delivered": 0, "open": 0, "click": 0, "conversion": 0,
        "revenue": 0, "drop": 10, "targeted": 50, "unsubscribe": 0, "undelivered": 40,
        "dropDetails": {}, "undeliveredDetails": {}});
    v2("campaign", "tok-1", json!({"campaign_id": 7}))
        .respond_with(ok(answer))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "7", "-f", "json"]);
    let out = run(cmd).await;
    let got = json_ok(&out);
    assert_eq!(
        got,
        json!({"id": "7", "name": null, "type": null, "total": 50, "sent": 40, "delivered": 0,
            "read": 0, "engaged": 0, "errors": 50, "read_rate": null, "engagement_rate": null,
            "error_rate": 1.0, "drop": 10, "undelivered": 40, "delivery_pending": null,
            "conversion": 0, "revenue": 0, "unsubscribe": 0, "drop_details": {},
            "undelivered_details": {}, "responses": null, "response_summary": null})
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Insider's answer to 'campaigns summary' has no deliveryPending: delivery_pending is null\n",
        "one warning, and none for the conversational fields a standard campaign lacks"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_field_missing_from_every_campaign_warns_once_and_a_campaign_without_id_is_exit_6() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(2).mount(&server).await;
    let item = |id: u64| {
        let mut item = list_item(id, "C", "completed", 1_740_700_800, 1_740_787_200);
        item.as_object_mut().unwrap().remove("queryHash");
        item
    };
    v2("campaign-list", "tok-1", list_body(1))
        .respond_with(ok(list_page(vec![item(1), item(2)], 1, 1, 100, 2)))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "-f",
        "csv",
        "--fields",
        "id,query_hash",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "id,query_hash\n1,\n2,\n");
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Insider's answer to 'campaigns list' has no data[].queryHash: query_hash is null\n"
    );

    server.reset().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    let mut anonymous = item(3);
    anonymous.as_object_mut().unwrap().remove("id");
    v2("campaign-list", "tok-1", list_body(1))
        .respond_with(ok(list_page(vec![anonymous], 1, 1, 100, 1)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "list", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("cannot read Insider's answer to 'campaigns list': it lacks data[].id"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chart_days_are_insiders_utc_days_and_v_says_so_when_tz_differs() {
    let server = strict_server().await;
    mint("tok-1", 3600).expect(1).mount(&server).await;
    // 2025-03-01 00:00 in Bogotá is 05:00Z: the range is read in --tz.
    let body = json!({"start_time": 1_740_805_200, "end_time": 1_740_978_000 - 1});
    v2("overall", "tok-1", body)
        .respond_with(ok(fixture("overall.json")))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["-v", "stats", "--tz", "America/Bogota", "-f", "csv"])
        .args(["--from", "2025-03-01", "--to", "2025-03-02"])
        .args(["--fields", "period,sent,period_start,period_end"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,period_start,period_end\n\
         2025-03-01,1200,2025-03-01T00:00:00Z,2025-03-02T00:00:00Z\n\
         2025-03-02,980,2025-03-02T00:00:00Z,2025-03-03T00:00:00Z\n"
    );
    assert!(
        stderr(&out).contains("Insider cuts its chart days in UTC: the buckets are UTC days (period_start 00:00Z), not days of America/Bogota"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn providers_mapping_says_what_insiders_errors_engaged_and_read_are() {
    let home = Home::new();
    let mut cmd = home.cmd();
    cmd.args(["providers", "--mapping", "-f", "json"]);
    let rows = json_ok(&run(cmd).await);
    let row = |command: &str, field: &str| -> Value {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["vendor"] == "insider" && r["command"] == command && r["field"] == field)
            .cloned()
            .unwrap_or_else(|| panic!("no row for {command} {field}"))
    };
    let errors = row("campaigns summary", "errors");
    assert_eq!(errors["support"], "derived");
    assert_eq!(errors["source"], "drop + undelivered");
    let note = errors["note"].as_str().unwrap();
    assert!(
        note.contains(
            "also counted in sent: sent + errors can exceed total (unlike Engage and Wolkvox)"
        ),
        "{note}"
    );
    let engaged = row("campaigns summary", "engaged");
    assert_eq!(engaged["source"], "click");
    assert!(
        engaged["note"]
            .as_str()
            .unwrap()
            .contains("not responseSummary.buttonClick"),
        "{engaged}"
    );
    assert_eq!(row("campaigns summary", "read")["source"], "open");
    assert_eq!(row("stats", "read")["source"], "chart.open[]");
    let daily = row("stats", "errors");
    assert_eq!(daily["support"], "unsupported");
    assert!(
        daily["note"]
            .as_str()
            .unwrap()
            .contains("stats --total has them"),
        "{daily}"
    );
    let start = row("stats", "period_start");
    assert!(start["note"].as_str().unwrap().contains("UTC"), "{start}");
    // The statistics carry no name: one CAMPAIGN's is null, every campaign's comes from the list.
    let name = row("campaigns summary", "name");
    assert_eq!(name["support"], "derived");
    assert_eq!(
        name["source"],
        "data[].campName of campaign-list, without CAMPAIGN"
    );
    assert_eq!(row("stats --total", "name")["support"], "unsupported");
    assert_eq!(row("stats --total", "read")["source"], "summary.open");
    assert_eq!(
        row("stats --by-campaign", "id")["source"],
        "details[].campaignId"
    );
}

/// A token profile for the sandbox's Insider.
fn sandbox_profile(home: &Home, sandbox: &Sandbox) {
    profile_with(
        home,
        &sandbox.base_url(Vendor::Insider),
        &format!("token = \"{INSIDER_TOKEN}\""),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_in_an_unknown_schema_ends_every_figure_command_with_exit_6() {
    let sandbox = Sandbox::start(SandboxOptions {
        variants: vec![Variant::UnknownSchema],
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let home = Home::new();
    sandbox_profile(&home, &sandbox);
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "list", "-f", "json"]);
    let list = json_ok(&run(cmd).await);
    let id = list[0]["id"].as_str().unwrap().to_string();
    for (args, path) in [
        (vec!["campaigns", "summary", id.as_str()], "targeted, sent"),
        (vec!["stats", "--last", "30d"], "chart.sent[]"),
        (vec!["stats", "--last", "30d", "--total"], "summary.sent"),
        (
            vec!["stats", "--last", "30d", "--by-campaign"],
            "details[].sent",
        ),
        (
            vec!["stats", "--report", "verify", "--last", "30d"],
            "chart.sent[]",
        ),
        (
            vec![
                "stats",
                "--report",
                "transactional",
                "--last",
                "30d",
                "--total",
            ],
            "it has none of the counts targeted, sent",
        ),
    ] {
        let mut cmd = home.cmd();
        cmd.args(&args).args(["-f", "csv"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(6), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(stderr(&out).contains(path), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("sent_count"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_with_broken_invariants_prints_the_figures_as_insider_gave_them() {
    let sandbox = Sandbox::start(SandboxOptions {
        variants: vec![Variant::BrokenInvariants],
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let home = Home::new();
    sandbox_profile(&home, &sandbox);
    let mut cmd = home.cmd();
    cmd.args(["stats", "--last", "30d", "--total", "-f", "json"]);
    let total = json_ok(&run(cmd).await);
    let n = |v: &Value, k: &str| v[k].as_u64().unwrap();
    assert!(n(&total, "delivered") > n(&total, "sent"), "{total}");
    let mut cmd = home.cmd();
    cmd.args(["stats", "--last", "30d", "-f", "json"]);
    let days = json_ok(&run(cmd).await);
    let days = days.as_array().unwrap();
    assert!(
        days.iter().all(|d| n(d, "delivered") > n(d, "sent")),
        "{days:?}"
    );
    let sum: u64 = days.iter().map(|d| n(d, "delivered")).sum();
    assert!(sum > 0);
}
