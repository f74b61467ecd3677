//! The fake credentials the Engagive sandbox accepts (re-exported from the sandbox's root), and
//! the recipient whose sends always fail.

/// Engagive WhatsApp account id (the `{account_id}` path segment).
pub const ENGAGIVE_ACCOUNT_ID: &str = "sandbox-account-1";
/// Engagive API access token (`Authorization: Bearer`).
pub const ENGAGIVE_TOKEN: &str = "sandbox-engagive-token";
/// An Engagive recipient for which every send fails with 502 and a `metaResponse` error, so
/// clients can exercise that path (also accepted without the `+`).
pub const ENGAGIVE_FAILING_NUMBER: &str = "+00000000000";

/// The profile fields the sandbox accepts, as (key, literal value), in the order of the
/// vendor's profile fields.
pub(crate) const CREDENTIALS: &[(&str, &str)] = &[
    ("account_id", ENGAGIVE_ACCOUNT_ID),
    ("token", ENGAGIVE_TOKEN),
];
