//! What Engage's numbers mean (product.md, "What the numbers mean"): an answer in another schema
//! is exit 6 naming the paths and what it holds, never a row of nulls; rates are read in the
//! scale their counts confirm and are null over a zero denominator; a missing field is null with
//! one warning; stats buckets are Engage's UTC days whatever the zone; and the same against the
//! sandbox's variants.

use serde_json::{Value, json};
use wa_analytics::provider::Vendor;
use wa_analytics::sandbox::{Sandbox, SandboxOptions, Variant};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, json_ok, run, stderr, stdout, strict_server};

/// `campaigns summary Spring` for April (JSON) against a server whose summary answers `body`.
async fn summary_answering(body: Value) -> std::process::Output {
    let server = strict_server().await;
    engage_get("/campaign/Spring/summary", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
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
        "json",
    ]);
    run(cmd).await
}

/// `stats` for April (`args` added) against a server whose daily stats answer `body`.
async fn stats_answering(body: Value, args: &[&str]) -> std::process::Output {
    let server = strict_server().await;
    engage_get("/stats", format!("{APRIL}&frequency=daily"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(["stats", "--from", "2026-04-01", "--to", "2026-04-30"])
        .args(args);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_in_an_unknown_schema_is_exit_6_naming_the_paths_and_the_fields_it_has() {
    let out = summary_answering(json!({"data": {
        "name": "Spring", "type": "one-time", "total_count": 1200, "sent_count": 1190,
        "delivered_count": 1150, "read_count": 767, "read_rate": 66.7
    }}))
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engage GET /campaign/Spring/summary answered 200 OK: cannot read Engage's answer to 'campaigns summary': \
         it has none of the counts data.total, data.sent, data.delivered, data.read, data.engaged, data.errors \
         (the answer holds: delivered_count, name, read_count, read_rate, sent_count, total_count, type).\n\
         hint: Engage's answers are not in the shape wa-analytics reads (see 'wa-analytics providers --mapping'); 'wa-analytics api' shows the raw answer\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_with_fraction_rates_prints_those_fractions() {
    let counts = json!({"name": "Spring", "type": "one-time", "total": 1200, "sent": 1190,
        "delivered": 1150, "read": 767, "engaged": 120, "errors": 10});
    let with = |rates: [f64; 3]| {
        let mut data = counts.clone();
        data["read_rate"] = json!(rates[0]);
        data["engagement_rate"] = json!(rates[1]);
        data["error_rate"] = json!(rates[2]);
        json!({ "data": data })
    };
    let fractions = json_ok(&summary_answering(with([0.667, 0.1043, 0.0083])).await);
    assert_eq!(
        (
            &fractions["read_rate"],
            &fractions["engagement_rate"],
            &fractions["error_rate"]
        ),
        (&json!(0.667), &json!(0.1043), &json!(0.0083))
    );
    // The same figures as percentages print the same row.
    let out = summary_answering(with([66.7, 10.43, 0.83])).await;
    assert_eq!(stderr(&out), "");
    assert_eq!(json_ok(&out), fractions);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_over_a_zero_denominator_is_null() {
    // Nothing delivered: Engage sends 0 for the rates over delivered, and 100 % errors.
    let out = summary_answering(json!({"data": {
        "name": "Spring", "type": "one-time", "total": 4, "sent": 0, "delivered": 0, "read": 0,
        "engaged": 0, "errors": 4, "read_rate": 0, "engagement_rate": 0, "error_rate": 100
    }}))
    .await;
    let got = json_ok(&out);
    assert_eq!(
        got,
        json!({"id": null, "name": "Spring", "type": "one-time", "total": 4, "sent": 0,
               "delivered": 0, "read": 0, "engaged": 0, "errors": 4,
               "read_rate": null, "engagement_rate": null, "error_rate": 1.0})
    );
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_lacking_only_engaged_prints_null_with_exactly_one_warning() {
    let out = summary_answering(json!({"data": {
        "name": "Spring", "type": "one-time", "total": 1200, "sent": 1190, "delivered": 1150,
        "read": 767, "errors": 10, "read_rate": 66.7, "engagement_rate": 10.43, "error_rate": 0.83
    }}))
    .await;
    let got = json_ok(&out);
    assert_eq!(got["engaged"], Value::Null);
    // Engage's own rate stands, read as the percentage Engage sends.
    assert_eq!(got["engagement_rate"], json!(0.1043));
    assert_eq!(got["read"], 767);
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Engage's answer to 'campaigns summary' has no data.engaged: engaged is null\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_that_matches_its_counts_in_neither_scale_is_a_percentage_with_a_warning() {
    let out = summary_answering(json!({"data": {
        "name": "Spring", "type": "one-time", "total": 4, "sent": 4, "delivered": 4, "read": 1,
        "engaged": 0, "errors": 0, "read_rate": 90, "engagement_rate": 0, "error_rate": 0
    }}))
    .await;
    let got = json_ok(&out);
    assert_eq!(got["read_rate"], json!(0.9));
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Engage's read_rate of campaign 'Spring': 90 matches its counts (1 / 4 = 0.25) \
         neither as a percentage nor as a fraction; printed as 0.9 (the figure read as a percentage)\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stats_bucket_without_its_period_is_exit_6() {
    let out = stats_answering(
        json!({"data": [
            {"period": "2026-04-01", "sent": 3, "delivered": 3, "read": 1, "engaged": 0, "errors": 0},
            {"day": "2026-04-02", "sent": 5, "delivered": 4, "read": 2, "engaged": 1, "errors": 0}
        ]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).starts_with(
            "wa-analytics: error: Engage GET /stats answered 200 OK: cannot read Engage's answer to 'stats': \
             it lacks data[].period (the answer holds: day, delivered, engaged, errors, read, sent).\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_in_an_unknown_schema_are_exit_6() {
    let out = stats_answering(
        json!({"data": [{"period": "2026-04-01", "sent_count": 3, "read_count": 1}]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "it has none of the counts data[].sent, data[].delivered, data[].read, data[].engaged, data[].errors (the answer holds: period, read_count, sent_count)"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_field_missing_from_every_bucket_is_one_warning() {
    let out = stats_answering(
        json!({"data": [
            {"period": "2026-04-01", "sent": 3, "delivered": 3, "read": 1, "errors": 0},
            {"period": "2026-04-02", "sent": 5, "delivered": 4, "read": 2, "errors": 1}
        ]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end\n\
         2026-04-01,3,3,1,,0,2026-04-01T00:00:00Z,2026-04-02T00:00:00Z\n\
         2026-04-02,5,4,2,,1,2026-04-02T00:00:00Z,2026-04-03T00:00:00Z\n"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Engage's answer to 'stats' has no data[].engaged: engaged is null\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_are_engages_utc_days_whatever_the_zone_and_v_says_so() {
    let server = strict_server().await;
    // Bogotá's April 1st starts at 05:00Z, so the range is asked from there; the buckets stay
    // Engage's UTC days.
    engage_get(
        "/stats",
        "from=2026-04-01%2005%3A00%3A00&to=2026-05-01%2004%3A59%3A59&frequency=daily".into(),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
        {"period": "2026-04-01", "sent": 3, "delivered": 3, "read": 1, "engaged": 0, "errors": 0}
    ]})))
    .expect(2)
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
        "--tz",
        "America/Bogota",
        "-v",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    let rows = json_ok(&out);
    assert_eq!(rows[0]["period_start"], "2026-04-01T00:00:00Z");
    assert_eq!(rows[0]["period_end"], "2026-04-02T00:00:00Z");
    let line = "wa-analytics: Engage's stats are UTC days; --tz/the profile's zone America/Bogota does not change them\n";
    assert!(stderr(&out).contains(line), "{}", stderr(&out));
    // Without -v the same rows and no word of it.
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--tz",
        "America/Bogota",
        "-f",
        "json",
    ]);
    let quiet = run(cmd).await;
    assert_eq!(json_ok(&quiet), rows);
    assert_eq!(stderr(&quiet), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn in_utc_v_says_nothing_of_the_zone() {
    let out = stats_answering(
        json!({"data": [{"period": "2026-04-01", "sent": 3, "delivered": 3, "read": 1, "engaged": 0, "errors": 0}]}),
        &["--tz", "UTC", "-v", "-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("UTC days"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_without_a_name_is_exit_6() {
    let server = strict_server().await;
    engage_get("/campaigns", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "a1", "name": "Spring", "type": "one-time"},
            {"id": "a2", "title": "Autumn", "type": "one-time"}
        ]})))
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
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(
            "cannot read Engage's answer to 'campaigns list': it lacks data[].name (the answer holds: id, title, type)"
        ),
        "{}",
        stderr(&out)
    );
}

/// A sandbox with `variants`, its data ending on 2026-05-01, and a HOME whose config points at it.
async fn sandbox_home(variants: &[Variant]) -> (Sandbox, Home) {
    let anchor = chrono::DateTime::parse_from_rfc3339("2026-05-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let sb = Sandbox::start_anchored(
        SandboxOptions {
            rows: 300,
            variants: variants.to_vec(),
            ..SandboxOptions::default()
        },
        anchor,
    )
    .await
    .unwrap();
    let home = Home::new();
    home.write_config(&sb.config_toml());
    (sb, home)
}

/// `campaigns summary NAME` for April against a sandbox with `variants`.
async fn sandbox_summary(variants: &[Variant], name: &str) -> std::process::Output {
    let (sb, home) = sandbox_home(variants).await;
    let mut cmd = home.cmd();
    cmd.args([
        "-p",
        Vendor::Engage.id(),
        "campaigns",
        "summary",
        name,
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    sb.shutdown().await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn against_the_sandbox_an_unknown_schema_is_exit_6() {
    let out = sandbox_summary(&[Variant::UnknownSchema], "Promo a/b #2?").await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("it has none of the counts data.total, data.sent"),
        "{err}"
    );
    assert!(err.contains("sent_count"), "{err}");
    // Stats too.
    let (sb, home) = sandbox_home(&[Variant::UnknownSchema]).await;
    let mut cmd = home.cmd();
    cmd.args(["stats", "--from", "2026-04-01", "--to", "2026-04-30"]);
    let out = run(cmd).await;
    sb.shutdown().await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(stderr(&out).contains("data[].sent"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn against_the_sandbox_fraction_rates_print_the_same_rates_as_percentages() {
    for name in ["Promo a/b #2?", "Re-engagement 100%"] {
        let plain = json_ok(&sandbox_summary(&[], name).await);
        let out = sandbox_summary(&[Variant::FractionRates], name).await;
        assert_eq!(stderr(&out), "", "{name}");
        let fractions = json_ok(&out);
        assert_eq!(fractions, plain, "{name}");
        let rate = plain["read_rate"].as_f64().unwrap();
        let counts = plain["read"].as_f64().unwrap() / plain["delivered"].as_f64().unwrap();
        assert!(rate > 0.0 && (rate - counts).abs() < 1e-4, "{plain}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn against_the_sandbox_broken_invariants_are_printed_as_engage_gave_them() {
    let plain = json_ok(&sandbox_summary(&[], "Promo a/b #2?").await);
    let out = sandbox_summary(&[Variant::BrokenInvariants], "Promo a/b #2?").await;
    let broken = json_ok(&out);
    let sent = plain["sent"].as_u64().unwrap();
    assert_eq!(broken["sent"], sent);
    assert_eq!(broken["delivered"], sent + 1);
    assert_eq!(broken["read"], plain["read"]);
    // Printed as given, with one warning naming the figures.
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: warning: Engage's summary of 'Promo a/b #2?' does not add up: delivered ({}) exceeds sent ({sent}); printed as Engage gave it\n",
            sent + 1
        )
    );
    // Stats: one warning per invariant, naming the first period that breaks it.
    let (sb, home) = sandbox_home(&[Variant::BrokenInvariants]).await;
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    sb.shutdown().await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("wa-analytics: warning: Engage's stats do not add up: on 2026-04-")
            && err.contains(") exceeds sent ("),
        "{err}"
    );
}
