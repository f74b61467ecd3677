//! The one-pass reader against serde_json: whatever it reads, it reads as serde_json does, and it
//! leaves everything else to serde_json.

use bytes::Bytes;
use proptest::prelude::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::json;

use super::super::wire::{ContactPage, ContactPageSeed};
use super::read_page;
use crate::http::ApiResponse;
use crate::provider::ContactRecord;

/// What a page holds, comparable.
#[derive(Debug, PartialEq)]
struct Read {
    rows: Vec<ContactRecord>,
    served: u64,
    pagination: Option<(Option<u64>, u64)>,
    unreadable: Option<String>,
}

fn read(page: ContactPage) -> Read {
    Read {
        rows: page.rows,
        served: page.served,
        pagination: page.pagination.map(|p| (p.offset, p.total)),
        unreadable: page.unreadable,
    }
}

fn fast(body: &[u8]) -> Option<Read> {
    read_page(body, 4).map(read)
}

/// What the serde_json path (the fallback) makes of `body`: the page, or its error's text.
fn slow(body: &[u8]) -> Result<Read, String> {
    let resp = ApiResponse {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        body: Bytes::copy_from_slice(body),
        request_line: "GET /campaign/x/details".into(),
    };
    resp.json_seed("Engage", ContactPageSeed { capacity: 4 })
        .map(read)
        .map_err(|e| e.to_string())
}

/// `body` is read by the fast reader, exactly as serde_json reads it.
fn same(body: &str) -> Read {
    let fast = fast(body.as_bytes()).unwrap_or_else(|| panic!("not read: {body}"));
    assert_eq!(Ok(&fast), slow(body.as_bytes()).as_ref(), "{body}");
    fast
}

/// `body` is left to serde_json.
fn refused(body: &str) {
    assert_eq!(fast(body.as_bytes()), None, "{body}");
}

const ROW: &str = r#"{"contact":"5511986126619","delivered_at":"2026-07-19 00:01:17","engaged":false,"error":null,"name":"Camila Rodríguez","read_at":"2026-07-20 19:49:53","response":null,"sent_at":"2026-07-19 00:00:00","status":"read"}"#;

fn page_of(rows: &[&str], pagination: &str) -> String {
    format!(
        r#"{{"data":[{}],"pagination":{pagination}}}"#,
        rows.join(",")
    )
}

#[test]
fn the_documented_page_is_read_as_serde_json_reads_it() {
    let body = page_of(&[ROW, ROW], r#"{"limit":2,"offset":0,"total":7}"#);
    let page = same(&body);
    assert_eq!(page.served, 2);
    assert_eq!(page.pagination, Some((Some(0), 7)));
    let row = &page.rows[0];
    assert_eq!(row.contact, "5511986126619");
    assert_eq!(row.name.as_deref(), Some("Camila Rodríguez"));
    assert_eq!(
        row.sent_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-07-19T00:00:00+00:00")
    );
    assert_eq!(row.engaged, Some(false));
    assert_eq!(
        (row.response.as_deref(), row.error.as_deref()),
        (None, None)
    );
}

#[test]
fn whitespace_key_order_escapes_numbers_and_missing_fields_are_read_too() {
    let body = " \n{ \"pagination\" : { \"total\" : 3 , \"offset\" : null } ,\r\n\t\"extra\" : [] , \"data\" : [ ] } \n";
    // A nested value under an unknown key is left to serde_json...
    refused(body);
    // ...a scalar is skipped.
    let body = body.replace("[] ,", "-1.5e+3 ,");
    assert_eq!(same(&body).pagination, Some((None, 3)));
    let rows = [
        r#"{"status":"sent","contact":573001234567}"#,
        r#"{"contact":"57\"3\\0\/0","name":"Chlo\u00e9 \ud83d\ude45 \n\t\b\f\r","sent_at":"2026-04-02\u002010:00:00"}"#,
        r#"{"contact":"0","sent_at":"","delivered_at":"   ","read_at":null,"engaged":true,"response":"No, gracias 🙅","error":"x"}"#,
        r#"{"contact":"1","sent_at":" 2026-04-02 10:00:00 ","delivered_at":"2026-04-02T10:00:00Z"}"#,
        r#"{"contact":0}"#,
    ];
    let page = same(&page_of(
        &rows,
        r#"{"offset":5,"total":9,"limit":5,"next":"x","more":true}"#,
    ));
    assert_eq!(page.rows.len(), 5);
    assert_eq!(page.rows[0].contact, "573001234567");
    assert_eq!(page.rows[1].contact, "57\"3\\0/0");
    assert_eq!(
        page.rows[1].name.as_deref(),
        Some("Chloé 🙅 \n\t\u{8}\u{c}\r")
    );
    assert!(page.rows[1].sent_at.is_some());
    assert_eq!(
        (page.rows[2].sent_at, page.rows[2].delivered_at),
        (None, None)
    );
    assert!(page.rows[3].sent_at.is_some() && page.rows[3].delivered_at.is_some());
}

#[test]
fn contacts_whose_keys_change_order_from_row_to_row_are_read_all_the_same() {
    let rows = [
        ROW,
        r#"{"name":"b","contact":"2"}"#,
        r#"{"contact":"3"}"#,
        r#"{"contact":"4","name":"d","status":"read","error":"x"}"#,
        r#"{"contact":"5", "name":"e","status":"sent"}"#,
        r#"{"contact":"6","n\u0061me":"f"}"#,
        ROW,
    ];
    let page = same(&page_of(&rows, r#"{"total":7}"#));
    let names: Vec<_> = page.rows.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("Camila Rodríguez"),
            Some("b"),
            None,
            Some("d"),
            Some("e"),
            Some("f"),
            Some("Camila Rodríguez")
        ]
    );
    // A key twice is refused wherever the order of the row before puts it.
    refused(&page_of(
        &[ROW, r#"{"contact":"1","contact":"2"}"#],
        r#"{"total":2}"#,
    ));
    refused(&page_of(
        &[
            ROW,
            r#"{"contact":"1","delivered_at":null,"delivered_at":null}"#,
        ],
        r#"{"total":2}"#,
    ));
}

#[test]
fn an_unreadable_time_is_counted_and_named_as_serde_json_does() {
    let rows = [
        ROW,
        r#"{"contact":"2","sent_at":"02/04/2026"}"#,
        r#"{"contact":"3","read_at":"2026-02-29 10:00:00"}"#,
    ];
    let page = same(&page_of(&rows, r#"{"total":3}"#));
    assert_eq!((page.rows.len(), page.served), (1, 3));
    assert_eq!(
        page.unreadable.as_deref(),
        Some("unreadable time '02/04/2026' (expected YYYY-MM-DD HH:MM:SS)")
    );
}

#[test]
fn anything_off_the_documented_shape_is_left_to_serde_json() {
    for body in [
        // Not a page.
        "",
        "[]",
        "null",
        r#"{"pagination":{"total":1}}"#,
        // A key twice.
        &page_of(
            &[r#"{"contact":"1","name":"a","name":"b"}"#],
            r#"{"total":1}"#,
        ),
        r#"{"data":[],"data":[],"pagination":{"total":1}}"#,
        &page_of(&[], r#"{"total":1,"total":2}"#),
        // A contact that serde_json refuses or reads its own way.
        &page_of(&[r#"{"name":"no contact"}"#], r#"{"total":1}"#),
        &page_of(&["{}"], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":null}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":-5}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":1.5}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":1e3}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":0123}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":18446744073709551616}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"1","country":"CO"}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"1","engaged":"yes"}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"1","read_at":5}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"1","name":5}"#], r#"{"total":1}"#),
        // Escapes and characters JSON does not allow, or that serde_json reads its own way.
        &page_of(&[r#"{"contact":"\ud83d"}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"\ude45"}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"\ud83d\u0041"}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"\x"}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"\u12G4"}"#], r#"{"total":1}"#),
        &page_of(&["{\"contact\":\"a\tb\"}"], r#"{"total":1}"#),
        &page_of(&["{\"contact\":\"a\\n\u{1}\"}"], r#"{"total":1}"#),
        // Pagination serde_json refuses.
        &page_of(&[], r#"{"offset":-1,"total":1}"#),
        &page_of(&[], r#"{"offset":1.0,"total":1}"#),
        &page_of(&[], r#"{"offset":1}"#),
        &page_of(&[], r#"{"total":99999999999999999999}"#),
        &page_of(&[], r#"[1]"#),
        // Broken JSON.
        &page_of(&[ROW], r#"{"total":1}"#)[..100],
        &format!("{} x", page_of(&[ROW], r#"{"total":1}"#)),
        &page_of(&[ROW, ""], r#"{"total":1}"#),
        &page_of(&[ROW], r#"{"total":1,}"#),
        &page_of(&[r#"{"contact":"1",}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"1" "name":null}"#], r#"{"total":1}"#),
        &page_of(&[r#"{"contact":"1","engaged":nul}"#], r#"{"total":1}"#),
        &page_of(&[], r#"{"total":1,"x":01}"#),
        &page_of(&[], r#"{"total":1,"x":1.}"#),
        &page_of(&[], r#"{"total":1,"x":-}"#),
    ] {
        refused(body);
    }
    // Invalid UTF-8.
    let mut bytes = page_of(&[ROW], r#"{"total":1}"#).into_bytes();
    bytes[60] = 0xff;
    assert_eq!(fast(&bytes), None);
    assert!(slow(&bytes).is_err());
}

/// Contacts with any text in their fields, written by serde_json (which escapes what it must).
fn contact() -> impl Strategy<Value = serde_json::Value> {
    let text = "(?s).{0,12}|[\"\\\\/\u{0}-\u{1f}é🙅 ]{0,6}";
    let time = prop_oneof![
        Just(json!(null)),
        Just(json!("")),
        Just(json!("2026-07-19 00:01:17")),
        Just(json!("2024-02-29 23:59:59")),
        Just(json!("2026-02-29 10:00:00")),
        Just(json!("2026-07-19 24:00:00")),
        text.prop_map(|s| json!(s)),
    ];
    (
        prop_oneof![
            text.prop_map(|s| json!(s)),
            any::<u64>().prop_map(|n| json!(n))
        ],
        proptest::option::of(text),
        (time.clone(), time.clone(), time),
        proptest::option::of(any::<bool>()),
        proptest::option::of(text),
    )
        .prop_map(
            |(contact, name, (sent, delivered, read), engaged, response)| {
                json!({
                    "contact": contact, "name": name, "sent_at": sent, "delivered_at": delivered,
                    "read_at": read, "engaged": engaged, "response": response, "status": "read",
                })
            },
        )
}

proptest! {
    #[test]
    fn any_page_of_the_documented_shape_is_read_as_serde_json_reads_it(
        rows in proptest::collection::vec(contact(), 0..6),
        total in any::<u64>(),
        pretty in any::<bool>(),
    ) {
        let page = json!({"data": rows, "pagination": {"limit": 10, "offset": 0, "total": total}});
        let body = if pretty { serde_json::to_string_pretty(&page) } else { serde_json::to_string(&page) }.unwrap();
        let fast = fast(body.as_bytes());
        prop_assert!(fast.is_some(), "not read: {}", body);
        prop_assert_eq!(Ok(fast.unwrap()), slow(body.as_bytes()));
    }

    #[test]
    fn a_page_with_any_byte_changed_is_read_as_serde_json_reads_it_or_left_to_it(
        rows in proptest::collection::vec(contact(), 1..4),
        at in any::<prop::sample::Index>(),
        byte in prop_oneof![any::<u8>(), prop::sample::select(b"\"\\,:{}[]0123456789 \n-.eEnulltrfa".to_vec())],
        remove in any::<bool>(),
    ) {
        let page = json!({"data": rows, "pagination": {"offset": 0, "total": 3}});
        let mut body = serde_json::to_string(&page).unwrap().into_bytes();
        let i = at.index(body.len());
        if remove { body.remove(i); } else { body[i] = byte; }
        if let Some(fast) = fast(&body) {
            prop_assert_eq!(Ok(fast), slow(&body), "{}", String::from_utf8_lossy(&body));
        }
    }
}
