//! Wolkvox (vendors.md Part 1 "Wolkvox", Part 2 §4).

use std::time::Duration;

use serde_json::{Value, json};

use crate::sandbox::tests::*;
use crate::sandbox::{Sandbox, SandboxOptions, WOLKVOX_TOKEN};
use crate::vendor::Vendor;

const V: Vendor = Vendor::Wolkvox;

async fn report(sb: &Sandbox, query: &[(&str, &str)]) -> (u16, Value) {
    let req = client()
        .get(url(sb, V, &["reports_manager.php"], query))
        .header("wolkvox-token", WOLKVOX_TOKEN);
    json_of(req.send().await.unwrap()).await
}

fn envelope(code: &str, error: &str, msg: &str) -> Value {
    json!({"code": code, "error": error, "msg": msg})
}

#[tokio::test]
async fn wolkvox_auth_failures() {
    let sb = sandbox(20).await;
    let u = url(&sb, V, &["reports_manager.php"], &[("api", "chat_14")]);
    let c = client();
    let none = json_of(c.get(u.clone()).send().await.unwrap()).await;
    assert_eq!(
        none,
        (
            401,
            envelope("401", "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN")
        )
    );
    let wrong = c
        .get(u)
        .header("wolkvox-token", "nope")
        .send()
        .await
        .unwrap();
    let wrong = json_of(wrong).await;
    assert_eq!(
        wrong,
        (403, envelope("403", "FORBIDDEN", "PLEASE VALIDATE TOKEN"))
    );
}

#[tokio::test]
async fn wolkvox_chat_14_and_15() {
    let sb = sandbox(500).await;
    let q = [
        ("api", "chat_14"),
        ("date_ini", "20260401000000"),
        ("date_end", "20260430235959"),
    ];
    let (s, v) = report(&sb, &q).await;
    assert_eq!(s, 200);
    assert_eq!(v["code"], "200");
    assert!(v["error"].is_null());
    let data = v["data"].as_array().unwrap();
    assert_eq!(v["msg"], format!("{} records were found", data.len()));
    assert!(data.len() > 100);
    let keys: Vec<&str> = data[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut want = [
        "agent_id",
        "chat_id",
        "cod_act",
        "date",
        "media_type",
        "media_url",
        "rp_id",
        "source_id",
        "source_type",
        "source_url",
    ];
    want.sort();
    assert_eq!(keys, want);
    assert!(
        data.iter()
            .all(|r| r.as_object().unwrap().values().all(Value::is_string))
    );
    let dates: Vec<&str> = data.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    assert!(dates[0] >= "2026-04-01 00:00:00" && dates[dates.len() - 1] <= "2026-04-30 23:59:59");

    let q15 = [
        ("api", "chat_15"),
        ("date_ini", "20260401000000"),
        ("date_end", "20260430235959"),
    ];
    let (s, v15) = report(&sb, &q15).await;
    assert_eq!(s, 200);
    assert_eq!(v15["code"], "200");
    let row = &v15["data"][0];
    let n = |k: &str| row[k].as_str().unwrap().parse::<usize>().unwrap();
    assert_eq!(n("total_chatbot") + n("total_agents"), data.len());
    assert_eq!(n("ad_chatbot") + n("post_chatbot"), n("total_chatbot"));
    let ads = data.iter().filter(|r| r["source_type"] == "ad").count();
    assert_eq!(n("ad_chatbot") + n("ad_agents"), ads);

    // date_end is inclusive: click 0 lies exactly on the span's first second.
    let one = [
        ("api", "chat_14"),
        ("date_ini", "20250327000000"),
        ("date_end", "20250327000000"),
    ];
    let (_, v) = report(&sb, &one).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(v["msg"], "1 records were found");
}

#[tokio::test]
async fn wolkvox_campaign_9() {
    let sb = sandbox(500).await;
    let q = [
        ("api", "campaign_9"),
        ("campaign_id", "all"),
        ("date_ini", "20260401000000"),
        ("date_end", "20260430235959"),
    ];
    let (s, v) = report(&sb, &q).await;
    assert_eq!(s, 200);
    assert_eq!(v["code"], 200, "a number in campaign_9");
    let data = v["data"].as_array().unwrap();
    let keys: Vec<&str> = data[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "campaing_id",
            "date",
            "errors",
            "last_update",
            "status",
            "telephone"
        ]
    );
    let dates: Vec<&str> = data.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    let statuses = ["accepted", "submitted", "delivered", "read", "failed"];
    for r in data {
        let st = r["status"].as_str().unwrap();
        assert!(statuses.contains(&st), "{st}");
        assert_eq!(st == "failed", !r["errors"].as_str().unwrap().is_empty());
        assert!(r["last_update"].as_str().unwrap() >= r["date"].as_str().unwrap());
    }
    // One campaign by its numeric id: "Promo a/b #2?" is 3002 and has all 500 rows in April.
    let mut one = q.to_vec();
    one[1] = ("campaign_id", "3002");
    let (_, v) = report(&sb, &one).await;
    let rows = v["data"].as_array().unwrap();
    assert_eq!(rows.len(), 500);
    assert!(rows.iter().all(|r| r["campaing_id"] == "3002"));
    // An unknown id, or an empty window: the documented empty body.
    let empty = json!({"code": "200", "error": null, "msg": "0 records were found", "data": []});
    one[1] = ("campaign_id", "9999");
    assert_eq!(report(&sb, &one).await, (200, empty.clone()));
    let q = [
        ("api", "chat_14"),
        ("date_ini", "20200101000000"),
        ("date_end", "20200131235959"),
    ];
    assert_eq!(report(&sb, &q).await, (200, empty));
}

#[tokio::test]
async fn wolkvox_validation_errors() {
    let sb = sandbox(20).await;
    let d = |a: &'static str, b: &'static str| [("date_ini", a), ("date_end", b)];
    let bad = |msg: &str| (400, envelope("400", "BAD REQUEST", msg));
    let (ok_ini, ok_end) = ("20260401000000", "20260402000000");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (d(ok_ini, ok_end).to_vec(), "SOME PARAMETERS ARE REQUIRED"),
        (
            vec![
                ("api", "chat_99"),
                ("date_ini", ok_ini),
                ("date_end", ok_end),
            ],
            "THE API YOU WANT TO CONSULT DOES NOT EXIST",
        ),
        (
            vec![("api", "chat_14"), ("date_ini", ok_ini)],
            "SOME PARAMETERS ARE REQUIRED",
        ),
        (
            vec![
                ("api", "chat_14"),
                ("date_ini", "2026-04-01"),
                ("date_end", ok_end),
            ],
            "THE DATES MUST HAVE THE FORMAT YYYYMMDDHHMMSS",
        ),
        (
            vec![
                ("api", "chat_14"),
                ("date_ini", ok_end),
                ("date_end", ok_ini),
            ],
            "THE START DATE CANNOT BE GREATER THAN THE END DATE",
        ),
        (
            vec![
                ("api", "chat_14"),
                ("date_ini", "20260301000000"),
                ("date_end", "20260401000001"),
            ],
            "THE DATE RANGE CANNOT EXCEED 31 DAYS",
        ),
        (
            vec![
                ("api", "campaign_9"),
                ("date_ini", ok_ini),
                ("date_end", ok_end),
            ],
            "SOME PARAMETERS ARE REQUIRED",
        ),
        (
            vec![
                ("api", "campaign_9"),
                ("campaign_id", "x1"),
                ("date_ini", ok_ini),
                ("date_end", ok_end),
            ],
            "THE CAMPAIGN_ID MUST BE NUMERIC OR all",
        ),
    ];
    for (q, msg) in cases {
        assert_eq!(report(&sb, &q).await, bad(msg), "{q:?}");
    }
    // Exactly 31 days is allowed.
    let q = [
        ("api", "chat_14"),
        ("date_ini", "20260301000000"),
        ("date_end", "20260401000000"),
    ];
    assert_eq!(report(&sb, &q).await.0, 200);
    let u = sb.base_url(V) + "/information.php?api=campaigns";
    let resp = client()
        .get(u)
        .header("wolkvox-token", WOLKVOX_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(resp).await,
        bad("THE API YOU WANT TO CONSULT DOES NOT EXIST")
    );
}

#[tokio::test]
async fn wolkvox_caps_at_60000_oldest_rows() {
    let sb = sandbox(1_000_000).await;
    // "Re-engagement 100%" (3006) sends a million rows between 2026-04-15 and 2026-04-22.
    for id in ["3006", "all"] {
        let q = [
            ("api", "campaign_9"),
            ("campaign_id", id),
            ("date_ini", "20260415000000"),
            ("date_end", "20260425000000"),
        ];
        let (s, v) = report(&sb, &q).await;
        assert_eq!(s, 200);
        let data = v["data"].as_array().unwrap();
        assert_eq!(data.len(), 60_000, "silently capped");
        assert_eq!(v["msg"], "60000 records were found");
        assert_eq!(data[0]["date"], "2026-04-15 00:00:00");
        let dates: Vec<&str> = data.iter().map(|r| r["date"].as_str().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
        // 60,000 rows at 604.8 ms each reach 10:04:48 on the first day.
        assert!(dates[59_999] < "2026-04-15 10:05:00", "{}", dates[59_999]);
    }
}

#[tokio::test]
async fn wolkvox_one_request_in_flight_per_token() {
    for fault_rate in [0.0, 1.0] {
        let sb = sandbox_with(SandboxOptions {
            rows: 20,
            // Wide margins: on a busy machine the first request may reach the server late.
            latency: Duration::from_millis(1500),
            fault_rate,
            ..SandboxOptions::default()
        })
        .await;
        let q = [
            ("api", "chat_14"),
            ("date_ini", "20260401000000"),
            ("date_end", "20260402000000"),
        ];
        let send = || {
            client()
                .get(url(&sb, V, &["reports_manager.php"], &q))
                .header("wolkvox-token", WOLKVOX_TOKEN)
                .send()
        };
        let (a, b) = tokio::join!(send(), async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            send().await
        });
        let refused = envelope(
            "403",
            "FORBIDDEN",
            "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
        );
        assert_eq!(
            json_of(b.unwrap()).await,
            (403, refused),
            "fault_rate {fault_rate}"
        );
        if fault_rate == 0.0 {
            assert_eq!(a.unwrap().status(), 200);
            // Once the first is answered the token is free again.
            assert_eq!(send().await.unwrap().status(), 200);
        }
    }
}

#[tokio::test]
async fn wolkvox_zone_makes_dates_local_times_of_the_operation() {
    let utc = sandbox(200).await;
    let bogota = sandbox_with(SandboxOptions {
        rows: 200,
        seed: 7,
        wolkvox_zone: crate::time::Zone::parse("America/Bogota").unwrap(),
        ..SandboxOptions::default()
    })
    .await;
    // The same instants, asked on each operation's clock: April in UTC is March 31 19:00 to
    // April 30 18:59:59 in Bogota.
    let ask = |ini: &'static str, end: &'static str| {
        [
            ("api", "campaign_9"),
            ("campaign_id", "all"),
            ("date_ini", ini),
            ("date_end", end),
        ]
    };
    let (_, a) = report(&utc, &ask("20260401000000", "20260430235959")).await;
    let (_, b) = report(&bogota, &ask("20260331190000", "20260430185959")).await;
    let (a, b) = (a["data"].as_array().unwrap(), b["data"].as_array().unwrap());
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len(), "the same records");
    let shifted = |s: &Value| {
        let t = chrono::NaiveDateTime::parse_from_str(s.as_str().unwrap(), "%Y-%m-%d %H:%M:%S")
            .unwrap();
        (t - chrono::Duration::hours(5))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x["telephone"], y["telephone"]);
        assert_eq!(shifted(&x["date"]), y["date"], "five hours behind UTC");
        assert_eq!(shifted(&x["last_update"]), y["last_update"]);
    }
    // Clicks too.
    let clicks = |sb, ini, end| {
        let q = [("api", "chat_14"), ("date_ini", ini), ("date_end", end)];
        async move { report(sb, &q).await.1 }
    };
    let x = clicks(&utc, "20260401000000", "20260401235959").await;
    let y = clicks(&bogota, "20260331190000", "20260401185959").await;
    assert_eq!(
        x["data"].as_array().unwrap().len(),
        y["data"].as_array().unwrap().len()
    );
    assert_eq!(shifted(&x["data"][0]["date"]), y["data"][0]["date"]);
}

#[tokio::test]
async fn wolkvox_unknown_schema_renames_every_field_of_every_report() {
    let sb = sandbox_with(SandboxOptions {
        rows: 50,
        seed: 7,
        variants: vec![crate::sandbox::Variant::UnknownSchema],
        ..SandboxOptions::default()
    })
    .await;
    let window = [
        ("date_ini", "20260401000000"),
        ("date_end", "20260430235959"),
    ];
    let keys = |v: &Value| {
        let mut k: Vec<String> = v["data"][0].as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let ask = |api: &'static str| {
        let mut q = vec![("api", api), ("campaign_id", "all")];
        q.extend(window);
        q
    };
    let (s, v) = report(&sb, &ask("campaign_9")).await;
    assert_eq!(s, 200);
    assert_eq!(
        v["msg"],
        format!("{} records were found", v["data"].as_array().unwrap().len())
    );
    assert_eq!(
        keys(&v),
        [
            "campaign",
            "error_detail",
            "phone_number",
            "record_status",
            "sent_date",
            "updated_at"
        ]
    );
    let (_, v) = report(&sb, &ask("chat_14")).await;
    assert!(keys(&v).contains(&"chatId".to_string()), "{:?}", keys(&v));
    assert!(!keys(&v).contains(&"chat_id".to_string()));
    let (_, v) = report(&sb, &ask("chat_15")).await;
    assert_eq!(
        keys(&v),
        [
            "ads_agent",
            "ads_bot",
            "agent_total",
            "bot_total",
            "posts_agent",
            "posts_bot"
        ]
    );
}
