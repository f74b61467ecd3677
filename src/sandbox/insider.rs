//! Placeholder.

use std::sync::Arc;

use axum::Router;

use super::Shared;

/// Minted tokens.
#[derive(Debug, Default)]
pub(crate) struct TokenBook;

/// The routes.
pub(crate) fn router(_st: Arc<Shared>) -> Router {
    Router::new()
}
