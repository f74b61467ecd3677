//! The Engagive sandbox's template catalogue: [`TEMPLATE_COUNT`] templates (so paging at the
//! 100-per-page maximum matters), the first ones fixed and hard on purpose — the documented
//! `order_shipped`, codes that need percent-encoding (`%`, `/`, `#`, `?`, space, non-ASCII),
//! names with formula payloads, quotes and line breaks — the rest drawn from the seed. Each
//! template has contents in one to three languages whose texts hold `{{1}}`… placeholders, and
//! the lookups (categories, their options, content languages) are fixed tables.

use crate::sandbox::Shared;
use crate::sandbox::data::Draw;

/// How many templates the account has.
pub(crate) const TEMPLATE_COUNT: u64 = 137;

/// A lookup entry: (code, label).
pub(crate) type Lookup = (&'static str, &'static str);

/// Template categories (code, label) and their options (vendors.md Part 2 §5.3 lookups).
pub(crate) const CATEGORIES: &[(&str, &str, &[Lookup])] = &[
    (
        "MARKETING",
        "Marketing",
        &[
            ("STANDARD", "Standard message"),
            ("CATALOG", "Catalog message"),
            ("FLOWS", "Flows message"),
            ("ORDER_DETAILS", "Order details message"),
        ],
    ),
    (
        "UTILITY",
        "Utility",
        &[
            ("STANDARD", "Standard message"),
            ("ORDER_STATUS", "Order status message"),
            ("FLOWS", "Flows message"),
        ],
    ),
    (
        "AUTHENTICATION",
        "Authentication",
        &[("ONE_TIME_PASSWORD", "One-time passcode")],
    ),
];

/// The languages WhatsApp templates may be written in (Meta's codes; `en`, `en_US` as in
/// vendors.md Part 2 §5.3), in the order the lookup lists them.
pub(crate) const LANGUAGES: &[Lookup] = &[
    ("af", "Afrikaans"),
    ("sq", "Albanian"),
    ("ar", "Arabic"),
    ("az", "Azerbaijani"),
    ("bn", "Bengali"),
    ("bg", "Bulgarian"),
    ("ca", "Catalan"),
    ("zh_CN", "Chinese (CHN)"),
    ("zh_HK", "Chinese (HKG)"),
    ("zh_TW", "Chinese (TAI)"),
    ("hr", "Croatian"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("nl", "Dutch"),
    ("en", "English"),
    ("en_GB", "English (UK)"),
    ("en_US", "English (US)"),
    ("et", "Estonian"),
    ("fil", "Filipino"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("ka", "Georgian"),
    ("de", "German"),
    ("el", "Greek"),
    ("gu", "Gujarati"),
    ("ha", "Hausa"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("ga", "Irish"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("kn", "Kannada"),
    ("kk", "Kazakh"),
    ("ko", "Korean"),
    ("lo", "Lao"),
    ("lv", "Latvian"),
    ("lt", "Lithuanian"),
    ("mk", "Macedonian"),
    ("ms", "Malay"),
    ("ml", "Malayalam"),
    ("mr", "Marathi"),
    ("nb", "Norwegian"),
    ("fa", "Persian"),
    ("pl", "Polish"),
    ("pt_BR", "Portuguese (BR)"),
    ("pt_PT", "Portuguese (POR)"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sr", "Serbian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("es", "Spanish"),
    ("es_AR", "Spanish (ARG)"),
    ("es_ES", "Spanish (SPA)"),
    ("es_MX", "Spanish (MEX)"),
    ("sw", "Swahili"),
    ("sv", "Swedish"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("uz", "Uzbek"),
    ("vi", "Vietnamese"),
    ("zu", "Zulu"),
];

/// One template with its contents.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub id: u64,
    pub code: String,
    pub name: String,
    pub category: &'static str,
    pub option: &'static str,
    pub status: &'static str,
    /// `(content id, lang_code, text)`; every text has the same placeholders `{{1}}`…
    pub contents: Vec<(u64, &'static str, String)>,
    /// How many `{{n}}` placeholders each content text holds.
    pub params: usize,
}

impl Template {
    /// Whether the template's contents are drafts (not yet submitted to Meta).
    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }
}

/// (code, name, category, option, status, [(lang, text)]): the fixed, hard templates first.
type Fixed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const FIXED: &[Fixed] = &[
    (
        "order_shipped",
        "Order shipped",
        "UTILITY",
        "STANDARD",
        "approved",
        &[
            ("en", "Hi {{1}}, your order is on the way!"),
            ("en_US", "Hi {{1}}, your order is on the way!"),
            ("es", "Hola {{1}}, ¡tu pedido va en camino! 🚚"),
        ],
    ),
    (
        "hello_world",
        "Hello world",
        "UTILITY",
        "STANDARD",
        "approved",
        &[("en_US", "Hello World")],
    ),
    (
        "promo_50%_off",
        "Promo 50% off — Black Friday",
        "MARKETING",
        "STANDARD",
        "approved",
        &[
            ("es", "¡{{1}}, 50% de descuento! Usa el código {{2}} 🎉"),
            ("pt_BR", "{{1}}, 50% de desconto! Use o código {{2}} 🎉"),
        ],
    ),
    (
        "café_navidad_☕",
        "Café ☕ Navidad",
        "MARKETING",
        "STANDARD",
        "approved",
        &[(
            "es",
            "Feliz Navidad, {{1}} ☕\nTu café de regalo te espera.",
        )],
    ),
    (
        "a/b test #2?",
        "A/B test #2? \"quoted\", with commas",
        "MARKETING",
        "STANDARD",
        "pending",
        &[("en", "Variant {{1}}: \"B\", reply STOP to opt out")],
    ),
    (
        "formula_name",
        "=HYPERLINK(\"http://x\",\"y\")",
        "MARKETING",
        "CATALOG",
        "approved",
        &[("en", "=SUM(1,2) {{1}}"), ("fr", "+33 {{1}} @cmd")],
    ),
    (
        "otp_login",
        "Código de verificación 🔐",
        "AUTHENTICATION",
        "ONE_TIME_PASSWORD",
        "approved",
        &[
            ("es", "{{1}} es tu código de verificación."),
            ("en", "{{1}} is your verification code."),
            ("pt_BR", "{{1}} é o seu código de verificação."),
        ],
    ),
    (
        "recordatorio cita 📅",
        "Recordatorio de cita\nsegunda línea",
        "UTILITY",
        "STANDARD",
        "rejected",
        &[("es", "{{1}}, recuerda tu cita el {{2}} a las {{3}}.")],
    ),
    (
        "-2+3",
        "-2+3",
        "UTILITY",
        "ORDER_STATUS",
        "paused",
        &[("en", "Order {{1}} status: {{2}}")],
    ),
    (
        "draft_lançamento",
        "Lançamento (rascunho)",
        "MARKETING",
        "FLOWS",
        "draft",
        &[("pt_BR", "Olá {{1}}, conheça o lançamento!")],
    ),
];

/// Topics of the generated templates: (code stem, name).
const TOPICS: &[(&str, &str)] = &[
    ("bienvenida", "Bienvenida"),
    ("recordatorio_pago", "Recordatorio de pago"),
    ("confirmacion_pedido", "Confirmación de pedido"),
    ("encuesta_nps", "Encuesta NPS?"),
    ("reactivacion", "Reactivación 💤"),
    ("oferta_flash", "Oferta flash ⚡"),
    ("envio_gratis", "Envío \"gratis\""),
    ("factura", "Factura, IVA incluido"),
    ("cita_medica", "Cita médica"),
    ("lancamento", "Lançamento"),
    ("abandoned_cart", "Abandoned cart 🛒"),
    ("delivery_update", "Delivery update"),
];

/// The languages generated templates are written in.
const CONTENT_LANGS: &[&str] = &["en", "en_US", "es", "es_MX", "pt_BR", "fr"];

/// A content text in `lang` with `params` placeholders.
fn generated_text(lang: &str, topic: &str, params: usize, d: &mut Draw) -> String {
    let (hello, tail) = match lang {
        "es" | "es_MX" => ("Hola", "¡Gracias por elegirnos!"),
        "pt_BR" => ("Olá", "Obrigado!"),
        "fr" => ("Bonjour", "Merci !"),
        _ => ("Hi", "Thank you!"),
    };
    let mut text = hello.to_string();
    for k in 1..=params {
        let sep = if k == 1 { " " } else { ", " };
        text.push_str(&format!("{sep}{{{{{k}}}}}"));
    }
    text.push_str(&format!(" — {topic}. {tail}"));
    if d.percent(10) {
        text.push_str("\nResponde STOP para no recibir más mensajes.");
    }
    text
}

/// The whole catalogue, by id (101, 102, …), the same for a given seed.
pub(crate) fn catalog(st: &Shared) -> Vec<Template> {
    let mut next_content = 501;
    let mut content_id = || {
        let id = next_content;
        next_content += 1;
        id
    };
    let mut out = Vec::with_capacity(TEMPLATE_COUNT as usize);
    for (i, (code, name, category, option, status, texts)) in FIXED.iter().enumerate() {
        let params = texts.first().map_or(0, |(_, t)| t.matches("{{").count());
        out.push(Template {
            id: 101 + i as u64,
            code: code.to_string(),
            name: name.to_string(),
            category,
            option,
            status,
            contents: texts
                .iter()
                .map(|(lang, text)| (content_id(), *lang, text.to_string()))
                .collect(),
            params,
        });
    }
    for i in FIXED.len() as u64..TEMPLATE_COUNT {
        let mut d = Draw::new(st.data.key(super::SANDBOX.salt, &[0x7E4, i]));
        let (stem, topic) = d.pick(TOPICS);
        let (category, options, status) = {
            let c = match d.below(100) {
                0..50 => &CATEGORIES[0],
                50..85 => &CATEGORIES[1],
                _ => &CATEGORIES[2],
            };
            let status = match d.below(100) {
                0..70 => "approved",
                70..82 => "pending",
                82..90 => "rejected",
                90..95 => "paused",
                _ => "draft",
            };
            (c.0, c.2, status)
        };
        let option = d.pick(options).0;
        let variant = 1 + d.below(9);
        let params = d.below(4) as usize;
        let first = d.below(CONTENT_LANGS.len() as u64) as usize;
        let count = 1 + d.below(3) as usize;
        let langs: Vec<&'static str> = (0..count)
            .map(|k| CONTENT_LANGS[(first + k * 2) % CONTENT_LANGS.len()])
            .collect();
        let contents = langs
            .iter()
            .map(|lang| {
                (
                    content_id(),
                    *lang,
                    generated_text(lang, topic, params, &mut d),
                )
            })
            .collect();
        out.push(Template {
            id: 101 + i,
            code: format!("{stem}_v{variant}_{i:03}"),
            name: format!("{topic} v{variant} #{i}"),
            category,
            option,
            status,
            contents,
            params,
        });
    }
    out
}

/// The template with `code`, if any.
pub(crate) fn find(st: &Shared, code: &str) -> Option<Template> {
    catalog(st).into_iter().find(|t| t.code == code)
}
