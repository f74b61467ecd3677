//! The fake credentials the Engati sandbox accepts (re-exported from the sandbox's root).

/// Engati API key (`Authorization: Basic <key>`, sent raw).
pub const ENGATI_API_KEY: &str = "00000000-0000-0000-0000-000000000000-SANDBOX";
/// Engati customer id (CID) of the sandbox's bot.
pub const ENGATI_CUSTOMER_ID: &str = "10294";
/// Engati bot key of the sandbox's bot.
pub const ENGATI_BOT_KEY: &str = "1a1c9bfa5e0f41ed";

/// The profile fields the sandbox accepts, as (key, literal value), in the order of the
/// vendor's profile fields.
pub(crate) const CREDENTIALS: &[(&str, &str)] = &[
    ("api_key", ENGATI_API_KEY),
    ("customer_id", ENGATI_CUSTOMER_ID),
    ("bot_key", ENGATI_BOT_KEY),
];
