//! The built-in simulator of the five vendor APIs on loopback (product.md, "The sandbox"),
//! following shared/vendors.md Part 1 (and Part 2 where Part 1 defers to it).

use std::net::SocketAddr;
use std::time::Duration;

use crate::provider::Vendor;

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
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            port: 0,
            seed: 1,
            rows: 500,
            latency: Duration::ZERO,
            fault_rate: 0.0,
        }
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    _private: (),
}

impl Sandbox {
    /// Binds 127.0.0.1:`port` and serves in the background on the current tokio runtime.
    pub async fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
        let _ = options;
        todo!("sandbox helper")
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        todo!("sandbox helper")
    }

    /// The base URL of one vendor (`http://127.0.0.1:PORT/engage`).
    pub fn base_url(&self, vendor: Vendor) -> String {
        todo!("sandbox helper: {vendor:?}")
    }

    /// A ready-to-paste config file with one profile per vendor (named after the vendor), with
    /// the sandbox's credentials as literals and `default_profile = "engage"`.
    pub fn config_toml(&self) -> String {
        todo!("sandbox helper")
    }
}
