//! Word pools for generated texts. They are hard on purpose: accents, emoji, quotes, commas,
//! line breaks and spreadsheet-formula payloads (product.md, "Output contract": a client must
//! neutralise formulas in CSV and keep phone numbers exact), so clients meet them in tests.

use super::data::Draw;

const FIRST: &[&str] = &[
    "José",
    "María",
    "Zoë",
    "François",
    "Łukasz",
    "João",
    "Ana María",
    "Renée",
    "Søren",
    "Çağla",
    "Nuñez",
    "Luz 🌟",
    "Chloé",
    "Ignacio",
    "Björk",
    "Camila",
    "Dương",
    "Mateo",
    "Ángela",
    "Aisha",
];

const LAST: &[&str] = &[
    "Pérez",
    "Gómez",
    "Müller",
    "Núñez",
    "D'Angelo",
    "Ibáñez",
    "Castaño",
    "O'Brien",
    "Souza",
    "García-Márquez",
    "López",
    "Øvergaard",
    "Rodríguez",
    "Nguyễn",
    "Silva",
];

/// Names a spreadsheet would evaluate, or that break naive CSV/TSV (product.md neutralising).
const HOSTILE_NAMES: &[&str] = &[
    "=HYPERLINK(\"http://x\",\"y\")",
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
    "=1+1",
    "\t=cmd|' /C calc'!A0",
    "Pérez, \"Pepe\"",
    "Ana\nMaría",
    "Línea 1\r\nLínea 2",
    "tab\tseparated",
];

const RESPONSES: &[&str] = &[
    "Sí, me interesa",
    "STOP",
    "¿Cuánto cuesta?",
    "👍",
    "Quiero info, por favor",
    "=CMD()",
    "Llamar\nmañana",
    "Dijo \"hola\"",
    "No, gracias 🙅",
    "+57 300 123 4567",
    "¡Gracias! 😀🎉",
];

const ERRORS: &[&str] = &[
    "131026: Message undeliverable",
    "131047: Re-engagement message, more than 24 hours since the last reply",
    "131051: Unsupported message type",
    "131000: Something went wrong, \"retry\" later",
    "470: Message failed to send; the 24-hour window closed",
    "131049: Meta chose not to deliver (ecosystem engagement)",
];

const BOT_LINES: &[&str] = &[
    "¡Hola! ¿En qué te puedo ayudar? 😊",
    "Tu pedido #123 está en camino 🚚",
    "Elige una opción:\n1) Ventas\n2) Soporte",
    "Te transfiero con un agente…",
    "Gracias por escribirnos, \"Café ☕\" responde pronto.",
];

const USER_LINES: &[&str] = &[
    "Hola",
    "Quiero saber el precio, por favor",
    "=HYPERLINK(\"http://x\",\"y\")",
    "2",
    "¿Tienen envío a São Paulo?",
    "no me llegó 😡\nel pedido",
    "+SUM(1,2)",
];

const AGENT_LINES: &[&str] = &[
    "Hola, soy Ana del equipo de soporte.",
    "Ya revisé tu caso; el reembolso sale mañana.",
    "¿Me confirmas tu número, con indicativo (+57)?",
];

/// Tag names of Insider campaigns (their ids are 40 + position).
pub(crate) const TAGS: &[&str] = &["promo", "ab", "navidad", "onboarding", "otp", "survey"];

/// A WhatsApp number: digits with a country code, sometimes with a leading `+` (vendors.md
/// Part 1, "Every vendor": phone numbers are kept exactly as the vendor sends them).
pub(crate) fn phone(d: &mut Draw) -> String {
    let plus = if d.percent(15) { "+" } else { "" };
    match d.below(4) {
        0 | 1 => format!("{plus}573{:02}{:07}", d.below(30), d.below(10_000_000)),
        2 => format!("{plus}521{:010}", d.below(10_000_000_000)),
        _ => format!("{plus}55119{:08}", d.below(100_000_000)),
    }
}

/// A contact's name: mostly accented first and last names, sometimes hostile text.
pub(crate) fn person_name(d: &mut Draw) -> String {
    if d.percent(10) {
        return d.pick(HOSTILE_NAMES).to_string();
    }
    format!("{} {}", d.pick(FIRST), d.pick(LAST))
}

/// A contact's reply to a campaign.
pub(crate) fn response(d: &mut Draw) -> String {
    d.pick(RESPONSES).to_string()
}

/// A delivery error.
pub(crate) fn error_text(d: &mut Draw) -> String {
    d.pick(ERRORS).to_string()
}

/// A chat message of `sender` (`bot`, `user` or `agent`).
pub(crate) fn chat_line(d: &mut Draw, sender: &str) -> String {
    match sender {
        "bot" => d.pick(BOT_LINES),
        "agent" => d.pick(AGENT_LINES),
        _ => d.pick(USER_LINES),
    }
    .to_string()
}

/// A city, for Engati user attributes.
pub(crate) fn city(d: &mut Draw) -> &'static str {
    const CITIES: &[&str] = &[
        "Bogotá",
        "Medellín",
        "São Paulo",
        "Ciudad de México",
        "Zürich",
    ];
    d.pick(CITIES)
}
