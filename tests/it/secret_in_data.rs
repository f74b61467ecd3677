//! A server that puts our request headers into a data field (issue 13, item 7): the token is
//! masked in every form a server may echo it, in a list and in an export, on stdout and in a
//! `-o` file, and the run says once that it was.

use base64::Engine as _;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

/// The canary token: characters that every encoding changes.
const TOKEN: &str = "CANARY/data+Tok=5f4e3d2c1b0a";

const APRIL: &str = "from=2026-04-01%2000%3A00%3A00&to=2026-04-30%2023%3A59%3A59";

const WARNING: &str = "wa-analytics: warning: Engage put a credential of this profile into its answer; it is shown as ***\n";

/// The forms a server echoes the token in, as the values of a JSON string of its answer;
/// [`raw_json`] turns the `|` of one into a JSON-escaped `\/`. The form with backslashes is
/// escaped once more in the body: a JSON string inside a JSON string.
fn forms() -> Vec<String> {
    let percent: String = TOKEN
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    vec![
        TOKEN.to_owned(),
        TOKEN.to_lowercase(),
        percent,
        TOKEN.replace('/', "\\/").replace('+', "\\u002B"),
        base64::engine::general_purpose::STANDARD.encode(TOKEN),
        TOKEN.replace('/', "&#47;"),
        TOKEN.replace('/', "|"),
    ]
}

/// `body` as JSON text, each `|` written as `\/` (PHP's json_encode escapes every `/`).
fn raw_json(body: &Value) -> ResponseTemplate {
    let text = body.to_string().replace('|', "\\/");
    ResponseTemplate::new(200).set_body_raw(text, "application/json")
}

/// A GET of `p` with both credentials, the token as the canary.
fn get(p: &str, query: String) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(p))
        .and(RawQuery(query))
        .and(header("x-token", "bot-token-1"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
}

fn home_for(server: &MockServer) -> Home {
    let home = Home::new();
    home.write_config(&format!(
        "default_profile = \"e\"\n\n[profiles.e]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"bot-token-1\"\ntoken = \"{TOKEN}\"\n",
        server.uri()
    ));
    home
}

/// No form of the token in `text`, whatever the case.
fn assert_no_token(text: &str) {
    let folded = text.to_lowercase();
    for form in forms() {
        assert!(
            !folded.contains(&form.to_lowercase()),
            "{form} leaked:\n{text}"
        );
    }
    assert!(!folded.contains(&TOKEN[..12].to_lowercase()), "{text}");
}

/// A request-header dump as an echoing server puts it into a field: the token in `form`.
fn echoed(form: &str) -> String {
    format!("x-token: bot-token-1; authorization: Bearer {form}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_echoed_into_a_list_field_is_masked_in_every_form() {
    let server = strict_server().await;
    let rows: Vec<Value> = forms()
        .iter()
        .enumerate()
        .map(|(i, form)| {
            json!({"id": format!("c{i}"), "name": echoed(form), "type": "one-time",
                   "status": "completed", "created_at": "2026-04-01 09:00:00",
                   "sent_at": null, "total_contacts": i})
        })
        .collect();
    get("/campaigns", APRIL.to_string())
        .respond_with(raw_json(&json!({ "data": rows })))
        .expect(1)
        .mount(&server)
        .await;
    let home = home_for(&server);
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
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), WARNING);
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let want: Vec<Value> = (0..forms().len())
        .map(|i| {
            json!({"id": format!("c{i}"), "name": "x-token: ***; authorization: Bearer ***",
                   "type": "one-time", "status": "completed", "created_at": "2026-04-01T09:00:00Z",
                   "sent_at": null, "total_contacts": i})
        })
        .collect();
    assert_eq!(got, Value::Array(want));
    assert_no_token(&stdout(&out));
}

/// One contact of the export whose `response` holds the echoed headers.
fn contact(i: usize, response: &str) -> Value {
    json!({
        "contact": format!("5730000{i:05}"), "name": format!("Contact {i}"), "status": "read",
        "sent_at": "2026-04-02 10:00:00", "delivered_at": "2026-04-02 10:00:05",
        "read_at": "2026-04-02 10:10:00", "engaged": false, "response": response, "error": null
    })
}

async fn mount_details(server: &MockServer, expect: u64) {
    let rows: Vec<Value> = forms()
        .iter()
        .enumerate()
        .map(|(i, form)| contact(i, &echoed(form)))
        .collect();
    let total = rows.len();
    get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=100&offset=0"),
    )
    .respond_with(raw_json(&json!({
        "data": rows, "pagination": {"limit": 100, "offset": 0, "total": total}
    })))
    .expect(expect)
    .mount(server)
    .await;
}

/// The CSV lines every export of [`mount_details`] writes, the header first.
fn masked_csv() -> Vec<String> {
    let mut lines =
        vec!["contact,name,status,sent_at,delivered_at,read_at,engaged,response,error".to_owned()];
    for i in 0..forms().len() {
        lines.push(format!(
            "5730000{i:05},Contact {i},read,2026-04-02T10:00:00Z,2026-04-02T10:00:05Z,2026-04-02T10:10:00Z,false,x-token: ***; authorization: Bearer ***,"
        ));
    }
    lines
}

const RANGE: [&str; 8] = [
    "Spring",
    "--from",
    "2026-04-01",
    "--to",
    "2026-04-30",
    "--page-size",
    "100",
    "--format",
];

#[tokio::test(flavor = "multi_thread")]
async fn a_token_echoed_into_export_rows_is_masked_in_the_file_and_on_stdout() {
    let server = strict_server().await;
    mount_details(&server, 2).await;
    let home = home_for(&server);

    let mut cmd = home.cmd();
    cmd.args(["campaigns", "export"])
        .args(RANGE)
        .args(["csv", "-o", "f.csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), WARNING);
    let file = std::fs::read_to_string(home.path().join("f.csv")).unwrap();
    assert_eq!(file.lines().collect::<Vec<_>>(), masked_csv());
    assert_no_token(&file);

    let mut cmd = home.cmd();
    cmd.args(["campaigns", "details"]).args(RANGE).arg("csv");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), WARNING);
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), masked_csv());
    assert_no_token(&stdout(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_that_hold_no_credential_are_written_as_they_came() {
    // Near misses: a piece of the token too short to be it, and escapes of its characters
    // between characters that are not their neighbours in it.
    let server = strict_server().await;
    let near = format!("{} %2F9 https://cdn.example/a+b", &TOKEN[..8]);
    let body = json!({
        "data": [contact(0, &near)], "pagination": {"limit": 100, "offset": 0, "total": 1}
    })
    .to_string()
    // Every `/` JSON-escaped, as PHP's json_encode writes it.
    .replace('/', "\\/");
    assert!(body.contains("CANARY\\/d %2F9 https:\\/\\/cdn"), "{body}");
    get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=100&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
    .expect(1)
    .mount(&server)
    .await;
    let home = home_for(&server);
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "details"]).args(RANGE).arg("jsonl");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let row: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["response"], json!(near));
}
