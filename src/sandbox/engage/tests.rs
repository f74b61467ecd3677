//! Engage (vendors.md Part 1 "Engage").

use std::time::Instant;

use serde_json::Value;

use crate::sandbox::tests::*;
use crate::sandbox::{ENGAGE_BOT_TOKEN, ENGAGE_JWT, Sandbox, SandboxOptions, Variant};
use crate::vendor::Vendor;

const V: Vendor = Vendor::Engage;
/// The whole data span of the test anchor (2025-03-27 .. 2026-05-01).
const FROM_ALL: &str = "2025-03-27 00:00:00";
const TO_ALL: &str = "2026-04-30 23:59:59";

async fn get(sb: &Sandbox, segments: &[&str], query: &[(&str, &str)]) -> reqwest::Response {
    client()
        .get(url(sb, V, segments, query))
        .header("X-Token", ENGAGE_BOT_TOKEN)
        .bearer_auth(ENGAGE_JWT)
        .send()
        .await
        .unwrap()
}

async fn get_json(sb: &Sandbox, segments: &[&str], query: &[(&str, &str)]) -> (u16, Value) {
    json_of(get(sb, segments, query).await).await
}

fn assert_error(got: (u16, Value), status: u16, code: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["error"]["code"], code, "{}", got.1);
    assert!(got.1["error"]["message"].is_string());
}

#[tokio::test]
async fn engage_auth_failures() {
    let sb = sandbox(50).await;
    let u = url(
        &sb,
        V,
        &["campaigns"],
        &[("from", FROM_ALL), ("to", TO_ALL)],
    );
    let c = client();
    let none = c.get(u.clone()).send().await.unwrap();
    assert_error(json_of(none).await, 401, "UNAUTHORIZED");
    let bad_jwt = c
        .get(u.clone())
        .header("X-Token", ENGAGE_BOT_TOKEN)
        .bearer_auth("x.y.z");
    assert_error(
        json_of(bad_jwt.send().await.unwrap()).await,
        401,
        "UNAUTHORIZED",
    );
    let no_bot = c.get(u.clone()).bearer_auth(ENGAGE_JWT);
    assert_error(
        json_of(no_bot.send().await.unwrap()).await,
        401,
        "UNAUTHORIZED",
    );
    let other_bot = c
        .get(u)
        .header("X-Token", "another-bot")
        .bearer_auth(ENGAGE_JWT);
    assert_error(
        json_of(other_bot.send().await.unwrap()).await,
        403,
        "FORBIDDEN",
    );
}

#[tokio::test]
async fn engage_campaigns_list_fields_and_filters() {
    let sb = sandbox(50).await;
    let (s, v) = get_json(&sb, &["campaigns"], &[("from", FROM_ALL), ("to", TO_ALL)]).await;
    assert_eq!(s, 200);
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 12);
    let promo = data.iter().find(|c| c["name"] == "Promo a/b #2?").unwrap();
    let keys: Vec<&str> = promo
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut want = vec![
        "created_at",
        "id",
        "name",
        "sent_at",
        "status",
        "total_contacts",
        "type",
    ];
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(promo["type"], "one-time");
    assert_eq!(promo["status"], "completed");
    assert_eq!(promo["total_contacts"], 50);
    assert_eq!(promo["sent_at"], "2026-04-06 00:00:00");
    assert_eq!(promo["id"].as_str().unwrap().len(), 36);
    let scheduled = data.iter().find(|c| c["status"] == "scheduled").unwrap();
    assert!(scheduled["sent_at"].is_null());

    // The default CLI range (last 30 days) shows campaigns.
    let last30 = [
        ("from", "2026-04-01 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
    ];
    let (_, v) = get_json(&sb, &["campaigns"], &last30).await;
    let names: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Promo a/b #2?",
            "Re-engagement 100%",
            "Descuento 20 % + envío \"gratis\"",
            "Lanzamiento 🚀 Q1"
        ]
    );
    let q = [("from", FROM_ALL), ("to", TO_ALL), ("type", "recurrent")];
    let (_, v) = get_json(&sb, &["campaigns"], &q).await;
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 4);
    assert!(data.iter().all(|c| c["type"] == "recurrent"));
}

#[tokio::test]
async fn engage_validation_errors() {
    let sb = sandbox(50).await;
    let name = "Promo a/b #2?";
    #[allow(clippy::type_complexity)] // (path, query, expected code) rows of a table test
    let cases: Vec<(Vec<&str>, Vec<(&str, &str)>, &str)> = vec![
        (vec!["campaigns"], vec![("to", TO_ALL)], "INVALID_PARAMETER"),
        (
            vec!["campaigns"],
            vec![("from", FROM_ALL)],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaigns"],
            vec![("from", "2026-04-01"), ("to", TO_ALL)],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaigns"],
            vec![("from", "2026-04-01T00:00:00Z"), ("to", TO_ALL)],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaigns"],
            vec![("from", TO_ALL), ("to", FROM_ALL)],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaigns"],
            vec![("from", FROM_ALL), ("to", TO_ALL), ("type", "once")],
            "INVALID_PARAMETER",
        ),
        (
            vec!["stats"],
            vec![("from", FROM_ALL), ("to", TO_ALL), ("frequency", "hourly")],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaign", name, "summary"],
            vec![("from", FROM_ALL)],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaign", name, "details"],
            vec![
                ("from", "2026-04-01 00:00:00"),
                ("to", "2026-04-30 00:00:00"),
                ("limit", "10001"),
            ],
            "LIMIT_TOO_LARGE",
        ),
        (
            vec!["campaign", name, "details"],
            vec![
                ("from", "2026-04-01 00:00:00"),
                ("to", "2026-04-30 00:00:00"),
                ("limit", "abc"),
            ],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaign", name, "details"],
            vec![
                ("from", "2026-04-01 00:00:00"),
                ("to", "2026-04-30 00:00:00"),
                ("offset", "-1"),
            ],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaign", name, "details"],
            vec![
                ("from", "2026-04-01 00:00:00"),
                ("to", "2026-04-30 00:00:00"),
                ("output", "xml"),
            ],
            "INVALID_PARAMETER",
        ),
        (
            vec!["campaign", name, "details"],
            vec![
                ("from", "2026-01-01 00:00:00"),
                ("to", "2026-04-01 00:00:01"),
            ],
            "RANGE_TOO_LARGE",
        ),
    ];
    for (segments, query, code) in cases {
        let got = get_json(&sb, &segments, &query).await;
        assert_error(got, 400, code);
    }
    // Exactly 90 days and 10,000 rows are allowed.
    let ok = [
        ("from", "2026-01-01 00:00:00"),
        ("to", "2026-04-01 00:00:00"),
        ("limit", "10000"),
    ];
    assert_eq!(
        get(&sb, &["campaign", name, "details"], &ok).await.status(),
        200
    );
    let unknown = get_json(
        &sb,
        &["campaign", "Nope", "summary"],
        &[("from", FROM_ALL), ("to", TO_ALL)],
    )
    .await;
    assert_error(unknown, 404, "CAMPAIGN_NOT_FOUND");
    let unknown = get_json(&sb, &["campaign", "Nope", "details"], &ok).await;
    assert_error(unknown, 404, "CAMPAIGN_NOT_FOUND");
}

#[tokio::test]
async fn engage_details_paging_hard_names_and_summary_agree() {
    let sb = sandbox(500).await;
    // Hard names go as ONE percent-encoded segment (`/` → %2F, `#` → %23, `?` → %3F).
    for name in [
        "Promo a/b #2?",
        "Descuento 20 % + envío \"gratis\"",
        "Re-engagement 100%",
    ] {
        let q = [
            ("from", "2026-04-01 00:00:00"),
            ("to", "2026-04-30 23:59:59"),
            ("limit", "200"),
        ];
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let off = offset.to_string();
            let mut q = q.to_vec();
            q.push(("offset", &off));
            let (s, v) = get_json(&sb, &["campaign", name, "details"], &q).await;
            assert_eq!(s, 200, "{name}: {v}");
            assert_eq!(v["pagination"]["total"], 500);
            assert_eq!(v["pagination"]["limit"], 200);
            assert_eq!(v["pagination"]["offset"], offset);
            let page = v["data"].as_array().unwrap().clone();
            let n = page.len();
            rows.extend(page);
            if n < 200 {
                break;
            }
            offset += 200;
        }
        assert_eq!(rows.len(), 500, "{name}");
        let times: Vec<&str> = rows
            .iter()
            .map(|r| r["sent_at"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "ordered by sent_at");
        let first = rows[0].as_object().unwrap();
        let keys: Vec<&str> = first.keys().map(|k| k.as_str()).collect();
        for k in [
            "contact",
            "name",
            "status",
            "sent_at",
            "delivered_at",
            "read_at",
            "engaged",
            "response",
            "error",
        ] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        for r in &rows {
            let (st, sent) = (
                r["status"].as_str().unwrap(),
                r["sent_at"].as_str().unwrap(),
            );
            match st {
                "read" => {
                    assert!(r["read_at"].as_str().unwrap() >= r["delivered_at"].as_str().unwrap())
                }
                "delivered" => {
                    assert!(r["read_at"].is_null() && r["delivered_at"].as_str().unwrap() >= sent)
                }
                "sent" => assert!(r["delivered_at"].is_null() && r["read_at"].is_null()),
                "error" => assert!(r["error"].is_string() && r["delivered_at"].is_null()),
                other => panic!("status {other}"),
            }
            if st != "error" {
                assert!(r["error"].is_null());
            }
            if r["engaged"] == false {
                assert!(r["response"].is_null());
            }
        }
        let (_, s) = get_json(
            &sb,
            &["campaign", name, "summary"],
            &[("from", FROM_ALL), ("to", TO_ALL)],
        )
        .await;
        let s = &s["data"];
        assert_eq!(s["name"], name);
        let count = |f: &dyn Fn(&Value) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
        let errors = count(&|r| r["status"] == "error");
        let delivered = count(&|r| r["status"] == "delivered" || r["status"] == "read");
        let read = count(&|r| r["status"] == "read");
        let engaged = count(&|r| r["engaged"] == true);
        assert_eq!(s["total"], 500);
        assert_eq!(s["sent"], 500 - errors);
        assert_eq!(s["errors"], errors);
        assert_eq!(s["delivered"], delivered);
        assert_eq!(s["read"], read);
        assert_eq!(s["engaged"], engaged);
        let pct = |a: u64, b: u64| (a as f64 * 10000.0 / b as f64).round() / 100.0;
        assert_eq!(s["read_rate"].as_f64().unwrap(), pct(read, delivered));
        assert_eq!(
            s["engagement_rate"].as_f64().unwrap(),
            pct(engaged, delivered)
        );
        assert_eq!(s["error_rate"].as_f64().unwrap(), pct(errors, 500));
    }
    // A scheduled campaign has nothing yet: rates are 0, not NaN.
    let (s, v) = get_json(
        &sb,
        &["campaign", "Lanzamiento 🚀 Q1", "summary"],
        &[("from", FROM_ALL), ("to", TO_ALL)],
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["data"]["total"], 0);
    assert_eq!(v["data"]["read_rate"].as_f64(), Some(0.0));
    // Offset past the end: an empty page with the total.
    let q = [
        ("from", "2026-04-01 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
        ("offset", "900"),
    ];
    let (_, v) = get_json(&sb, &["campaign", "Promo a/b #2?", "details"], &q).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 0);
    assert_eq!(v["pagination"]["total"], 500);
    // A type that does not match the campaign filters everything out.
    let q = [
        ("from", "2026-04-01 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
        ("type", "recurrent"),
    ];
    let (_, v) = get_json(&sb, &["campaign", "Promo a/b #2?", "details"], &q).await;
    assert_eq!(v["pagination"]["total"], 0);
}

#[tokio::test]
async fn engage_window_seams_are_inclusive() {
    let sb = sandbox(500).await;
    // "Promo a/b #2?" starts at 2026-04-06 00:00:00, one row every 1728 s; row 0 is exactly on
    // the day boundary: it belongs to the window ending at that second and to the next one.
    let name = "Promo a/b #2?";
    let total = |from: &'static str, to: &'static str| {
        let sb = &sb;
        async move {
            let (_, v) = get_json(
                sb,
                &["campaign", name, "details"],
                &[("from", from), ("to", to)],
            )
            .await;
            v["pagination"]["total"].as_u64().unwrap()
        }
    };
    assert_eq!(total("2026-04-05 00:00:00", "2026-04-06 00:00:00").await, 1);
    assert_eq!(total("2026-04-05 00:00:00", "2026-04-05 23:59:59").await, 0);
    assert_eq!(
        total("2026-04-06 00:00:00", "2026-04-06 23:59:59").await,
        50
    );
    assert_eq!(
        total("2026-04-06 00:00:00", "2026-04-07 00:00:00").await,
        51
    );
}

#[tokio::test]
async fn engage_csv_export() {
    let sb = sandbox(500).await;
    let q = [
        ("from", "2026-04-01 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
        ("limit", "300"),
        ("offset", "100"),
    ];
    let (_, json) = get_json(&sb, &["campaign", "Promo a/b #2?", "details"], &q).await;
    let mut q = q.to_vec();
    q.push(("output", "csv"));
    let resp = get(&sb, &["campaign", "Promo a/b #2?", "details"], &q).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(resp.headers()["x-total-count"], "500");
    let body = resp.text().await.unwrap();
    assert!(body.starts_with(
        "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error\r\n"
    ));
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let recs: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let rows = json["data"].as_array().unwrap();
    assert_eq!(recs.len(), 300);
    for (rec, row) in recs.iter().zip(rows) {
        assert_eq!(&rec[0], row["contact"].as_str().unwrap());
        assert_eq!(
            &rec[1],
            row["name"].as_str().unwrap(),
            "names with quotes/newlines survive"
        );
        assert_eq!(&rec[2], row["status"].as_str().unwrap());
        assert_eq!(&rec[5], row["read_at"].as_str().unwrap_or(""));
        assert_eq!(
            &rec[6],
            if row["engaged"] == true {
                "true"
            } else {
                "false"
            }
        );
        assert_eq!(&rec[7], row["response"].as_str().unwrap_or(""));
        assert_eq!(&rec[8], row["error"].as_str().unwrap_or(""));
    }
}

#[tokio::test]
async fn engage_stats_daily_weekly() {
    let sb = sandbox(500).await;
    let q = [
        ("from", "2026-04-01 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
    ];
    let (s, daily) = get_json(&sb, &["stats"], &q).await;
    assert_eq!(s, 200);
    let daily = daily["data"].as_array().unwrap().clone();
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[0]["period"], "2026-04-01");
    let mut wq = q.to_vec();
    wq.push(("frequency", "weekly"));
    let (_, weekly) = get_json(&sb, &["stats"], &wq).await;
    let weekly = weekly["data"].as_array().unwrap();
    // 2026-04-01 is a Wednesday: the first week is labelled Monday 2026-03-30.
    let periods: Vec<&str> = weekly
        .iter()
        .map(|w| w["period"].as_str().unwrap())
        .collect();
    assert_eq!(
        periods,
        [
            "2026-03-30",
            "2026-04-06",
            "2026-04-13",
            "2026-04-20",
            "2026-04-27"
        ]
    );
    for f in ["sent", "delivered", "read", "engaged", "errors"] {
        let sum = |xs: &[Value]| xs.iter().map(|x| x[f].as_u64().unwrap()).sum::<u64>();
        assert_eq!(sum(&daily), sum(weekly), "{f}");
    }
    let mut tq = q.to_vec();
    tq.push(("type", "one-time"));
    let (_, one) = get_json(&sb, &["stats"], &tq).await;
    let sent_one: u64 = one["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["sent"].as_u64().unwrap())
        .sum();
    let sent_all: u64 = daily.iter().map(|d| d["sent"].as_u64().unwrap()).sum();
    assert!(sent_one > 0 && sent_one < sent_all);
}

#[tokio::test]
async fn engage_is_deterministic() {
    let q = [
        ("from", "2026-04-01 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
        ("limit", "500"),
    ];
    let seg = ["campaign", "Promo a/b #2?", "details"];
    let a = sandbox(500).await;
    let b = sandbox(500).await;
    let ta = get(&a, &seg, &q).await.text().await.unwrap();
    let tb = get(&b, &seg, &q).await.text().await.unwrap();
    assert_eq!(ta, tb);
    let c = sandbox_with(crate::sandbox::SandboxOptions {
        rows: 500,
        seed: 8,
        ..Default::default()
    })
    .await;
    let tc = get(&c, &seg, &q).await.text().await.unwrap();
    assert_ne!(ta, tc);
}

#[tokio::test]
async fn engage_million_rows_deep_page_is_fast() {
    let sb = sandbox(1_000_000).await;
    // "Re-engagement 100%" sends its million rows in 7 days from 2026-04-15.
    let q = [
        ("from", "2026-04-15 00:00:00"),
        ("to", "2026-04-30 23:59:59"),
        ("limit", "10000"),
        ("offset", "990000"),
    ];
    let t = Instant::now();
    let (s, v) = get_json(&sb, &["campaign", "Re-engagement 100%", "details"], &q).await;
    assert_eq!(s, 200);
    assert_eq!(v["pagination"]["total"], 1_000_000);
    assert_eq!(v["data"].as_array().unwrap().len(), 10_000);
    assert!(t.elapsed().as_secs() < 10, "took {:?}", t.elapsed());
}

/// A sandbox of 500 rows per campaign (seed 7) with `variants`.
async fn with_variants(variants: &[Variant]) -> Sandbox {
    sandbox_with(SandboxOptions {
        rows: 500,
        seed: 7,
        variants: variants.to_vec(),
        ..SandboxOptions::default()
    })
    .await
}

const APRIL: [(&str, &str); 2] = [
    ("from", "2026-04-01 00:00:00"),
    ("to", "2026-04-30 23:59:59"),
];

async fn summary_of(sb: &Sandbox, name: &str) -> Value {
    let (s, v) = get_json(sb, &["campaign", name, "summary"], &APRIL).await;
    assert_eq!(s, 200, "{v}");
    v["data"].clone()
}

async fn stats_of(sb: &Sandbox) -> Vec<Value> {
    let (s, v) = get_json(sb, &["stats"], &APRIL).await;
    assert_eq!(s, 200, "{v}");
    v["data"].as_array().unwrap().clone()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(|k| k.as_str()).collect()
}

const RATES: [&str; 3] = ["read_rate", "engagement_rate", "error_rate"];
const COUNTS: [&str; 6] = ["total", "sent", "delivered", "read", "engaged", "errors"];

#[tokio::test]
async fn engage_fraction_rates_variant_gives_the_same_rates_as_fractions_of_one() {
    let (plain, fractions) = (
        sandbox(500).await,
        with_variants(&[Variant::FractionRates]).await,
    );
    for name in ["Promo a/b #2?", "Re-engagement 100%"] {
        let (p, f) = (
            summary_of(&plain, name).await,
            summary_of(&fractions, name).await,
        );
        for count in COUNTS {
            assert_eq!(p[count], f[count], "{name} {count}");
        }
        for rate in RATES {
            let (pct, fraction) = (p[rate].as_f64().unwrap(), f[rate].as_f64().unwrap());
            assert!(pct > 1.0 || rate == "error_rate", "{name} {rate}: {pct}");
            assert_eq!(fraction, (pct * 100.0).round() / 10_000.0, "{name} {rate}");
        }
        // 4 decimals, as the percentages have 2.
        let read_rate = f["read_rate"].as_f64().unwrap();
        let read = f["read"].as_f64().unwrap() / f["delivered"].as_f64().unwrap();
        assert_eq!(read_rate, (read * 10_000.0).round() / 10_000.0);
    }
    // Stats have no rates: the same answer.
    assert_eq!(stats_of(&plain).await, stats_of(&fractions).await);
}

#[tokio::test]
async fn engage_unknown_schema_variant_renames_the_counts_of_summaries_and_stats() {
    let (plain, unknown) = (
        sandbox(500).await,
        with_variants(&[Variant::UnknownSchema]).await,
    );
    let (p, u) = (
        summary_of(&plain, "Promo a/b #2?").await,
        summary_of(&unknown, "Promo a/b #2?").await,
    );
    let mut expected = vec![
        "delivered_count",
        "engaged_count",
        "engagement_rate",
        "error_rate",
        "errors_count",
        "name",
        "read_count",
        "read_rate",
        "sent_count",
        "total_count",
        "type",
    ];
    expected.sort();
    assert_eq!(keys(&u), expected);
    for count in COUNTS {
        assert_eq!(u[format!("{count}_count")], p[count], "{count}");
    }
    let (p, u) = (stats_of(&plain).await, stats_of(&unknown).await);
    assert_eq!(p.len(), u.len());
    for (p, u) in p.iter().zip(&u) {
        assert_eq!(
            keys(u),
            [
                "delivered_count",
                "engaged_count",
                "errors_count",
                "period",
                "read_count",
                "sent_count"
            ]
        );
        assert_eq!(u["period"], p["period"]);
        assert_eq!(u["sent_count"], p["sent"]);
    }
}

#[tokio::test]
async fn engage_broken_invariants_variant_delivers_more_than_it_sent() {
    let (plain, broken) = (
        sandbox(500).await,
        with_variants(&[Variant::BrokenInvariants]).await,
    );
    let (p, b) = (
        summary_of(&plain, "Promo a/b #2?").await,
        summary_of(&broken, "Promo a/b #2?").await,
    );
    let sent = p["sent"].as_u64().unwrap();
    assert!(sent > 0);
    assert_eq!(b["sent"], sent);
    assert_eq!(b["delivered"], sent + 1);
    assert_eq!(b["read"], p["read"]);
    // The rates are made of the counts served.
    let read_rate = b["read"].as_f64().unwrap() * 100.0 / (sent + 1) as f64;
    assert_eq!(
        b["read_rate"].as_f64().unwrap(),
        (read_rate * 100.0).round() / 100.0
    );
    // A campaign that sent nothing keeps delivered 0.
    let none = summary_of(&broken, "Lanzamiento 🚀 Q1").await;
    assert_eq!(
        (none["sent"].as_u64(), none["delivered"].as_u64()),
        (Some(0), Some(0))
    );
    let (p, b) = (stats_of(&plain).await, stats_of(&broken).await);
    for (p, b) in p.iter().zip(&b) {
        let sent = p["sent"].as_u64().unwrap();
        assert_eq!(b["sent"], sent, "{}", p["period"]);
        let delivered = if sent > 0 {
            sent + 1
        } else {
            p["delivered"].as_u64().unwrap()
        };
        assert_eq!(b["delivered"], delivered, "{}", p["period"]);
    }
}
