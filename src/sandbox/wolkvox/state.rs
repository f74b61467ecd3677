//! Wolkvox's mutable state: the tokens with a request in flight (vendors.md Part 1: one at a
//! time per token).

use std::collections::HashSet;
use std::sync::Mutex;

/// What the Wolkvox sandbox remembers between requests (held in the sandbox's `Shared`).
#[derive(Debug, Default)]
pub(crate) struct VendorState {
    /// Tokens with a request in flight.
    busy: Mutex<HashSet<String>>,
}

impl VendorState {
    /// Marks `token` busy until the returned guard drops; `None` if it already is.
    pub(super) fn claim(&self, token: &str) -> Option<Busy<'_>> {
        let fresh = self
            .busy
            .lock()
            .map(|mut set| set.insert(token.to_string()))
            .unwrap_or(false);
        fresh.then(|| Busy {
            state: self,
            token: token.to_string(),
        })
    }
}

/// Marks a token busy until dropped.
pub(super) struct Busy<'a> {
    state: &'a VendorState,
    token: String,
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.state.busy.lock() {
            set.remove(&self.token);
        }
    }
}
