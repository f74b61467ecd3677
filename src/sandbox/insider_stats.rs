//! Placeholder.

use std::sync::Arc;

use axum::Router;

use super::Shared;

/// The routes.
pub(crate) fn router(_st: Arc<Shared>) -> Router {
    Router::new()
}
