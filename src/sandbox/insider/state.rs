//! Insider's mutable state: the OAuth tokens `/auth/token` mints (at most
//! [`MINTS_PER_MINUTE`] a minute, each live for [`TOKEN_TTL`]) and campaign-list's lifetime
//! counts, counted once.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{MINTS_PER_MINUTE, TOKEN_TTL};
use crate::sandbox::data::hash;

/// What the Insider sandbox remembers between requests (held in the sandbox's `Shared`).
#[derive(Debug, Default)]
pub(crate) struct VendorState {
    /// The OAuth tokens minted by `/auth/token`.
    tokens: Mutex<TokenBook>,
    /// Lifetime `sent` per campaign for campaign-list, counted once on first use.
    pub(super) lifetime_sent: OnceLock<Vec<u64>>,
}

/// The OAuth tokens minted so far, and the recent mint times for the per-minute limit.
#[derive(Debug, Default)]
struct TokenBook {
    minted: HashMap<String, Instant>,
    recent: VecDeque<Instant>,
    count: u64,
}

/// Why no token was minted.
pub(super) enum MintRefused {
    /// The book's lock is poisoned.
    Broken,
    /// [`MINTS_PER_MINUTE`] were minted within the last minute; retry after this many seconds.
    TooMany(u64),
}

impl VendorState {
    /// Whether `token` was minted here and has not expired.
    pub(super) fn is_live(&self, token: &str) -> bool {
        self.tokens
            .lock()
            .map(|book| {
                book.minted
                    .get(token)
                    .is_some_and(|at| at.elapsed() < TOKEN_TTL)
            })
            .unwrap_or(false)
    }

    /// Mints a token (its text numbered and keyed by `seed`), within the per-minute limit.
    pub(super) fn mint(&self, seed: u64) -> Result<String, MintRefused> {
        let Ok(mut book) = self.tokens.lock() else {
            return Err(MintRefused::Broken);
        };
        let now = Instant::now();
        while book
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            book.recent.pop_front();
        }
        if book.recent.len() >= MINTS_PER_MINUTE {
            let wait = 60
                - book
                    .recent
                    .front()
                    .map_or(0, |t| now.duration_since(*t).as_secs());
            return Err(MintRefused::TooMany(wait.max(1)));
        }
        book.recent.push_back(now);
        book.count += 1;
        let access = format!(
            "sandbox-insider-oauth-{}-{:016x}",
            book.count,
            hash(&[seed, book.count])
        );
        book.minted.insert(access.clone(), now);
        Ok(access)
    }
}
