//! The vendors' sandboxes as the shared plumbing sees them: each registered under its own
//! vendor, with its own data salt, its write rule and its error body for injected faults.

use axum::http::StatusCode;
use serde_json::json;

use crate::sandbox::fault::Injected;
use crate::sandbox::vendor_sandbox;
use crate::vendor::Vendor;

#[test]
fn every_vendor_is_registered_under_itself_with_its_own_salt() {
    let salts: Vec<u64> = Vendor::all()
        .map(|v| {
            assert_eq!(vendor_sandbox(v).vendor, v);
            vendor_sandbox(v).salt.0
        })
        .collect();
    // The first five keep the values the data was generated with when salts were positions in
    // the vendor list (changing one changes every row of that vendor); a vendor added later
    // needs only a salt no other vendor has.
    assert_eq!(salts[..5], [1, 2, 3, 4, 5]);
    let mut distinct = salts.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        salts.len(),
        "two vendors share a salt: {salts:?}"
    );
}

#[test]
fn only_engati_and_engagive_posts_are_writes() {
    let writes: Vec<Vendor> = Vendor::all()
        .filter(|v| vendor_sandbox(*v).posts_are_writes)
        .collect();
    assert_eq!(writes, [Vendor::Engati, Vendor::Engagive]);
}

#[test]
fn injected_faults_have_each_vendors_error_body() {
    let body = |v: Vendor, status: u16| {
        let status = StatusCode::from_u16(status).unwrap();
        (vendor_sandbox(v).fault_body)(&Injected::new(status))
    };
    assert_eq!(
        body(Vendor::Engage, 429),
        json!({"error": {"code": "TOO_MANY_REQUESTS", "message": "too many requests, retry later"}})
    );
    assert_eq!(
        body(Vendor::Engati, 500),
        json!({"status": {"code": 500, "desc": "INTERNAL_ERROR", "details": "internal server error"}})
    );
    assert_eq!(
        body(Vendor::Insider, 429),
        json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}})
    );
    assert_eq!(
        body(Vendor::Insider, 503),
        json!({"message": "service temporarily unavailable", "errorCode": "503"})
    );
    assert_eq!(
        body(Vendor::Wolkvox, 503),
        json!({"code": "503", "error": "SERVICE UNAVAILABLE", "msg": "SERVICE TEMPORARILY UNAVAILABLE"})
    );
    assert_eq!(
        body(Vendor::Engagive, 429),
        json!({"success": false, "statusCode": 429, "message": "too many requests, retry later"})
    );
}
