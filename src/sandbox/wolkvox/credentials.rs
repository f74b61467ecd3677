//! The fake credentials the Wolkvox sandbox accepts (re-exported from the sandbox's root).

/// Wolkvox `wolkvox-token`.
pub const WOLKVOX_TOKEN: &str = "sandbox-wolkvox-token";

/// The profile fields the sandbox accepts, as (key, literal value), in the order of the
/// vendor's profile fields (`server` is optional: the sandbox's base URL stands for any).
pub(crate) const CREDENTIALS: &[(&str, &str)] = &[("token", WOLKVOX_TOKEN)];
