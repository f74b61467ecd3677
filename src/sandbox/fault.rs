//! Latency and fault injection over every route (product.md, "The sandbox": 429 with
//! `Retry-After`, 5xx, resets, truncated bodies). Whether request number N fails, and how, is a
//! hash of (seed, N), so a run is reproducible for a given request order. Writes (POSTs to a
//! vendor whose sandbox declares them writes) only get faults that happen before processing
//! (429, 503), so a client that retries them never sends twice (vendors.md Part 1, "Every
//! vendor": retry reads only).
//!
//! The layer knows no vendor: what it needs of one (its error body for an injected status,
//! whether its POSTs are writes) it reads from the vendor's [`VendorSandbox`].

use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use super::data::{hash, mix};
use super::{Shared, VendorSandbox};

/// An injected error, for the vendor to put in its own error envelope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Injected {
    /// 429, 500 or 503.
    pub status: StatusCode,
    /// The status as an upper-case name (`TOO_MANY_REQUESTS`).
    pub name: &'static str,
    /// A short text (`too many requests, retry later`).
    pub message: &'static str,
}

impl Injected {
    pub(crate) fn new(status: StatusCode) -> Injected {
        let (name, message) = match status.as_u16() {
            429 => ("TOO_MANY_REQUESTS", "too many requests, retry later"),
            500 => ("INTERNAL_ERROR", "internal server error"),
            _ => ("SERVICE_UNAVAILABLE", "service temporarily unavailable"),
        };
        Injected {
            status,
            name,
            message,
        }
    }

    /// The numeric status (`429`).
    pub fn code(&self) -> u16 {
        self.status.as_u16()
    }
}

/// The kinds of injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// 429 with `Retry-After: 1` and the vendor's throttling body.
    TooMany,
    /// 500 with the vendor's error body.
    Internal,
    /// 503 with the vendor's error body.
    Unavailable,
    /// The connection is dropped before a response.
    Reset,
    /// 200 whose body stops short of its `Content-Length`.
    Truncated,
}

const READ_FAULTS: [Fault; 5] = [
    Fault::TooMany,
    Fault::Internal,
    Fault::Unavailable,
    Fault::Reset,
    Fault::Truncated,
];
const WRITE_FAULTS: [Fault; 2] = [Fault::TooMany, Fault::Unavailable];

/// Wraps one vendor's routes with latency and fault injection.
pub(crate) fn wrap(vendor: &'static VendorSandbox, routes: Router, st: Arc<Shared>) -> Router {
    routes.layer(middleware::from_fn_with_state((vendor, st), inject))
}

async fn inject(
    State((vendor, st)): State<(&'static VendorSandbox, Arc<Shared>)>,
    req: Request,
    next: Next,
) -> Response {
    if !st.options.latency.is_zero() {
        tokio::time::sleep(st.options.latency).await;
    }
    let rate = st.options.fault_rate;
    if rate <= 0.0 {
        return next.run(req).await;
    }
    let seq = st.fault_seq.fetch_add(1, Ordering::Relaxed);
    let h = hash(&[st.options.seed, 0xFA17, seq]);
    let draw = (h >> 11) as f64 / (1u64 << 53) as f64;
    if draw >= rate {
        return next.run(req).await;
    }
    let write = req.method() == Method::POST && vendor.posts_are_writes;
    let pool: &[Fault] = if write { &WRITE_FAULTS } else { &READ_FAULTS };
    let fault = pool[(mix(h) % pool.len() as u64) as usize];
    match fault {
        Fault::TooMany => {
            let mut r = error_response(vendor, StatusCode::TOO_MANY_REQUESTS);
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            r
        }
        Fault::Internal => error_response(vendor, StatusCode::INTERNAL_SERVER_ERROR),
        Fault::Unavailable => error_response(vendor, StatusCode::SERVICE_UNAVAILABLE),
        Fault::Reset => reset(),
        Fault::Truncated => truncate(next.run(req).await).await,
    }
}

/// The vendor's error body (its own envelope, vendors.md Part 1) for an injected status.
fn error_response(vendor: &VendorSandbox, status: StatusCode) -> Response {
    let body = (vendor.fault_body)(&Injected::new(status));
    (status, axum::Json(body)).into_response()
}

/// A response whose body fails before any byte: the server closes the connection without
/// sending a response, which the client sees as a reset.
fn reset() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, io::Error>(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "injected connection reset",
        ))
    });
    Response::new(Body::from_stream(stream))
}

/// The handler's response with its full `Content-Length` but only half its body, then a
/// failure, so the client sees a truncated body.
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let full = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = full.slice(..full.len() / 2);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        header::HeaderValue::from(full.len().max(1)),
    );
    // States: 0 sends the half, 1 fails, 2 ends.
    let stream = futures::stream::unfold(0u8, move |state| {
        let half = half.clone();
        async move {
            match state {
                0 => Some((Ok(half), 1)),
                1 => {
                    // Let the first half reach the socket before the failure closes it.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let e = io::Error::new(io::ErrorKind::UnexpectedEof, "injected truncated body");
                    Some((Err(e), 2))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
