//! The vendor table: which vendors exist, their ids and names, their documented base URLs and the
//! fields a profile of each holds. A leaf: it imports nothing of the crate, so the config, the
//! sandbox and the providers all read it without depending on each other.

use std::fmt;

/// The vendors wa-analytics knows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum, strum::EnumIter,
)]
pub enum Vendor {
    /// Engage (Aivo / agentbot) campaign analytics.
    Engage,
    /// Engati bot platform.
    Engati,
    /// Insider One WhatsApp campaign analytics.
    Insider,
    /// Wolkvox contact-centre reports.
    Wolkvox,
    /// Engagive WhatsApp Business Platform.
    Engagive,
}

/// A field a profile of a vendor may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileField {
    /// The key in the config file (`bot_token`); the env variable is `WA_<VENDOR>_<KEY>`.
    pub key: &'static str,
    /// A credential: literal, `{ env = … }` or `{ command = … }`, held as a secret.
    pub secret: bool,
    /// Must be present (fields of an either-or group are checked by the provider instead).
    pub required: bool,
    /// What it is, for error messages.
    pub about: &'static str,
}

impl Vendor {
    /// Every vendor, in display order (the enum's order: the derive keeps the list complete).
    pub fn all() -> impl Iterator<Item = Vendor> {
        <Vendor as strum::IntoEnumIterator>::iter()
    }

    /// The config and CLI spelling (`engage`).
    pub fn id(self) -> &'static str {
        match self {
            Vendor::Engage => "engage",
            Vendor::Engati => "engati",
            Vendor::Insider => "insider",
            Vendor::Wolkvox => "wolkvox",
            Vendor::Engagive => "engagive",
        }
    }

    /// The name people know (`Engage`).
    pub fn display_name(self) -> &'static str {
        match self {
            Vendor::Engage => "Engage",
            Vendor::Engati => "Engati",
            Vendor::Insider => "Insider",
            Vendor::Wolkvox => "Wolkvox",
            Vendor::Engagive => "Engagive",
        }
    }

    /// Parses the config spelling.
    pub fn from_id(s: &str) -> Option<Vendor> {
        Vendor::all().find(|v| v.id() == s)
    }

    /// The vendor-specific fields of a profile (product.md, "Configuration"); every profile may
    /// also hold the [`COMMON_PROFILE_FIELDS`].
    pub fn profile_fields(self) -> &'static [ProfileField] {
        const fn f(
            key: &'static str,
            secret: bool,
            required: bool,
            about: &'static str,
        ) -> ProfileField {
            ProfileField {
                key,
                secret,
                required,
                about,
            }
        }
        const ENGAGE: &[ProfileField] = &[
            f(
                "bot_token",
                true,
                true,
                "the bot's fixed token, sent as X-Token",
            ),
            f(
                "token",
                true,
                true,
                "the user's session JWT, sent as Authorization: Bearer",
            ),
        ];
        const ENGATI: &[ProfileField] = &[
            f(
                "api_key",
                true,
                true,
                "the API key, sent as Authorization: Basic <key>",
            ),
            f(
                "customer_id",
                false,
                true,
                "the customer id (CID) in every path",
            ),
            f("bot_key", false, true, "the bot key in every path"),
        ];
        const INSIDER: &[ProfileField] = &[
            f(
                "client_id",
                false,
                false,
                "OAuth 2.0 client id (with client_secret)",
            ),
            f(
                "client_secret",
                true,
                false,
                "OAuth 2.0 client secret (with client_id)",
            ),
            f("token", true, false, "a ready OAuth 2.0 bearer token"),
            f(
                "api_key",
                true,
                false,
                "a v1 API key, sent as x-ins-auth-key",
            ),
        ];
        const WOLKVOX: &[ProfileField] = &[
            f(
                "server",
                false,
                false,
                "the operation's server number (wv<server>.wolkvox.com)",
            ),
            f("token", true, true, "the API token, sent as wolkvox-token"),
        ];
        const ENGAGIVE: &[ProfileField] = &[
            f(
                "account_id",
                false,
                true,
                "the WhatsApp account id from the HTTP API tab",
            ),
            f(
                "token",
                true,
                true,
                "the API access token, sent as Authorization: Bearer",
            ),
        ];
        match self {
            Vendor::Engage => ENGAGE,
            Vendor::Engati => ENGATI,
            Vendor::Insider => INSIDER,
            Vendor::Wolkvox => WOLKVOX,
            Vendor::Engagive => ENGAGIVE,
        }
    }

    /// The documented base URL (`base_url` overrides it; Wolkvox's depends on `server`).
    pub fn default_base_url(self) -> &'static str {
        match self {
            Vendor::Engage => "https://analytics-engage.agentbot.net",
            Vendor::Engati => "https://api.engati.com",
            Vendor::Insider => "https://gw.api.insidethekube.com",
            Vendor::Wolkvox => "https://wv{server}.wolkvox.com/api/v2",
            Vendor::Engagive => "https://stage.api.engagive.io/api/business/public",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// Keys every profile may hold, whatever its vendor.
pub const COMMON_PROFILE_FIELDS: &[ProfileField] = &[
    ProfileField {
        key: "provider",
        secret: false,
        required: true,
        about: "the vendor",
    },
    ProfileField {
        key: "base_url",
        secret: false,
        required: false,
        about: "the vendor's address (proxies, the sandbox, tests)",
    },
    ProfileField {
        key: "timezone",
        secret: false,
        required: false,
        about: "the zone dates without an offset are read in",
    },
    ProfileField {
        key: "concurrency",
        secret: false,
        required: false,
        about: "requests in flight at once, within the vendor's limit",
    },
    ProfileField {
        key: "command_timeout",
        secret: false,
        required: false,
        about: "seconds a { command = … } secret may take (default 30)",
    },
];
