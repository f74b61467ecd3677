//! Every campaign's summary at once (`campaigns summary` without CAMPAIGN) and the range's
//! per-campaign rows and totals (`stats --by-campaign`, `stats --total`) at every analytics
//! vendor (product.md, "Across accounts"; issue 14). End to end against the built-in sandbox,
//! the summaries of every campaign equal the one-by-one summaries row for row and the derived
//! totals equal the sums of the periods; against wiremock, the exact requests (Insider: one per
//! campaign id), and a campaign whose summary fails.

use serde_json::{Value, json};
use wa_analytics::provider::{Operation, Support, Vendor, capabilities_of};
use wiremock::ResponseTemplate;

use crate::support::{Home, run, stderr, stdout, strict_server};

/// Fixed dates, so every run of a test reads exactly the same sandbox rows.
fn range() -> Vec<String> {
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(45)).to_string();
    vec!["--from".into(), from, "--to".into(), today.to_string()]
}

/// `wa-analytics --demo --provider VENDOR -q -f json ARGS RANGE`, which must succeed.
fn demo(home: &Home, vendor: Vendor, args: &[&str]) -> Value {
    let out = home
        .cmd()
        .args(["--demo", "--provider", vendor.id(), "-q", "-f", "json"])
        .args(args)
        .args(range())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{vendor} {args:?}: {}",
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The vendors with campaign analytics (`campaigns summary`).
fn analytics_vendors() -> Vec<Vendor> {
    let vendors: Vec<_> = Vendor::all()
        .filter(|v| capabilities_of(*v).serves(Operation::CampaignsSummary))
        .collect();
    assert_eq!(
        vendors,
        [Vendor::Engage, Vendor::Insider, Vendor::Wolkvox],
        "the vendors this file expects"
    );
    vendors
}

#[test]
fn every_campaigns_summary_equals_its_one_by_one_summary_at_every_analytics_vendor() {
    for vendor in analytics_vendors() {
        let home = Home::new();
        let list = demo(&home, vendor, &["campaigns", "list"]);
        let list = list.as_array().unwrap();
        let all = demo(&home, vendor, &["campaigns", "summary"]);
        let all = all.as_array().unwrap_or_else(|| panic!("{vendor}: {all}"));
        assert!(list.len() >= 3, "{vendor}: {} campaigns", list.len());
        assert_eq!(
            all.len(),
            list.len(),
            "{vendor}: one row per listed campaign"
        );
        for (row, listed) in all.iter().zip(list) {
            assert_eq!(row["id"], listed["id"], "{vendor}: the list's order and id");
            assert_eq!(row["name"], listed["name"], "{vendor}");
            // Engage addresses campaigns by name, the others by id.
            let key = match vendor {
                Vendor::Engage => listed["name"].as_str().unwrap(),
                _ => listed["id"].as_str().unwrap(),
            };
            let mut one = demo(&home, vendor, &["campaigns", "summary", key]);
            // What one campaign's summary lacks (Engage: the id; Insider: name and type) is
            // the list's; every other field is the one-by-one summary's.
            for field in ["id", "name", "type"] {
                if one[field].is_null() {
                    one[field] = listed[field].clone();
                }
            }
            assert_eq!(row, &one, "{vendor} {key}");
        }
    }
}

#[test]
fn stats_total_is_the_sum_of_the_stats_periods_at_engage_and_wolkvox() {
    for vendor in [Vendor::Engage, Vendor::Wolkvox] {
        let home = Home::new();
        let periods = demo(&home, vendor, &["stats"]);
        let periods = periods.as_array().unwrap();
        let total = demo(&home, vendor, &["stats", "--total"]);
        let sum = |field: &str| -> u64 {
            periods
                .iter()
                .map(|p| p[field].as_u64().unwrap_or_else(|| panic!("{field}: {p}")))
                .sum()
        };
        for field in ["sent", "delivered", "read", "errors"] {
            assert_eq!(total[field], json!(sum(field)), "{vendor} {field}");
        }
        assert!(sum("sent") > 100, "{vendor}: the range has sends");
        let ratio = |part: &str, whole: &str| {
            let (p, w) = (
                total[part].as_f64().unwrap(),
                total[whole].as_f64().unwrap(),
            );
            json!(((p / w) * 1e4).round() / 1e4)
        };
        assert_eq!(total["read_rate"], ratio("read", "delivered"), "{vendor}");
        assert_eq!(total["error_rate"], ratio("errors", "total"), "{vendor}");
        assert_eq!((&total["id"], &total["name"]), (&json!(null), &json!(null)));
        match vendor {
            Vendor::Engage => {
                assert_eq!(total["engaged"], json!(sum("engaged")));
                assert_eq!(
                    total["total"],
                    json!(sum("sent") + sum("errors")),
                    "Engage counts total as sent + errors"
                );
                assert_eq!(total["engagement_rate"], ratio("engaged", "delivered"));
            }
            _ => {
                assert_eq!(
                    total["engaged"],
                    json!(null),
                    "Wolkvox has no engaged figure"
                );
                // Every record of the range: the summary of 'all' counts the same records.
                let all = demo(&home, vendor, &["campaigns", "summary", "all"]);
                for field in ["total", "accepted", "submitted", "other"] {
                    assert_eq!(total[field], all[field], "{field}");
                }
            }
        }
    }
}

#[test]
fn stats_by_campaign_at_engage_and_wolkvox_is_every_campaigns_summary() {
    for vendor in [Vendor::Engage, Vendor::Wolkvox] {
        let home = Home::new();
        let by_campaign = demo(&home, vendor, &["stats", "--by-campaign"]);
        let all = demo(&home, vendor, &["campaigns", "summary"]);
        assert!(all.as_array().unwrap().len() >= 3, "{vendor}");
        assert_eq!(by_campaign, all, "{vendor}");
    }
}

#[test]
fn providers_and_the_mapping_mark_the_derived_rows() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["providers", "-f", "json"])
        .output()
        .unwrap();
    let table: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let row = |command: &str| {
        table
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["command"] == command)
            .unwrap_or_else(|| panic!("no row {command}"))
            .clone()
    };
    for command in ["stats --by-campaign", "stats --total"] {
        let r = row(command);
        assert_eq!(r["insider"], "native", "{command}");
        for vendor in ["engage", "wolkvox"] {
            let text = r[vendor].as_str().unwrap();
            assert!(text.starts_with("derived: "), "{command} {vendor}: {text}");
        }
        assert_eq!(r["engati"], "not supported");
    }
    assert_eq!(
        row("stats --total")["engage"],
        "derived: the range's /stats days summed; rates computed from the sums"
    );
    let out = home
        .cmd()
        .args(["providers", "--mapping", "-f", "json"])
        .output()
        .unwrap();
    let mapping: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let field = |vendor: &str, command: &str, field: &str| {
        mapping
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["vendor"] == vendor && r["command"] == command && r["field"] == field)
            .unwrap_or_else(|| panic!("no mapping row {vendor} {command} {field}"))
            .clone()
    };
    let sent = field("engage", "stats --total", "sent");
    assert_eq!(
        (&sent["support"], &sent["source"]),
        (&json!("derived"), &json!("sum(data[].sent)"))
    );
    let rate = field("engage", "stats --total", "read_rate");
    assert_eq!(rate["source"], "sum(read) / sum(delivered)");
    assert_eq!(
        field("wolkvox", "stats --total", "engaged")["support"],
        "unsupported"
    );
    assert_eq!(
        field("engage", "stats --total", "id")["support"],
        "unsupported"
    );
    assert_eq!(
        field("engage", "stats --by-campaign", "id")["source"],
        "data[].id of GET /campaigns"
    );
    assert_eq!(
        field("engage", "campaigns summary", "id")["support"],
        "derived",
        "the list gives each row its id"
    );
}

#[test]
fn fields_help_works_without_a_campaign_and_for_the_derived_views() {
    let home = Home::new();
    let help = |vendor: Vendor, args: &[&str]| {
        let out = home
            .cmd()
            .args(["--provider", vendor.id(), "--fields", "help"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    let text = help(Vendor::Engage, &["campaigns", "summary"]);
    assert!(
        text.contains("Engage: derived, data[].id of GET /campaigns, without CAMPAIGN"),
        "{text}"
    );
    let text = help(Vendor::Wolkvox, &["stats", "--total"]);
    assert!(text.contains("accepted"), "{text}");
    assert!(
        text.contains("Wolkvox: always null, no such figure"),
        "engaged: {text}"
    );
    let text = help(Vendor::Engage, &["stats", "--by-campaign"]);
    assert!(text.contains("engagement_rate"), "{text}");
    let text = help(Vendor::Insider, &["stats", "--total"]);
    assert!(text.contains("Insider: summary.open"), "{text}");
}

/// Support for the new rows, as declared: the one place the test above may not derive.
#[test]
fn the_declarations_say_derived_where_the_vendor_has_no_endpoint() {
    for op in [Operation::StatsByCampaign, Operation::StatsTotal] {
        assert_eq!(
            capabilities_of(Vendor::Insider).support(op),
            Support::Native
        );
        for vendor in [Vendor::Engage, Vendor::Wolkvox] {
            assert!(
                matches!(capabilities_of(vendor).support(op), Support::Derived(_)),
                "{vendor} {op:?}"
            );
        }
    }
}

mod engage {
    use super::*;
    use crate::engage::{APRIL, engage_get};

    const APRIL_ARGS: [&str; 4] = ["--from", "2026-04-01", "--to", "2026-04-30"];

    fn campaigns() -> Value {
        json!({"data": [
            {"id": "u-1", "name": "Año nuevo/2", "type": "one-time", "status": "completed",
             "created_at": "2026-04-01 09:00:00", "sent_at": "2026-04-02 10:00:00", "total_contacts": 3},
            {"id": "u-2", "name": "Spring", "type": "recurrent", "status": "running",
             "created_at": "2026-04-03 09:00:00", "sent_at": null, "total_contacts": 0}
        ]})
    }

    fn summary(name: &str, sent: u64, errors: u64) -> Value {
        json!({"data": {"name": name, "type": "one-time", "total": sent + errors, "sent": sent,
            "delivered": sent, "read": 0, "engaged": 0, "errors": errors, "read_rate": 0,
            "engagement_rate": 0, "error_rate": 0}})
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn every_campaigns_summary_is_the_list_then_one_summary_per_campaign_by_name() {
        let server = strict_server().await;
        engage_get("/campaigns", APRIL.to_string())
            .respond_with(ResponseTemplate::new(200).set_body_json(campaigns()))
            .expect(1)
            .mount(&server)
            .await;
        engage_get("/campaign/A%C3%B1o%20nuevo%2F2/summary", APRIL.to_string())
            .respond_with(ResponseTemplate::new(200).set_body_json(summary("Año nuevo/2", 3, 0)))
            .expect(1)
            .mount(&server)
            .await;
        engage_get("/campaign/Spring/summary", APRIL.to_string())
            .respond_with(ResponseTemplate::new(200).set_body_json(summary("Spring", 0, 0)))
            .expect(1)
            .mount(&server)
            .await;
        let home = Home::new();
        home.engage_config(&server.uri());
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "-f", "csv"])
            .args(APRIL_ARGS);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate\n\
             u-1,Año nuevo/2,one-time,3,3,3,0,0,0,0.0,0.0,0.0\n\
             u-2,Spring,one-time,0,0,0,0,0,0,,,\n"
        );
        assert_eq!(stderr(&out), "");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_campaign_whose_summary_fails_ends_the_run_with_the_vendors_exit_code_naming_it() {
        let server = strict_server().await;
        engage_get("/campaigns", APRIL.to_string())
            .respond_with(ResponseTemplate::new(200).set_body_json(campaigns()))
            .expect(1)
            .mount(&server)
            .await;
        engage_get("/campaign/A%C3%B1o%20nuevo%2F2/summary", APRIL.to_string())
            .respond_with(ResponseTemplate::new(200).set_body_json(summary("Año nuevo/2", 3, 0)))
            .expect(1)
            .mount(&server)
            .await;
        engage_get("/campaign/Spring/summary", APRIL.to_string())
            .respond_with(ResponseTemplate::new(404).set_body_json(
                json!({"error": {"code": "CAMPAIGN_NOT_FOUND", "message": "no such campaign"}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        let home = Home::new();
        home.engage_config(&server.uri());
        let out_file = home.path().join("all.json");
        std::fs::write(&out_file, "previous").unwrap();
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "-o"])
            .arg(&out_file)
            .args(APRIL_ARGS);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("Engage GET /campaign/Spring/summary answered 404")
                && err.contains("CAMPAIGN_NOT_FOUND: no such campaign")
                && err.contains(
                    "this was the summary of campaign 'Spring' (id u-2); the campaigns after it in the list were not summarised"
                ),
            "{err}"
        );
        assert_eq!(stdout(&out), "");
        assert_eq!(
            std::fs::read_to_string(&out_file).unwrap(),
            "previous",
            "no row is missing from a file presented as complete"
        );
        home.assert_no_temp_files();
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_filter_engage_cannot_apply_is_refused_naming_the_view_before_any_request() {
        let server = strict_server().await;
        let home = Home::new();
        home.engage_config(&server.uri());
        for view in ["--total", "--by-campaign"] {
            let mut cmd = home.cmd();
            cmd.args(["stats", view, "--status", "active"])
                .args(APRIL_ARGS);
            let out = run(cmd).await;
            assert_eq!(out.status.code(), Some(2), "{view}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(&format!("Engage: cannot apply --status to 'stats {view}'")),
                "{}",
                stderr(&out)
            );
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn stats_total_is_one_stats_request_its_days_summed() {
        let server = strict_server().await;
        let days = json!({"data": [
            {"period": "2026-04-01", "sent": 10, "delivered": 8, "read": 4, "engaged": 1, "errors": 2},
            {"period": "2026-04-02", "sent": 20, "delivered": 16, "read": 12, "engaged": 3, "errors": 0}
        ]});
        engage_get("/stats", format!("{APRIL}&frequency=daily"))
            .respond_with(ResponseTemplate::new(200).set_body_json(days))
            .expect(1)
            .mount(&server)
            .await;
        let home = Home::new();
        home.engage_config(&server.uri());
        let mut cmd = home.cmd();
        cmd.args(["stats", "--total", "-f", "json"])
            .args(APRIL_ARGS);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            got,
            json!({"id": null, "name": null, "type": null, "total": 32, "sent": 30,
                "delivered": 24, "read": 16, "engaged": 4, "errors": 2, "read_rate": 0.6667,
                "engagement_rate": 0.1667, "error_rate": 0.0625})
        );
    }
}

mod insider {
    use super::*;
    use crate::insider::{MARCH, list_item, list_page, mint, oauth, ok, v2};

    const MARCH_ARGS: [&str; 4] = ["--from", "2025-03-01", "--to", "2025-03-02"];

    fn counts(sent: u64) -> Value {
        json!({"targeted": sent + 1, "sent": sent, "delivered": sent, "open": 0, "click": 0,
            "drop": 1, "undelivered": 0})
    }

    /// campaign-list (one page, three campaigns in March), and the statistics of each id but
    /// `failing`, which answers 3004.
    async fn server(failing: Option<u64>) -> wiremock::MockServer {
        let server = strict_server().await;
        mint("tok-1", 3600).expect(1).mount(&server).await;
        let items = [(12, "Uno"), (11, "Dos"), (10, "Tres")]
            .iter()
            .map(|(id, name)| list_item(*id, name, "completed", MARCH.0, MARCH.0 + 3600))
            .collect();
        v2(
            "campaign-list",
            "tok-1",
            json!({"page": 1, "per_page": 100, "sort": "createDate|desc"}),
        )
        .respond_with(ok(list_page(items, 1, 1, 100, 3)))
        .expect(1)
        .mount(&server)
        .await;
        for id in [12u64, 11, 10] {
            let body = json!({"campaign_id": id, "start_time": MARCH.0, "end_time": MARCH.1});
            let answer = if failing == Some(id) {
                ResponseTemplate::new(400).set_body_json(json!({
                    "message": "campaign not found or does not belong to this partner",
                    "errorCode": "3004"}))
            } else {
                ok(counts(id * 10))
            };
            // After a failure the summaries stop: a later campaign's request may have left
            // already (several are in flight), or not.
            let asked = match failing {
                Some(f) if id < f => 0..=1,
                _ => 1..=1,
            };
            v2("campaign", "tok-1", body)
                .respond_with(answer)
                .expect(asked)
                .mount(&server)
                .await;
        }
        server
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn every_campaigns_summary_is_one_statistics_request_per_campaign_id() {
        let server = server(None).await;
        let home = Home::new();
        oauth(&home, &server.uri());
        let mut cmd = home.cmd();
        cmd.args([
            "campaigns",
            "summary",
            "-f",
            "csv",
            "--fields",
            "id,name,type,total,sent,errors,error_rate",
        ])
        .args(MARCH_ARGS);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "id,name,type,total,sent,errors,error_rate\n\
             12,Uno,ab-test,121,120,1,0.0083\n\
             11,Dos,ab-test,111,110,1,0.009\n\
             10,Tres,ab-test,101,100,1,0.0099\n"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_campaign_insider_does_not_find_ends_the_summaries_with_exit_7_naming_it() {
        let server = server(Some(11)).await;
        let home = Home::new();
        oauth(&home, &server.uri());
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "-f", "json"])
            .args(MARCH_ARGS);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("3004: campaign not found or does not belong to this partner")
                && err.contains("this was the summary of campaign 'Dos' (id 11)"),
            "{err}"
        );
        assert_eq!(stdout(&out), "", "no row without the others");
    }
}

mod wolkvox {
    use super::*;
    use crate::wolkvox::{body, config, query, report};

    /// Records of two campaigns, interleaved: 3002 is seen first.
    const CAMPAIGN_9: &str = r#"{"code": 200, "error": null, "msg": "5 records were found", "data": [
        {"campaing_id": "3002", "telephone": "573001", "status": "read", "errors": "", "date": "2026-04-01 08:00:00", "last_update": "2026-04-01 08:15:00"},
        {"campaing_id": "3001", "telephone": "573002", "status": "failed", "errors": "131026", "date": "2026-04-01 09:00:00", "last_update": "2026-04-01 09:00:05"},
        {"campaing_id": 3002, "telephone": "573003", "status": "Accepted", "errors": "", "date": "2026-04-02 10:00:00", "last_update": "2026-04-02 10:00:20"},
        {"campaing_id": "3001", "telephone": "573004", "status": "delivered", "errors": "", "date": "2026-04-03 11:00:00", "last_update": "2026-04-03 11:00:09"},
        {"campaing_id": "3002", "telephone": "573005", "status": "submitted", "errors": "", "date": "2026-04-04 12:00:00", "last_update": "2026-04-04 12:00:01"}
    ]}"#;

    const APRIL_ARGS: [&str; 4] = ["--from", "2026-04-01", "--to", "2026-04-10"];

    /// One reading of campaign_9 `all` for the April window, and no other request.
    async fn april_all(args: &[&str]) -> std::process::Output {
        let server = strict_server().await;
        report(query(
            "campaign_9",
            Some("all"),
            "20260401000000",
            "20260410235959",
        ))
        .respond_with(body(CAMPAIGN_9))
        .expect(1)
        .mount(&server)
        .await;
        let home = Home::new();
        config(&home, &server, "");
        let mut cmd = home.cmd();
        cmd.args(args).args(APRIL_ARGS);
        run(cmd).await
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn every_campaigns_summary_is_the_lists_one_reading_counted_per_campaign() {
        let out = april_all(&["campaigns", "summary", "-f", "json"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let row = |id: &str, total: u64, sent: u64, delivered: u64, read: u64, errors: u64| {
            let rate = |p: u64, w: u64| {
                if w == 0 {
                    json!(null)
                } else {
                    json!(((p as f64 / w as f64) * 1e4).round() / 1e4)
                }
            };
            json!({"id": id, "name": id, "type": null, "total": total, "sent": sent,
                "delivered": delivered, "read": read, "engaged": null, "errors": errors,
                "read_rate": rate(read, delivered), "engagement_rate": null,
                "error_rate": rate(errors, total)})
        };
        let mut want = vec![row("3002", 3, 3, 1, 1, 0), row("3001", 2, 1, 1, 0, 1)];
        want[0]["accepted"] = json!(1);
        want[0]["submitted"] = json!(1);
        want[0]["other"] = json!(0);
        want[1]["accepted"] = json!(0);
        want[1]["submitted"] = json!(0);
        want[1]["other"] = json!(0);
        assert_eq!(
            got,
            json!(want),
            "first seen first, each counted on its own"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn stats_total_and_by_campaign_read_campaign_9_all_once() {
        let total = april_all(&["stats", "--total", "-f", "json"]).await;
        assert_eq!(total.status.code(), Some(0), "{}", stderr(&total));
        let total: Value = serde_json::from_str(&stdout(&total)).unwrap();
        assert_eq!(
            (&total["total"], &total["sent"], &total["errors"]),
            (&json!(5), &json!(4), &json!(1))
        );
        assert_eq!(
            (&total["id"], &total["engaged"]),
            (&json!(null), &json!(null))
        );
        let by = april_all(&["stats", "--by-campaign", "-f", "json"]).await;
        let all = april_all(&["campaigns", "summary", "-f", "json"]).await;
        assert_eq!(by.status.code(), Some(0), "{}", stderr(&by));
        assert_eq!(stdout(&by), stdout(&all));
    }
}

mod invariants {
    use super::*;
    use wa_analytics::sandbox::{Sandbox, SandboxOptions, Variant};

    /// `-p engage ARGS` for April against a sandbox whose counters drifted (one more delivered
    /// than sent wherever anything was sent).
    async fn broken(args: &[&str]) -> std::process::Output {
        let anchor = chrono::DateTime::parse_from_rfc3339("2026-05-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let options = SandboxOptions {
            rows: 300,
            variants: vec![Variant::BrokenInvariants],
            ..SandboxOptions::default()
        };
        let sb = Sandbox::start_anchored(options, anchor).await.unwrap();
        let home = Home::new();
        home.write_config(&sb.config_toml());
        let mut cmd = home.cmd();
        cmd.args(["-p", "engage", "-f", "json"]).args(args).args([
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
        ]);
        let out = run(cmd).await;
        sb.shutdown().await;
        out
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn each_campaigns_row_is_checked_as_one_summary_is_and_printed_as_given() {
        let out = broken(&["campaigns", "summary"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let rows = rows.as_array().unwrap();
        let sent: Vec<_> = rows.iter().filter(|r| r["sent"] != 0).collect();
        assert!(sent.len() >= 2, "{rows:?}");
        let err = stderr(&out);
        for r in &sent {
            let (s, d) = (
                r["sent"].as_u64().unwrap(),
                r["delivered"].as_u64().unwrap(),
            );
            assert_eq!(d, s + 1, "printed as Engage gave it");
            let line = format!(
                "wa-analytics: warning: Engage's summary of '{}' does not add up: delivered ({d}) exceeds sent ({s}); printed as Engage gave it\n",
                r["name"].as_str().unwrap()
            );
            assert!(err.contains(&line), "{line} in {err}");
        }
        assert_eq!(err.lines().count(), sent.len(), "{err}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn derived_totals_that_do_not_add_up_are_printed_with_a_warning() {
        let out = broken(&["stats", "--total"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let total: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let (s, d) = (
            total["sent"].as_u64().unwrap(),
            total["delivered"].as_u64().unwrap(),
        );
        assert!(d > s, "{total}");
        assert_eq!(
            stderr(&out),
            format!(
                "wa-analytics: warning: Engage's totals do not add up: delivered ({d}) exceeds sent ({s}) (printed as Engage gave them)\n"
            )
        );
    }
}

mod partial {
    use std::sync::Arc;

    use async_trait::async_trait;
    use wa_analytics::api_error::{ErrorKind, ProviderError};
    use wa_analytics::provider::{
        AnalyticsProvider, Campaign, CampaignAnalytics, CampaignQuery, CampaignSummary, Page,
        RecordStream, StatsBucket, StatsQuery, SummaryQuery, reports,
    };

    use super::*;
    use crate::support::run_host;

    /// A vendor whose list comes in two pages (a, b; then c) and whose summary of `c` fails.
    #[derive(Debug)]
    struct TwoPages;

    fn campaign(name: &str) -> Campaign {
        Campaign {
            id: Some(format!("id-{name}")),
            name: name.into(),
            campaign_type: None,
            status: None,
            created_at: None,
            sent_at: None,
            total_contacts: None,
            extra: Vec::new(),
        }
    }

    #[async_trait]
    impl AnalyticsProvider for TwoPages {
        fn vendor(&self) -> Vendor {
            Vendor::Engage
        }
        async fn check_credentials(&self) -> Result<(), ProviderError> {
            Ok(())
        }
        fn campaigns(&self) -> Option<&dyn CampaignAnalytics> {
            Some(self)
        }
    }

    #[async_trait]
    impl CampaignAnalytics for TwoPages {
        fn list_campaigns<'a>(&'a self, _: &'a CampaignQuery) -> RecordStream<'a, Campaign> {
            futures::StreamExt::boxed(futures::stream::iter([
                Ok(Page::from(vec![campaign("a"), campaign("b")])),
                Ok(Page::from(vec![campaign("c")])),
            ]))
        }
        async fn campaign_summary(
            &self,
            name: &str,
            _: &SummaryQuery,
        ) -> Result<CampaignSummary, ProviderError> {
            if name == "c" {
                return Err(ProviderError::new(
                    ErrorKind::Unavailable,
                    "Engage",
                    "the server failed",
                )
                .with_request(format!("GET /campaign/{name}/summary")));
            }
            Ok(CampaignSummary {
                sent: Some(1),
                ..CampaignSummary::default()
            })
        }
        fn stats<'a>(&'a self, _: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
            unreachable!("not asked")
        }
        fn campaign_summaries<'a>(
            &'a self,
            query: &'a CampaignQuery,
        ) -> RecordStream<'a, CampaignSummary> {
            let range = query.range;
            reports::summaries_of_list(self.list_campaigns(query), 2, move |c| {
                let name = c.name.clone();
                Box::pin(async move { self.campaign_summary(&name, &SummaryQuery { range }).await })
            })
        }
        fn stats_by_campaign<'a>(&'a self, _: &'a StatsQuery) -> RecordStream<'a, CampaignSummary> {
            unreachable!("not asked")
        }
        async fn stats_total(&self, _: &StatsQuery) -> Result<CampaignSummary, ProviderError> {
            unreachable!("not asked")
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_summary_failing_after_rows_were_printed_is_an_incomplete_result_naming_it() {
        let home = Home::new();
        let now = "2026-03-15T12:00:00Z".parse().unwrap();
        let (host, captured) = home.host(&[], now);
        let host = host.with_build(|_, _| Ok(Arc::new(TwoPages) as Arc<dyn AnalyticsProvider>));
        let out = run_host(
            host,
            &captured,
            &[
                "--demo",
                "-p",
                "engage",
                "-q",
                "campaigns",
                "summary",
                "-f",
                "csv",
                "--fields",
                "id,name,sent",
            ],
        )
        .await;
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert_eq!(out.stdout, "id,name,sent\nid-a,a,1\nid-b,b,1\n");
        assert!(
            out.stderr
                .contains("Engage GET /campaign/c/summary failed: the server failed")
                && out
                    .stderr
                    .contains("this was the summary of campaign 'c' (id id-c)"),
            "{}",
            out.stderr
        );
    }
}
