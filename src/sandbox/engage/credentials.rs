//! The fake credentials the Engage sandbox accepts (re-exported from the sandbox's root).

/// Engage `X-Token` (the bot's fixed token) accepted by the sandbox.
pub const ENGAGE_BOT_TOKEN: &str = "sandbox-engage-bot-token";
/// Engage session JWT accepted by the sandbox: JWT-shaped (`{"alg":"none"}` header, a payload
/// naming the sandbox with an `exp` in 2100) but signed with nothing real.
pub const ENGAGE_JWT: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.\
eyJzdWIiOiJzYW5kYm94LWVuZ2FnZSIsImV4cCI6NDEwMjQ0NDgwMH0.sandbox-signature";

/// The profile fields the sandbox accepts, as (key, literal value), in the order of the
/// vendor's profile fields.
pub(crate) const CREDENTIALS: &[(&str, &str)] =
    &[("bot_token", ENGAGE_BOT_TOKEN), ("token", ENGAGE_JWT)];
