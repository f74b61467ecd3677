//! Secrets a server echoes into the data of an answer (a field that holds the request's headers,
//! say) are masked in the body as it arrives, before it is decoded, so that no form of a token
//! reaches stdout or a `-o` file (product.md, "Secrets stay secret").
//!
//! Masking every field of a million-row export with [`scrub`] would cost more than decoding it,
//! so each body first goes through a [`Sieve`] built once per set of registered secrets: one scan
//! that finds every place where a form of a secret could be, in every form `scrub` knows. A body
//! without such a place (nearly every body) is passed on untouched; around each place found,
//! `scrub` decides. The sieve misses nothing `scrub` would mask:
//!
//! - a match with no escape in it holds its first characters literally, in some letter case:
//!   the whole form, or the first 12 characters of a form long enough to be masked when cut
//!   short ([`secret::shortest_match`]). Those are searched for with a [`memmem::Finder`] in the
//!   body lowered to ASCII lower case, a chunk at a time (no character outside ASCII folds into
//!   ASCII, [`secret::fold`]);
//! - a match with an escape in it (`%2F`, `+`, `\/`, `\u002f`, `&#47;`, …) has an escape
//!   introducer (`%`, `\`, `&`, and `+` if a form holds a space) standing for one of its
//!   characters next to another of its characters (literal or escaped) in the form's order: every
//!   introducer whose escape stands for a character of a form is checked for such a pair of
//!   neighbours, which text that is not a secret rarely has.
//!
//! A window around each place found, wide enough for any match through it, is then scrubbed.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, LazyLock, Mutex};

use memchr::memmem;

use crate::secret::{self, decode_at, fold, scrub};

/// The body is lowered to ASCII lower case this many bytes at a time, in a buffer that stays in
/// the cache.
const CHUNK: usize = 64 * 1024;

/// The most bytes one character of a form takes in the body: its longest escape
/// (`\uD83D\uDE00`, `%F0%9F%98%80`, an HTML reference of 12 characters, `\u002f` behind seven
/// more backslashes).
const MAX_ESCAPE: usize = 14;

/// What finds the places in a body where a form of a registered secret could be.
pub(crate) struct Sieve {
    /// The registry's generation it was built from.
    generation: u64,
    /// The first characters every literal match of a form holds, in ASCII lower case.
    anchors: Vec<memmem::Finder<'static>>,
    /// The longest anchor, in bytes: how far chunks overlap.
    longest_anchor: usize,
    /// Every (folded) character of every form.
    chars: HashSet<char>,
    /// Every pair of neighbouring (folded) characters of every form.
    pairs: HashSet<(char, char)>,
    /// [`Sieve::pairs`] of ASCII characters as bits (`ascii_pairs[a]` bit `b`): looked up for
    /// every escape in a body, most of them `\/` and `\u00e9` that stand for no secret.
    ascii_pairs: [u128; 128],
    /// [`Sieve::chars`] of ASCII as bits.
    ascii_chars: u128,
    /// Whether a form holds a space, which `+` may stand for.
    plus: bool,
    /// The most bytes one match may take.
    span: usize,
    /// A form's first characters hold too little ASCII to search for: every body is scrubbed.
    always: bool,
}

impl Sieve {
    /// A sieve for `forms` (folded, as [`secret::forms`] gives them).
    pub(crate) fn new(generation: u64, forms: &[Vec<char>]) -> Sieve {
        let mut anchors: Vec<Vec<u8>> = Vec::new();
        let mut chars = HashSet::new();
        let mut pairs = HashSet::new();
        let mut always = false;
        let mut longest_form = 0;
        for form in forms {
            longest_form = longest_form.max(form.len());
            chars.extend(form.iter().copied());
            pairs.extend(form.windows(2).map(|w| (w[0], w[1])));
            let head = &form[..secret::shortest_match(form.len())];
            // The longest run of ASCII characters of the head: all of it, for nearly every
            // secret.
            let run = head
                .split(|c| !c.is_ascii())
                .max_by_key(|run| run.len())
                .unwrap_or_default();
            if run.len() < 4 {
                always = true;
                continue;
            }
            let anchor: Vec<u8> = run.iter().map(|&c| c as u8).collect();
            if !anchors.contains(&anchor) {
                anchors.push(anchor);
            }
        }
        // An anchor that holds another finds nothing the other does not.
        let all = anchors.clone();
        anchors.retain(|a| {
            !all.iter()
                .any(|b| b.len() < a.len() && memmem::find(a, b).is_some())
        });
        let longest_anchor = anchors.iter().map(Vec::len).max().unwrap_or(0);
        let mut ascii_pairs = [0u128; 128];
        for &(a, b) in &pairs {
            if a.is_ascii() && b.is_ascii() {
                ascii_pairs[a as usize] |= 1 << (b as u32);
            }
        }
        let ascii_chars = (chars.iter())
            .filter(|c| c.is_ascii())
            .fold(0u128, |bits, &c| bits | 1 << (c as u32));
        Sieve {
            generation,
            anchors: anchors
                .iter()
                .map(|a| memmem::Finder::new(a).into_owned())
                .collect(),
            longest_anchor,
            plus: chars.contains(&' '),
            chars,
            pairs,
            ascii_pairs,
            ascii_chars,
            span: longest_form * MAX_ESCAPE,
            always,
        }
    }

    /// The places in `body` where a form of a secret could be, in order, without repeats.
    pub(crate) fn places(&self, body: &[u8]) -> Vec<usize> {
        if body.is_empty() {
            return Vec::new();
        }
        if self.always {
            return vec![0];
        }
        let mut places = Vec::new();
        let overlap = self.longest_anchor.saturating_sub(1);
        let mut lowered = Vec::with_capacity(CHUNK + overlap);
        let mut start = 0;
        while start < body.len() {
            let end = (start + CHUNK).min(body.len());
            // The chunk and the end of the one before it, so that an anchor across the border
            // is seen whole.
            let from = start.saturating_sub(overlap);
            lowered.clear();
            lowered.extend(body[from..end].iter().map(u8::to_ascii_lowercase));
            for anchor in &self.anchors {
                places.extend(anchor.find_iter(&lowered).map(|at| from + at));
            }
            let chunk = &body[start..end];
            for at in memchr::memchr3_iter(b'%', b'\\', b'&', chunk) {
                if self.escape_fits(body, start + at) {
                    places.push(start + at);
                }
            }
            if self.plus {
                for at in memchr::memchr_iter(b'+', chunk) {
                    if self.escape_fits(body, start + at) {
                        places.push(start + at);
                    }
                }
            }
            start = end;
        }
        places.sort_unstable();
        places.dedup();
        places
    }

    /// Whether `c` is a character of a form.
    fn has_char(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii_chars >> (c as u32) & 1 == 1
        } else {
            self.chars.contains(&c)
        }
    }

    /// Whether `a` then `b` are neighbours in a form.
    fn has_pair(&self, a: char, b: char) -> bool {
        if a.is_ascii() && b.is_ascii() {
            self.ascii_pairs[a as usize] >> (b as u32) & 1 == 1
        } else {
            self.pairs.contains(&(a, b))
        }
    }

    /// Whether the escape introduced at byte `at` stands for a character of a form that has,
    /// right before or right after it, the character that comes before or after it in the form.
    fn escape_fits(&self, body: &[u8], at: usize) -> bool {
        // Most escapes are `\/`, `\"`, `\n`: a character no form holds ends it at once. (Not
        // `\\`, which may begin an escaped escape, `\\/`.)
        if body[at] == b'\\'
            && let Some(&next) = body.get(at + 1)
            && let Some(simple) = match next {
                b'/' | b'"' | b'\'' | b'n' | b'r' | b't' | b'b' | b'f' => Some(next),
                // `\\` goes the long way.
                _ => None,
            }
        {
            let decoded = match simple {
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                other => char::from(other),
            };
            if !self.has_char(decoded) {
                return false;
            }
        }
        let Some((text, at)) = text_around(body, at, 4, 2 * MAX_ESCAPE + 4) else {
            return false;
        };
        let mut decoded = Vec::with_capacity(2);
        decode_at(text, at, &mut decoded);
        let before = text[..at].chars().next_back().map(fold);
        let mut after = Vec::with_capacity(2);
        // The first is the introducer itself, which a literal match's anchor covers.
        decoded.iter().skip(1).any(|&(c, next)| {
            let c = fold(c);
            if !self.has_char(c) {
                return false;
            }
            if before.is_some_and(|b| self.has_pair(b, c)) {
                return true;
            }
            after.clear();
            decode_at(text, next, &mut after);
            after.iter().any(|&(d, _)| self.has_pair(c, fold(d)))
        })
    }

    /// `body` with every secret around `places` masked, if any was.
    pub(crate) fn mask(&self, body: &[u8], places: &[usize]) -> Option<Vec<u8>> {
        let windows: Vec<(usize, usize)> = if self.always {
            vec![(0, body.len())]
        } else {
            merged(places.iter().map(|&p| {
                (
                    p.saturating_sub(self.span),
                    p.saturating_add(self.span).min(body.len()),
                )
            }))
        };
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        for (start, end) in windows {
            let (start, end) = (char_start(body, start), char_start(body, end));
            let text = String::from_utf8_lossy(&body[start..end]);
            let Cow::Owned(masked) = scrub(&text) else {
                continue;
            };
            let out = out.get_or_insert_with(|| Vec::with_capacity(body.len()));
            out.extend_from_slice(&body[copied..start]);
            out.extend_from_slice(masked.as_bytes());
            copied = end;
        }
        let mut out = out?;
        out.extend_from_slice(&body[copied..]);
        Some(out)
    }
}

/// The sieve for the secrets registered now, built again only when they change.
fn sieve() -> Option<Arc<Sieve>> {
    static BUILT: LazyLock<Mutex<Option<Arc<Sieve>>>> = LazyLock::new(|| Mutex::new(None));
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let generation = secret::generation();
    if generation == 0 {
        return None;
    }
    if built.as_ref().is_none_or(|s| s.generation != generation) {
        let (generation, forms) = secret::forms();
        *built = Some(Arc::new(Sieve::new(generation, &forms)));
    }
    built.clone()
}

/// `body` with every form of every registered secret masked (`***`), or `None` when it holds
/// none: the common case, which costs one scan.
pub(crate) fn mask(body: &[u8]) -> Option<Vec<u8>> {
    let sieve = sieve()?;
    let places = sieve.places(body);
    if places.is_empty() {
        return None;
    }
    sieve.mask(body, &places)
}

/// Overlapping or touching ranges, sorted by start, as one.
fn merged(ranges: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// `at`, or the start of the UTF-8 character it falls inside.
fn char_start(body: &[u8], mut at: usize) -> usize {
    let floor = at.saturating_sub(3);
    while at > floor && at < body.len() && (body[at] & 0xc0) == 0x80 {
        at -= 1;
    }
    at
}

/// The valid UTF-8 text around byte `at` of `body` (up to `before` bytes before it and `after`
/// after it), and where `at` is in it; `None` if the byte at `at` does not start a character.
fn text_around(body: &[u8], at: usize, before: usize, after: usize) -> Option<(&str, usize)> {
    let end = at.saturating_add(after).min(body.len());
    let mut start = at.saturating_sub(before);
    while start < at && (body[start] & 0xc0) == 0x80 {
        start += 1;
    }
    loop {
        let piece = &body[start..end];
        let valid = match std::str::from_utf8(piece) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&piece[..e.valid_up_to()]).expect("valid up to there"),
        };
        if valid.len() > at - start {
            return Some((valid, at - start));
        }
        if start == at {
            return None;
        }
        // Something that is not UTF-8 before `at`: look from `at` on.
        start = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> Vec<char> {
        s.chars().map(fold).collect()
    }

    fn sieve_of(secrets: &[&str]) -> Sieve {
        Sieve::new(1, &secrets.iter().map(|s| folded(s)).collect::<Vec<_>>())
    }

    #[test]
    fn a_body_without_any_form_has_no_place() {
        let sieve = sieve_of(&["CANARY/sieve+Tok=1a2b3c4d5e"]);
        let body = br#"{"data":[{"contact":"+5511","url":"https:\/\/x.example\/a?b=1&c=%20"}]}"#;
        assert_eq!(sieve.places(body), Vec::<usize>::new());
    }

    #[test]
    fn a_literal_form_in_any_case_is_found_across_chunks() {
        let secret = "CANARY-sieve-chunk-7f7f7f";
        let sieve = sieve_of(&[secret]);
        for at in [0, CHUNK - 5, CHUNK - 1, CHUNK, 3 * CHUNK + 7] {
            let mut body = vec![b'x'; 4 * CHUNK];
            body[at..at + secret.len()].copy_from_slice(secret.to_uppercase().as_bytes());
            assert_eq!(sieve.places(&body), vec![at], "at {at}");
        }
    }

    #[test]
    fn an_escape_between_two_characters_of_a_form_is_a_place() {
        let sieve = sieve_of(&["CANARY/sieve+Tok=1a2b3c4d5e"]);
        // Every character escaped: no literal anchor, only neighbouring escapes.
        let all: String = "CANARY/sieve+Tok=1a2b3c4d5e"
            .bytes()
            .map(|b| format!("%{b:02x}"))
            .collect();
        assert!(!sieve.places(all.as_bytes()).is_empty());
        // The last character escaped after a literal one.
        assert!(!sieve.places(b"...4d5\\u0065").is_empty());
        // Escaped twice (a JSON string inside a JSON string), with nothing literal around.
        let twice: String = "CANARY/sieve+Tok=1a2b3c4d5e"
            .chars()
            .map(|c| format!("\\\\u{:04x}", c as u32))
            .collect();
        assert!(!sieve.places(twice.as_bytes()).is_empty(), "{twice}");
        // An escape of a form's character between characters that are not its neighbours.
        assert!(sieve.places(b"x\\/y").is_empty());
    }

    #[test]
    fn mask_replaces_each_form_and_keeps_the_rest_byte_for_byte() {
        let secret = "CANARY/mask+Tok=6e5d4c3b2a";
        secret::register(secret);
        let body = format!(
            "{{\"a\":\"{}\",\"b\":\"caf\u{e9} \\u00e9\",\"c\":\"{}\",\"d\":\"{}\"}}",
            secret.replace('/', "\\/"),
            secret.to_lowercase(),
            "CANARY%2Fmask%2BTok%3D6e5d4c3b2a"
        );
        let masked = mask(body.as_bytes()).expect("masked");
        assert_eq!(
            String::from_utf8(masked).unwrap(),
            "{\"a\":\"***\",\"b\":\"caf\u{e9} \\u00e9\",\"c\":\"***\",\"d\":\"***\"}"
        );
        assert_eq!(mask(b"{\"a\":\"nothing here\"}"), None);
    }

    #[test]
    fn mask_survives_bodies_that_are_not_utf8() {
        let secret = "CANARY-mask-latin1-0d0d0d";
        secret::register(secret);
        let mut body = b"\xff\xfe{\"a\":\"".to_vec();
        body.extend_from_slice(secret.as_bytes());
        body.extend_from_slice(b"\"}\xe9");
        let masked = mask(&body).expect("masked");
        assert!(
            !String::from_utf8_lossy(&masked).contains(secret),
            "{masked:?}"
        );
    }

    proptest::proptest! {
        /// Whatever surrounds it and however each of its characters is escaped (any case,
        /// percent-encoded, JSON-escaped once or twice, an HTML reference), the sieve finds a
        /// place for a secret, and the masked body no longer holds it.
        #[test]
        fn the_sieve_misses_no_form_scrub_knows(
            before in "\\PC{0,40}",
            after in "\\PC{0,40}",
            escapes in proptest::collection::vec(0u8..6, 24),
        ) {
            let canary = "CANARY-sieve/é+x=0b0b0b";
            secret::register(canary);
            let form: String = canary
                .chars()
                .zip(escapes.iter().cycle())
                .map(|(c, how)| match how {
                    0 => c.to_string(),
                    1 => c.to_uppercase().to_string(),
                    2 => c.to_string().bytes().map(|b| format!("%{b:02X}")).collect(),
                    3 => format!("\\u{:04x}", c as u32),
                    4 => format!("\\\\u{:04X}", c as u32),
                    _ => format!("&#{};", c as u32),
                })
                .collect();
            let body = format!("{before}{form}{after}");
            let sieve = sieve().expect("a secret is registered");
            proptest::prop_assert!(!sieve.places(body.as_bytes()).is_empty(), "{body}");
            let masked = mask(body.as_bytes()).expect("masked");
            let masked = String::from_utf8_lossy(&masked);
            proptest::prop_assert!(masked.contains("***"), "{body} -> {masked}");
            proptest::prop_assert!(!masked.to_lowercase().contains(&canary.to_lowercase()));
        }
    }

    /// The pre-check's cost (BENCHMARKS.md, "Secrets in answers"): `cargo test --release --lib
    /// http::mask::tests::sieve_cost -- --ignored --nocapture`. A 200 MB Engage page (contacts
    /// with `+` phone numbers and JSON-escaped URLs, none holding a secret) is scanned by the
    /// sieve of a profile's two secrets (10 forms) and parsed by serde_json (into `IgnoredAny`,
    /// less than the real decoder does), best of 5 each.
    #[test]
    #[ignore = "a benchmark: run it in release"]
    fn sieve_cost() {
        use std::time::Instant;
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.Zm9vYmFyYmF6cXV4";
        let bot = "bot-7c1e9a0d4b5f4e3d";
        let forms: Vec<Vec<char>> = [jwt, bot]
            .iter()
            .flat_map(|s| {
                use base64::Engine as _;
                use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
                [s.to_string(), STANDARD.encode(s), URL_SAFE_NO_PAD.encode(s)]
            })
            .map(|f| folded(&f))
            .collect();
        let sieve = Sieve::new(1, &forms);
        let mut body = String::from("{\"data\":[");
        let mut i = 0u64;
        while body.len() < 200 << 20 {
            body.push_str(&format!(
                "{{\"contact\":\"+5730{i:08}\",\"name\":\"Contacto {i} Mar\\u00eda\",\"status\":\"read\",\"sent_at\":\"2026-04-02 10:00:00\",\"delivered_at\":\"2026-04-02 10:00:05\",\"read_at\":null,\"engaged\":true,\"response\":\"https:\\/\\/wa.example\\/r\\/{i}\",\"error\":null}},"
            ));
            i += 1;
        }
        body.pop();
        body.push_str("]}");
        let body = body.into_bytes();
        let best = |f: &dyn Fn()| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::MAX, f64::min)
        };
        let sieve_s = best(&|| assert!(sieve.places(&body).is_empty()));
        let parse_s = best(&|| {
            serde_json::from_slice::<serde::de::IgnoredAny>(&body).unwrap();
        });
        let mb = body.len() as f64 / f64::from(1 << 20);
        println!(
            "{mb:.0} MB, {i} rows, {} anchors: sieve {sieve_s:.3} s ({:.0} MB/s), serde_json parse {parse_s:.3} s; (parse + sieve) / parse = {:.3}",
            sieve.anchors.len(),
            mb / sieve_s,
            (parse_s + sieve_s) / parse_s
        );
    }
}
