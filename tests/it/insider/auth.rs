//! OAuth minting, caching and renewal, a ready token, the v1 API key, and canary secrets.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::support::{Home, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn a_401_mints_once_more_and_retries_once_and_a_second_401_is_exit_4() {
    let server = strict_server().await;
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
    let server = strict_server().await;
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
        let server = strict_server().await;
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
async fn an_api_key_goes_to_the_v1_paths_as_x_ins_auth_key_and_a_token_as_bearer_without_minting() {
    let server = strict_server().await;
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
    let server = strict_server().await;
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
    let server = strict_server().await;
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

    let server = strict_server().await;
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
    let server = strict_server().await;
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
    let elsewhere = strict_server().await;
    let server = strict_server().await;
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
async fn provider_insider_reads_its_credentials_from_variables_and_keeps_them_secret() {
    let server = strict_server().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(body_json(json!({"client_id": "client-env", "client_secret": CANARIES[0], "scopes": ["wa-stats-api"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": CANARIES[3], "token_type": "Bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    v2("campaign", CANARIES[3], json!({"campaign_id": 8}))
        .respond_with(ok(fixture("campaign.json")))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    cmd.env("WA_INSIDER_CLIENT_ID", "client-env")
        .env("WA_INSIDER_CLIENT_SECRET", CANARIES[0])
        .env("WA_INSIDER_BASE_URL", server.uri())
        .args([
            "-vv",
            "--provider",
            "insider",
            "campaigns",
            "summary",
            "8",
            "-f",
            "csv",
        ])
        .args(["--fields", "id,sent"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "id,sent\n8,1200\n");
    assert!(
        stderr(&out).contains("authorization: ***"),
        "{}",
        stderr(&out)
    );
    assert_clean(&stderr(&out), &[CANARIES[0], CANARIES[3]]);
}
