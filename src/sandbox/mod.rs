//! The built-in simulator of the five vendor APIs on loopback (product.md, "The sandbox"),
//! following shared/vendors.md Part 1 (and Part 2 where Part 1 defers to it).
//!
//! Every vendor is served under its own prefix (`/engage`, `/engati`, `/insider`, `/wolkvox`,
//! `/engagive`); the prefix plays the role of the vendor's documented base URL, so a profile with
//! `base_url = "http://127.0.0.1:PORT/engage"` talks to the simulated Engage. Data is generated on
//! demand from the seed (see `data.rs`), never held in memory, so `rows` may be in the millions.
//!
//! The layout mirrors `src/provider/`: one folder per vendor, and vendor-agnostic plumbing here.
//!
//! - `mod.rs` (this file): [`Sandbox`], [`SandboxOptions`], start and stop, the state handlers
//!   share ([`Shared`]), and the router, assembled from the vendors' [`VendorSandbox`]es.
//! - `fault.rs`: the latency and fault-injection layer over every vendor's routes; it asks the
//!   vendor's [`VendorSandbox`] for its error body and whether its POSTs are writes.
//! - `data.rs` (the seeded generator: campaigns, rows, draws), `text.rs` (word pools),
//!   `util.rs` (query parameters, JSON responses, time formats): shared by the vendors.
//! - `tests/`: the shared test helpers, the server's tests and the registry's.
//! - `<vendor>/` (`engage/`, `engati/`, `insider/`, `wolkvox/`, `engagive/`): `mod.rs` with the
//!   vendor's `SANDBOX` (its [`VendorSandbox`]: routes, error body for injected faults, write
//!   rule, data salt) and its routes; `credentials.rs` with the fake credentials it accepts
//!   (re-exported here); `state.rs` when its rules need memory between requests (a field of
//!   [`Shared`]); `tests.rs`; and further files as it needs (`engati/write.rs`,
//!   `insider/list.rs`, `insider/stats.rs`, `engagive/data.rs`, `engagive/send.rs`). Vendor
//!   folders use the shared modules, never each other.
//!
//! A new vendor's sandbox is one folder `<vendor>/` like those, declaring its `SANDBOX` with a
//! salt of its own, plus one line in [`vendor_sandbox`] (the compiler asks for it: the match
//! over `Vendor` is exhaustive), its `pub use` of credentials, and a field in [`Shared`] if it
//! keeps state.

// Handlers answer early with a ready `Response` (`Result<T, Response>` and `?`), the axum idiom;
// the size of that error does not matter on a simulator's request path.
#![allow(clippy::result_large_err)]

mod data;
mod engage;
mod engagive;
mod engati;
mod fault;
mod insider;
mod text;
mod util;
mod wolkvox;

#[cfg(test)]
mod tests;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use axum::Router;
use chrono::{DateTime, Days, Utc};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::vendor::Vendor;

pub use engage::credentials::{ENGAGE_BOT_TOKEN, ENGAGE_JWT};
pub use engagive::credentials::{ENGAGIVE_ACCOUNT_ID, ENGAGIVE_FAILING_NUMBER, ENGAGIVE_TOKEN};
pub use engati::credentials::{ENGATI_API_KEY, ENGATI_BOT_KEY, ENGATI_CUSTOMER_ID};
pub use insider::credentials::{
    INSIDER_API_KEY, INSIDER_CLIENT_ID, INSIDER_CLIENT_SECRET, INSIDER_TOKEN,
};
pub use wolkvox::credentials::WOLKVOX_TOKEN;

/// How long the generated data reaches back from its end (`Sandbox::data_span`).
pub const DATA_SPAN_DAYS: u64 = 400;

/// How the sandbox behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed of the generated data and of fault injection.
    pub seed: u64,
    /// Contacts per campaign.
    pub rows: u64,
    /// Latency added to every response.
    pub latency: Duration,
    /// Fraction of requests (0.0–1.0) answered with an injected fault.
    pub fault_rate: f64,
    /// Answers that differ from the documented ones, to test how the tool reads them.
    pub variants: Vec<Variant>,
    /// The zone of the Wolkvox operation (its times are wall-clock times there); the printed
    /// config gives the Wolkvox profile `timezone = …` when it is not UTC.
    pub wolkvox_zone: crate::time::Zone,
}

/// An answer the sandbox can give instead of the documented one (`sandbox --variant …`), so that
/// end-to-end tests cover what real accounts may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    /// Engage summaries give their rates as fractions of 1 (0.6667) instead of percentages.
    FractionRates,
    /// Summaries and stats answer with fields of another schema (`sent_count`, `read_count`, …)
    /// instead of the documented ones.
    UnknownSchema,
    /// Summaries and stats count more delivered than sent (a counter that drifted).
    BrokenInvariants,
}

impl SandboxOptions {
    /// Whether the sandbox gives `variant`.
    pub fn has(&self, variant: Variant) -> bool {
        self.variants.contains(&variant)
    }
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            port: 0,
            seed: 1,
            rows: 500,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            variants: Vec::new(),
            wolkvox_zone: crate::time::Zone::UTC,
        }
    }
}

/// What every handler shares: the options, the generator, the fault counter, and the state of
/// the vendors whose rules need some (each type lives in its vendor's `state.rs`).
pub(crate) struct Shared {
    pub options: SandboxOptions,
    pub data: data::Data,
    /// Sequence number of requests, the input of the fault decision.
    pub fault_seq: AtomicU64,
    /// Minted OAuth tokens, campaign-list's lifetime counts.
    pub insider: insider::VendorState,
    /// Tokens with a request in flight.
    pub wolkvox: wolkvox::VendorState,
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("options", &self.shared.options)
            .finish()
    }
}

impl Sandbox {
    /// Binds 127.0.0.1:`port` and serves in the background on the current tokio runtime.
    ///
    /// The data span ends at the next UTC midnight (today + 1 day), so the default "last 30
    /// days" range of the CLI shows campaigns; the data is the same for a given seed and day.
    pub async fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
        let today = Utc::now().date_naive();
        let end = (today + Days::new(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        Sandbox::start_anchored(options, end).await
    }

    /// Like [`Sandbox::start`], but with the generated data ending at `data_end` (normally a UTC
    /// midnight) instead of the next midnight: the same seed and anchor give the same bytes on
    /// any day, for golden tests.
    pub async fn start_anchored(
        options: SandboxOptions,
        data_end: DateTime<Utc>,
    ) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            data: data::Data::new(options.seed, options.rows, data_end),
            options,
            fault_seq: AtomicU64::new(0),
            insider: insider::VendorState::default(),
            wolkvox: wolkvox::VendorState::default(),
        });
        let app = router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            // An accept error ends the server; nothing useful can be done with it here.
            let _ = serve.await;
        });
        Ok(Sandbox {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of one vendor (`http://127.0.0.1:PORT/engage`).
    ///
    /// For Insider it serves both the OAuth host's paths (`/auth/token`, `/api/wa/v2/…`) and the
    /// API-key host's (`/v1/statistics/…`); for Wolkvox it stands for
    /// `https://wv{server}.wolkvox.com/api/v2`.
    pub fn base_url(&self, vendor: Vendor) -> String {
        format!("http://{}/{}", self.addr, vendor.id())
    }

    /// The options the sandbox runs with.
    pub fn options(&self) -> &SandboxOptions {
        &self.shared.options
    }

    /// The generated data's time span: `[start, end)`, [`DATA_SPAN_DAYS`] long.
    pub fn data_span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        self.shared.data.span()
    }

    /// The names of the generated campaigns (the same list for Engage, Insider and Wolkvox; all
    /// vendors' rows differ). Some are hard on purpose: `/`, `%`, `?`, `#`, quotes, emoji.
    pub fn campaign_names() -> Vec<&'static str> {
        data::CAMPAIGNS.iter().map(|c| c.name).collect()
    }

    /// The profile fields the sandbox accepts for `vendor`, as (key, literal value), in the
    /// order of `Vendor::profile_fields()`. Insider lists the OAuth pair only (the profile holds
    /// one either-or choice); [`INSIDER_TOKEN`] and [`INSIDER_API_KEY`] work too.
    pub fn credentials(vendor: Vendor) -> Vec<(&'static str, &'static str)> {
        vendor_sandbox(vendor).credentials.to_vec()
    }

    /// A ready-to-paste config file with one profile per vendor (named after the vendor), with
    /// the sandbox's credentials as literals and `default_profile = "engage"`.
    pub fn config_toml(&self) -> String {
        let o = &self.shared.options;
        let mut out = format!(
            "# wa-analytics sandbox on http://{} — generated data (seed {}, {} rows per campaign);\n\
             # the credentials below are fake and work only against this sandbox.\n\
             default_profile = \"engage\"\n",
            self.addr, o.seed, o.rows
        );
        for vendor in Vendor::all() {
            out.push_str(&format!("\n[profiles.{}]\n", vendor.id()));
            out.push_str(&format!("provider = {}\n", util::toml_str(vendor.id())));
            out.push_str(&format!(
                "base_url = {}\n",
                util::toml_str(&self.base_url(vendor))
            ));
            let creds = Sandbox::credentials(vendor);
            for field in vendor.profile_fields() {
                if let Some((key, value)) = creds.iter().find(|(k, _)| *k == field.key) {
                    out.push_str(&format!("{key} = {}\n", util::toml_str(value)));
                }
            }
            for (key, value) in (vendor_sandbox(vendor).profile_keys)(o) {
                out.push_str(&format!("{key} = {}\n", util::toml_str(&value)));
            }
        }
        out
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // Open keep-alive connections could hold a graceful stop; don't wait for them long
            // (on time-out the task is detached and ends with its connections).
            let _ = tokio::time::timeout(Duration::from_secs(2), task).await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// What the shared plumbing (the router, the fault layer, the config) needs of one vendor's
/// sandbox. Each vendor's folder declares one (`<vendor>::SANDBOX`), registered in
/// [`vendor_sandbox`].
pub(crate) struct VendorSandbox {
    /// The vendor; its id is the path prefix (`/engage`).
    pub vendor: Vendor,
    /// The salt of the vendor's generated rows ([`data::Data::key`]), distinct per vendor.
    pub salt: data::Salt,
    /// The vendor's routes, which the fault/latency layer wraps.
    pub routes: fn(Arc<Shared>) -> Router,
    /// A layer outside the fault/latency layer, if the vendor has one (Wolkvox's one request
    /// in flight per token holds through injected latency and faults).
    pub outer: Option<fn(Router, Arc<Shared>) -> Router>,
    /// The vendor's error body for an injected 429, 500 or 503.
    pub fault_body: fn(&fault::Injected) -> serde_json::Value,
    /// Whether the vendor's POSTs are writes, which only get faults that happen before
    /// processing (fault.rs).
    pub posts_are_writes: bool,
    /// The profile fields the sandbox accepts ([`Sandbox::credentials`]).
    pub credentials: &'static [(&'static str, &'static str)],
    /// Further keys of the printed profile that follow from the options (Wolkvox: the
    /// operation's `timezone`), as (key, value).
    pub profile_keys: fn(&SandboxOptions) -> Vec<(&'static str, String)>,
}

/// No profile keys beyond the credentials ([`VendorSandbox::profile_keys`]).
pub(crate) fn no_profile_keys(_: &SandboxOptions) -> Vec<(&'static str, String)> {
    Vec::new()
}

impl VendorSandbox {
    /// The vendor's routes with the fault/latency layer (and its outer layer, if any).
    fn serve(&'static self, shared: Arc<Shared>) -> Router {
        let routes = fault::wrap(self, (self.routes)(shared.clone()), shared.clone());
        match self.outer {
            Some(outer) => outer(routes, shared),
            None => routes,
        }
    }
}

/// Every vendor's sandbox, one line each (the match is exhaustive: a new vendor cannot be left
/// out).
pub(crate) fn vendor_sandbox(vendor: Vendor) -> &'static VendorSandbox {
    match vendor {
        Vendor::Engage => &engage::SANDBOX,
        Vendor::Engati => &engati::SANDBOX,
        Vendor::Insider => &insider::SANDBOX,
        Vendor::Wolkvox => &wolkvox::SANDBOX,
        Vendor::Engagive => &engagive::SANDBOX,
    }
}

/// Every vendor under its prefix, each with its fault/latency layer.
fn router(shared: Arc<Shared>) -> Router {
    Vendor::all()
        .map(vendor_sandbox)
        .fold(Router::new(), |app, v| {
            app.nest(&format!("/{}", v.vendor.id()), v.serve(shared.clone()))
        })
}

/// The end of the data span for `start`: the next UTC midnight.
#[cfg(test)]
pub(crate) fn next_midnight() -> DateTime<Utc> {
    (Utc::now().date_naive() + Days::new(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}
