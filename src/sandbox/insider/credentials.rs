//! The fake credentials the Insider sandbox accepts (re-exported from the sandbox's root).

/// Insider OAuth 2.0 client id (exchange at `/auth/token` with [`INSIDER_CLIENT_SECRET`]).
pub const INSIDER_CLIENT_ID: &str = "sandbox-insider-client";
/// Insider OAuth 2.0 client secret.
pub const INSIDER_CLIENT_SECRET: &str = "sandbox-insider-secret";
/// A ready Insider bearer token that never expires (for profiles that hold `token`).
pub const INSIDER_TOKEN: &str = "sandbox-insider-static-token";
/// Insider v1 API key (`x-ins-auth-key`).
pub const INSIDER_API_KEY: &str = "INS.sandbox";

/// The profile fields the sandbox accepts, as (key, literal value), in the order of the
/// vendor's profile fields: the OAuth pair only (a profile holds one either-or choice);
/// [`INSIDER_TOKEN`] and [`INSIDER_API_KEY`] work too.
pub(crate) const CREDENTIALS: &[(&str, &str)] = &[
    ("client_id", INSIDER_CLIENT_ID),
    ("client_secret", INSIDER_CLIENT_SECRET),
];
