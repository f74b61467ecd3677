//! A certificate the client does not trust, or one out of its dates (issue 13): the error names the certificate problem
//! in rustls's words and the host, says how to trust a private CA (`SSL_CERT_FILE`), and is
//! exit 6 like every network failure; with `SSL_CERT_FILE` the same server is read. A local
//! HTTPS server (rustls) serves certificates of `fixtures/tls` (see `fixtures/README.md`).

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::support::{Home, stderr, stdout};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls");

/// An HTTPS server on 127.0.0.1 presenting `name`.pem (signed by the fixtures' CA) that answers
/// every request with an empty Engage campaign list; its port.
fn https_server(name: &str) -> u16 {
    let certs = vec![CertificateDer::from_pem_file(format!("{FIXTURES}/{name}.pem")).unwrap()];
    let key = PrivateKeyDer::from_pem_file(format!("{FIXTURES}/{name}.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => request.push(byte[0]),
                    _ => break,
                }
            }
            if request.ends_with(b"\r\n\r\n") {
                let body = br#"{"data":[]}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes());
                let _ = tls.write_all(body);
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        }
    });
    port
}

/// `campaigns list -f json` against `https://host:port`, trusting `ca` (a PEM file of
/// `fixtures/tls`) with `SSL_CERT_FILE` when given.
fn list(port: u16, host: &str, ca: Option<&str>) -> std::process::Output {
    let home = Home::new();
    home.engage_config(&format!("https://{host}:{port}"));
    let mut cmd = home.cmd();
    if let Some(ca) = ca {
        cmd.env("SSL_CERT_FILE", format!("{FIXTURES}/{ca}"));
    }
    cmd.args(["campaigns", "list", "-f", "json"])
        .output()
        .unwrap()
}

#[test]
fn an_unknown_issuer_is_named_with_the_host_and_how_to_trust_a_private_ca() {
    let port = https_server("loopback");
    let out = list(port, "127.0.0.1", None);
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engage GET /campaigns failed: the TLS certificate of 127.0.0.1 was not accepted (invalid peer certificate: UnknownIssuer).\n\
         hint: if 127.0.0.1 uses a private certificate authority, trust it with SSL_CERT_FILE=/path/to/ca.pem (PEM); otherwise check the profile's base_url and the system clock\n"
    );
}

#[test]
fn the_same_server_is_read_once_its_ca_is_trusted_with_ssl_cert_file() {
    let port = https_server("loopback");
    let out = list(port, "127.0.0.1", Some("ca.pem"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}

#[test]
fn a_certificate_for_another_name_says_so() {
    let port = https_server("other");
    let out = list(port, "127.0.0.1", Some("ca.pem"));
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err,
        "wa-analytics: error: Engage GET /campaigns failed: the TLS certificate of 127.0.0.1 was not accepted (invalid peer certificate: certificate not valid for name \"127.0.0.1\"; certificate is only valid for DnsName(\"other.invalid\")).\n\
         hint: if 127.0.0.1 uses a private certificate authority, trust it with SSL_CERT_FILE=/path/to/ca.pem (PEM); otherwise check the profile's base_url and the system clock\n"
    );
}

#[test]
fn an_expired_certificate_says_it_expired_and_is_not_retried() {
    // Signed by its own CA (`expired-ca.pem`, trusted here), valid 2020-01-01 to 2021-01-01.
    let port = https_server("expired");
    let out = list(port, "127.0.0.1", Some("expired-ca.pem"));
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engage GET /campaigns failed: the TLS certificate of 127.0.0.1 was not accepted (invalid peer certificate: it expired at 2021-01-01 00:00:00 UTC).\n\
         hint: if 127.0.0.1 uses a private certificate authority, trust it with SSL_CERT_FILE=/path/to/ca.pem (PEM); otherwise check the profile's base_url and the system clock\n"
    );
}
