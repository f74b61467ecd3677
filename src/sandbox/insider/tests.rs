//! Insider (vendors.md Part 1 "Insider", Part 2 §3).

use serde_json::{Value, json};

use crate::sandbox::tests::*;
use crate::sandbox::{
    INSIDER_API_KEY, INSIDER_CLIENT_ID, INSIDER_CLIENT_SECRET, INSIDER_TOKEN, Sandbox,
};
use crate::vendor::Vendor;

const V: Vendor = Vendor::Insider;
/// 2026-04-01 00:00:00 and 2026-04-30 23:59:59 UTC.
const APR_1: i64 = 1_775_001_600;
const APR_30_END: i64 = 1_777_593_599;

async fn v2(sb: &Sandbox, endpoint: &str, body: Value) -> (u16, Value) {
    let u = format!("{}/api/wa/v2/statistics/{endpoint}", sb.base_url(V));
    json_of(
        client()
            .post(u)
            .bearer_auth(INSIDER_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn v1(sb: &Sandbox, endpoint: &str, body: Value) -> (u16, Value) {
    let u = format!("{}/v1/statistics/{endpoint}", sb.base_url(V));
    let req = client()
        .post(u)
        .header("x-ins-auth-key", INSIDER_API_KEY)
        .json(&body);
    json_of(req.send().await.unwrap()).await
}

async fn mint(sb: &Sandbox, body: Value) -> (u16, Value) {
    let u = format!("{}/auth/token", sb.base_url(V));
    json_of(client().post(u).json(&body).send().await.unwrap()).await
}

fn creds() -> Value {
    json!({"client_id": INSIDER_CLIENT_ID, "client_secret": INSIDER_CLIENT_SECRET, "scopes": ["wa-stats-api"]})
}

fn validation(msg: &str) -> (u16, Value) {
    (
        400,
        json!({"message": "validation failed", "errorCode": "3002", "errors": msg}),
    )
}

#[tokio::test]
async fn insider_auth_failures() {
    let sb = sandbox(50).await;
    let unauthorized = (401, json!({"message": "unauthorized", "errorCode": "3000"}));
    let c = client();
    let body = json!({"campaign_id": 12345});
    let u2 = format!("{}/api/wa/v2/statistics/campaign", sb.base_url(V));
    let u1 = format!("{}/v1/statistics/campaign", sb.base_url(V));
    assert_eq!(
        json_of(c.post(&u2).json(&body).send().await.unwrap()).await,
        unauthorized
    );
    let wrong = c
        .post(&u2)
        .bearer_auth("sandbox-insider-oauth-9-0")
        .json(&body);
    assert_eq!(json_of(wrong.send().await.unwrap()).await, unauthorized);
    // The v1 key is not a bearer token, and the bearer token is not a v1 key.
    let crossed = c.post(&u2).bearer_auth(INSIDER_API_KEY).json(&body);
    assert_eq!(json_of(crossed.send().await.unwrap()).await, unauthorized);
    assert_eq!(
        json_of(c.post(&u1).json(&body).send().await.unwrap()).await,
        unauthorized
    );
    let crossed = c
        .post(&u1)
        .header("x-ins-auth-key", INSIDER_TOKEN)
        .json(&body);
    assert_eq!(json_of(crossed.send().await.unwrap()).await, unauthorized);
    assert_eq!(mint(&sb, json!({"client_id": INSIDER_CLIENT_ID, "client_secret": "no", "scopes": ["wa-stats-api"]})).await, unauthorized);
}

#[tokio::test]
async fn insider_token_flow_and_mint_limit() {
    let sb = sandbox(50).await;
    let (s, t) = mint(&sb, creds()).await;
    assert_eq!(s, 200);
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 3600);
    let token = t["access_token"].as_str().unwrap().to_string();
    let u = format!("{}/api/wa/v2/statistics/campaign", sb.base_url(V));
    let resp = client()
        .post(&u)
        .bearer_auth(&token)
        .json(&json!({"campaign_id": 12345}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    // Token request validation.
    assert_eq!(mint(&sb, json!({"client_id": INSIDER_CLIENT_ID, "client_secret": INSIDER_CLIENT_SECRET, "scopes": ["other"]})).await, validation("scopes must include wa-stats-api"));
    assert_eq!(
        mint(
            &sb,
            json!({"client_secret": INSIDER_CLIENT_SECRET, "scopes": ["wa-stats-api"]})
        )
        .await,
        validation("client_id and client_secret are required")
    );
    let raw = client()
        .post(format!("{}/auth/token", sb.base_url(V)))
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(raw).await;
    assert_eq!(
        (s, v["errorCode"].as_str(), v["message"].as_str()),
        (400, Some("3001"), Some("failed to parse request"))
    );
    // Ten mints a minute per user (Part 2 §3.2); the first one above counts.
    for _ in 1..10 {
        assert_eq!(mint(&sb, creds()).await.0, 200);
    }
    let resp = client()
        .post(format!("{}/auth/token", sb.base_url(V)))
        .json(&creds())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    let (_, v) = json_of(resp).await;
    assert_eq!(
        v,
        json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}})
    );
}

#[tokio::test]
async fn insider_campaign_by_id() {
    let sb = sandbox(500).await;
    let (s, v) = v2(&sb, "campaign", json!({"campaign_id": 12345})).await;
    assert_eq!(s, 200);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut want = [
        "sent",
        "delivered",
        "open",
        "click",
        "conversion",
        "revenue",
        "drop",
        "targeted",
        "unsubscribe",
        "undelivered",
        "deliveryPending",
        "dropDetails",
        "undeliveredDetails",
    ];
    want.sort();
    assert_eq!(keys, want);
    let n = |k: &str| v[k].as_u64().unwrap();
    assert_eq!(n("targeted"), 500, "lifetime by default");
    assert_eq!(n("targeted"), n("sent") + n("drop"));
    assert_eq!(
        n("sent"),
        n("delivered") + n("undelivered") + n("deliveryPending")
    );
    let sum = |k: &str| {
        v[k].as_object()
            .unwrap()
            .values()
            .map(|x| x.as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum("dropDetails"), n("drop"));
    assert_eq!(v["dropDetails"].as_object().unwrap().len(), 12);
    assert_eq!(sum("undeliveredDetails"), n("undelivered"));
    assert_eq!(v["undeliveredDetails"].as_object().unwrap().len(), 9);
    assert!(n("open") <= n("delivered") && n("click") <= n("open"));
    // v1 and v2 serve the same figures; a range narrows them.
    assert_eq!(
        v1(&sb, "campaign", json!({"campaign_id": 12345})).await,
        (200, v.clone())
    );
    // "Promo a/b #2?" (12346) is an AB test: conversational additions.
    let body = json!({"campaign_id": 12346, "start_time": APR_1, "end_time": APR_30_END});
    let (s, ab) = v2(&sb, "campaign", body).await;
    assert_eq!(s, 200);
    assert_eq!(ab["targeted"], 500);
    assert_eq!(ab["responses"].as_array().unwrap().len(), 2);
    assert_eq!(ab["responses"][0]["cardId"], 1);
    assert_eq!(ab["responseSummary"]["click"], ab["click"]);
    let body = json!({"campaign_id": 12346, "start_time": APR_1, "end_time": APR_1 + 86_400});
    assert_eq!(
        v2(&sb, "campaign", body).await.1["targeted"],
        0,
        "before its first send"
    );
}

#[tokio::test]
async fn insider_validation_errors() {
    let sb = sandbox(20).await;
    let cases = [
        (
            "campaign",
            json!({}),
            validation("campaign_id is required and must be greater than 0"),
        ),
        (
            "campaign",
            json!({"campaign_id": 0}),
            validation("campaign_id is required and must be greater than 0"),
        ),
        (
            "campaign",
            json!({"campaign_id": 12345, "start_time": 177500160}),
            validation("start_time must be a 10-digit unix timestamp"),
        ),
        (
            "campaign",
            json!({"campaign_id": 12345, "end_time": 1775001600000_i64}),
            validation("end_time must be a 10-digit unix timestamp"),
        ),
        (
            "campaign",
            json!({"campaign_id": 12345, "start_time": APR_1, "end_time": APR_1}),
            validation("end_time must be greater than start_time"),
        ),
        (
            "campaign",
            json!({"campaign_id": 99999}),
            (
                400,
                json!({"message": "campaign not found or does not belong to this partner", "errorCode": "3004"}),
            ),
        ),
        (
            "overall",
            json!({"end_time": APR_1}),
            validation("start_time must be a 10-digit unix timestamp"),
        ),
        (
            "overall",
            json!({"start_time": APR_1 - 366 * 86_400, "end_time": APR_1}),
            validation("the maximum supported range is 1 year"),
        ),
        (
            "transactional",
            json!({"start_time": APR_1}),
            validation("end_time must be a 10-digit unix timestamp"),
        ),
        (
            "verify",
            json!({"start_time": APR_30_END, "end_time": APR_1}),
            validation("end_time must be greater than start_time"),
        ),
        (
            "campaign-list",
            json!({"per_page": 0}),
            validation("per_page must be between 1 and 100"),
        ),
        (
            "campaign-list",
            json!({"per_page": 101}),
            validation("per_page must be between 1 and 100"),
        ),
        (
            "campaign-list",
            json!({"page": 0}),
            validation("page must be greater than 0"),
        ),
        (
            "campaign-list",
            json!({"types": ["all"]}),
            validation("types: all is not supported"),
        ),
    ];
    for (endpoint, body, want) in cases {
        assert_eq!(
            v2(&sb, endpoint, body.clone()).await,
            want,
            "{endpoint} {body}"
        );
    }
    let (s, v) = v2(&sb, "campaign", json!({"campaign_id": "12345"})).await;
    assert_eq!(
        (s, &v["errorCode"], &v["message"]),
        (400, &json!("3001"), &json!("failed to parse request"))
    );
    assert!(
        v["errors"]
            .as_str()
            .unwrap()
            .starts_with("json: cannot unmarshal string")
    );
    let (s, v) = v2(
        &sb,
        "overall",
        json!({"start_time": APR_1, "end_time": APR_30_END, "campaign_filter": {"tags": ["nope"]}}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(v["message"], "The given data was invalid.");
    // Exactly 365 days is accepted.
    let body = json!({"start_time": APR_1 - 365 * 86_400, "end_time": APR_1});
    assert_eq!(v2(&sb, "overall", body).await.0, 200);
}

#[tokio::test]
async fn insider_overall_transactional_verify() {
    let sb = sandbox(300).await;
    let range = json!({"start_time": APR_1, "end_time": APR_30_END});
    let (s, v) = v2(&sb, "overall", range.clone()).await;
    assert_eq!(s, 200);
    let chart = &v["chart"];
    assert_eq!(chart["dates"].as_array().unwrap().len(), 30);
    assert_eq!(chart["dates"][0], "2026-04-01");
    assert_eq!(chart["datesAsTimestamp"][0], APR_1);
    for k in ["sent", "delivered", "open", "click", "conversion"] {
        let series: u64 = chart[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .sum();
        assert_eq!(series, v["summary"][k].as_u64().unwrap(), "{k}");
        let details: u64 = v["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d[k].as_u64().unwrap())
            .sum();
        assert_eq!(details, v["summary"][k].as_u64().unwrap(), "{k}");
    }
    let d0 = &v["details"][0];
    for k in [
        "campaignId",
        "campName",
        "campaignTypeId",
        "status",
        "phoneNumber",
        "targeted",
    ] {
        assert!(!d0[k].is_null(), "{k}");
    }
    let mut filtered = range.clone();
    filtered["campaign_filter"] =
        json!({"campaign_type_ids": [5], "statuses": ["all"], "tags": [43]});
    let (_, f) = v2(&sb, "overall", filtered).await;
    let names: Vec<&str> = f["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["campName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Welcome series", "Recordatorio #cita 📅"],
        "type 5 tagged onboarding (id 43)"
    );
    let mut filtered = range.clone();
    filtered["campaign_filter"] = json!({"accounts": ["+573001112233"]});
    let (_, f) = v2(&sb, "overall", filtered).await;
    assert!(
        f["details"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["phoneNumber"] == "+573001112233")
    );

    let (s, t) = v2(&sb, "transactional", range.clone()).await;
    assert_eq!(s, 200);
    for k in [
        "sent",
        "delivered",
        "open",
        "click",
        "conversion",
        "revenue",
        "drop",
        "targeted",
        "unsubscribe",
        "undelivered",
        "dropDetails",
    ] {
        assert!(!t[k].is_null(), "{k}");
    }
    assert_eq!(
        t["chart"]["conversionFromResponses"]
            .as_array()
            .unwrap()
            .len(),
        30
    );
    let (s, o) = v1(&sb, "verify", range).await;
    assert_eq!(s, 200);
    assert_eq!(o["open"], 0);
    let n = |k: &str| o[k].as_u64().unwrap();
    assert!(n("sent") > 0);
    assert_eq!(n("verified") + n("unverified"), n("sent"));
    let details: u64 = o["unverifiedDetails"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_u64().unwrap())
        .sum();
    assert_eq!(details, n("unverified"));
}

#[tokio::test]
async fn insider_campaign_list_paging() {
    let sb = sandbox(100).await;
    let (s, v) = v2(&sb, "campaign-list", json!({})).await;
    assert_eq!(s, 200);
    assert_eq!(
        v["meta"],
        json!({"current_page": 1, "last_page": 1, "per_page": 20, "total": 12})
    );
    let item = &v["data"][0];
    for k in [
        "id",
        "campName",
        "createDate",
        "activeDateStart",
        "activeDateEnd",
        "isActive",
        "isTest",
        "neverEnds",
        "campaignTypeId",
        "isPinned",
        "sent",
        "phoneNumber",
        "phoneNumberName",
        "status",
        "subProductAlias",
        "queryHash",
        "failedReason",
        "approvalStatus",
        "statusTranslation",
        "personalizationStatus",
        "variations",
    ] {
        assert!(item.get(k).is_some(), "{k}");
    }
    // Default sort: newest created first.
    let created: Vec<i64> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["createDate"].as_i64().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    let mut names = Vec::new();
    for page in 1..=3 {
        let (_, p) = v1(
            &sb,
            "campaign-list",
            json!({"per_page": 5, "page": page, "sort": "campName|asc"}),
        )
        .await;
        assert_eq!(
            p["meta"],
            json!({"current_page": page, "last_page": 3, "per_page": 5, "total": 12})
        );
        names.extend(
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["campName"].as_str().unwrap().to_lowercase()),
        );
    }
    assert_eq!(names.len(), 12);
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let (_, p) = v2(&sb, "campaign-list", json!({"per_page": 5, "page": 4})).await;
    assert_eq!(p["data"], json!([]));
    let (_, p) = v2(
        &sb,
        "campaign-list",
        json!({"name": "PROMO", "statuses": ["completed"], "types": [2]}),
    )
    .await;
    let names: Vec<&str> = p["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["campName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Promo a/b #2?"]);
    assert_eq!(p["data"][0]["variations"].as_array().unwrap().len(), 2);
    let (_, full) = v2(&sb, "campaign", json!({"campaign_id": 12346})).await;
    assert_eq!(p["data"][0]["sent"], full["sent"], "lifetime sent");
}

#[tokio::test]
async fn insider_variants_rename_the_counts_or_deliver_more_than_was_sent() {
    use crate::sandbox::{SandboxOptions, Variant};
    let range = json!({"start_time": APR_1, "end_time": APR_30_END});
    let renamed = sandbox_with(SandboxOptions {
        rows: 50,
        seed: 7,
        variants: vec![Variant::UnknownSchema],
        ..SandboxOptions::default()
    })
    .await;
    let (s, c) = v2(&renamed, "campaign", json!({"campaign_id": 12345})).await;
    assert_eq!(s, 200);
    for (gone, now) in [
        ("sent", "sent_count"),
        ("open", "read_count"),
        ("targeted", "targeted_count"),
    ] {
        assert!(c.get(gone).is_none() && c[now].is_u64(), "{gone}: {c}");
    }
    let (_, o) = v2(&renamed, "overall", range.clone()).await;
    for part in [&o["summary"], &o["details"][0], &o["chart"]] {
        assert!(
            part.get("sent").is_none() && !part["sent_count"].is_null(),
            "{part}"
        );
    }
    assert!(o["chart"]["dates"].is_array(), "the days keep their name");
    let (_, v) = v1(&renamed, "verify", range.clone()).await;
    assert!(v.get("delivered").is_none() && v["chart"].get("click").is_none());
    let (_, l) = v2(&renamed, "campaign-list", json!({})).await;
    assert!(
        l["data"][0]["sent"].is_u64(),
        "campaign-list is as documented"
    );

    let broken = sandbox_with(SandboxOptions {
        rows: 50,
        seed: 7,
        variants: vec![Variant::BrokenInvariants],
        ..SandboxOptions::default()
    })
    .await;
    let (_, c) = v2(&broken, "campaign", json!({"campaign_id": 12345})).await;
    assert!(c["delivered"].as_u64() > c["sent"].as_u64(), "{c}");
    let (_, o) = v2(&broken, "overall", range.clone()).await;
    let n = |v: &Value| v.as_u64().unwrap();
    assert!(n(&o["summary"]["delivered"]) > n(&o["summary"]["sent"]));
    assert!(n(&o["details"][0]["delivered"]) > n(&o["details"][0]["sent"]));
    let chart = &o["chart"];
    for (d, s) in chart["delivered"]
        .as_array()
        .unwrap()
        .iter()
        .zip(chart["sent"].as_array().unwrap())
    {
        assert!(n(d) > n(s), "every day: {chart}");
    }
    let (_, t) = v2(&broken, "transactional", range).await;
    assert!(n(&t["delivered"]) > n(&t["sent"]));
}
