//! A details page read in one pass over its bytes, for the pages a large export is made of: a
//! million-row export is 210 MB of JSON, and serde_json's typed decoding (its visitors, its
//! string scanning a byte at a time, a detour through `serde_json::Value` for the contact) was
//! three fifths of the export's CPU time.
//!
//! It reads only the documented shape (vendors.md Part 1, "Engage": `{"data":[{"contact":…,
//! "name":…, …}],"pagination":{"limit":L,"offset":O,"total":T}}`, in any key order, with any
//! whitespace and any string escapes) and gives up on anything else — a nested value where a
//! scalar was expected, a key it does not know in a contact, a key twice, a number that is not a
//! plain integer, a malformed escape or any syntax error — by returning `None`: the page is then
//! read again by serde_json ([`super::wire::ContactPageSeed`]), which says what is wrong with it
//! or reads what this reader does not. What it does read, it reads exactly as serde_json does
//! (the tests compare the two on every shape this reader takes and on many it refuses).

use super::wire::{ContactPage, Pagination, WireContact, WireTime, take_contact};
use crate::provider::de::FixedTimes;

/// The page in `body`, or `None` when this reader leaves it to serde_json.
pub(super) fn read_page(body: &[u8], capacity: usize) -> Option<ContactPage> {
    // The whole body is UTF-8 (checked at once, with SIMD where the CPU has it), so every slice
    // between two ASCII quotes is too.
    let text = simdutf8::basic::from_utf8(body).ok()?;
    let mut scan = Scan {
        text,
        b: body,
        i: 0,
        times: FixedTimes::default(),
        order: Vec::with_capacity(FIELDS.len()),
    };
    let page = scan.page(capacity)?;
    scan.ws();
    (scan.i == body.len()).then_some(page)
}

struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    times: FixedTimes,
    /// The fields of the last contact (indexes into [`FIELDS`]), in the order its keys came.
    order: Vec<u8>,
}

/// A JSON string's text: borrowed from the page when it has no escape.
enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }

    fn into_string(self) -> String {
        match self {
            Text::Borrowed(s) => s.to_string(),
            Text::Owned(s) => s,
        }
    }
}

/// An object's key, as bytes.
enum Key<'a> {
    Plain(&'a [u8]),
    Escaped(String),
}

impl Key<'_> {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Plain(b) => b,
            Key::Escaped(s) => s.as_bytes(),
        }
    }
}

/// A contact's keys, and each as it is written plainly with its colon; a field's bit in the set
/// of those seen (serde's derive refuses a key given twice) is `1 << its index`.
const FIELDS: [(&[u8], &[u8]); 9] = [
    (b"contact", b"\"contact\":"),
    (b"name", b"\"name\":"),
    (b"status", b"\"status\":"),
    (b"sent_at", b"\"sent_at\":"),
    (b"delivered_at", b"\"delivered_at\":"),
    (b"read_at", b"\"read_at\":"),
    (b"engaged", b"\"engaged\":"),
    (b"response", b"\"response\":"),
    (b"error", b"\"error\":"),
];

/// The bit of `contact`, the one field a contact must have.
const CONTACT: u16 = 1;

impl<'a> Scan<'a> {
    fn page(&mut self, capacity: usize) -> Option<ContactPage> {
        let mut page = ContactPage {
            rows: Vec::new(),
            served: 0,
            pagination: None,
            unreadable: None,
        };
        let (mut has_data, mut has_pagination) = (false, false);
        self.expect(b'{')?;
        if !self.empty(b'}') {
            loop {
                let key = self.key()?;
                match key.as_bytes() {
                    b"data" if !has_data => {
                        has_data = true;
                        self.contacts(capacity, &mut page)?;
                    }
                    b"pagination" if !has_pagination => {
                        has_pagination = true;
                        page.pagination = self.pagination()?;
                    }
                    b"data" | b"pagination" => return None,
                    _ => self.skip_scalar()?,
                }
                if self.close(b'}')? {
                    break;
                }
            }
        }
        has_data.then_some(page)
    }

    /// The `data` array: every contact converted, as [`super::wire::ContactRows`] does.
    fn contacts(&mut self, capacity: usize, page: &mut ContactPage) -> Option<()> {
        page.rows = Vec::with_capacity(capacity);
        self.expect(b'[')?;
        if self.empty(b']') {
            return Some(());
        }
        loop {
            let contact = self.contact()?;
            take_contact(
                contact,
                &mut page.rows,
                &mut page.served,
                &mut page.unreadable,
            );
            if self.close(b']')? {
                return Some(());
            }
        }
    }

    fn contact(&mut self) -> Option<WireContact> {
        let mut c = WireContact::default();
        let mut seen = 0u16;
        self.expect(b'{')?;
        if self.empty(b'}') {
            return None; // no contact: serde's "missing field" error
        }
        for position in 0.. {
            // Contacts nearly always come with their keys in the order of the contact before:
            // the key expected there is checked with one comparison, any other is looked up.
            self.ws();
            let expected = self
                .order
                .get(position)
                .copied()
                .filter(|&field| self.b[self.i..].starts_with(FIELDS[usize::from(field)].1));
            let field = match expected {
                Some(field) => {
                    self.i += FIELDS[usize::from(field)].1.len();
                    field
                }
                None => {
                    let key = self.key()?;
                    let field = FIELDS
                        .iter()
                        .position(|(name, _)| *name == key.as_bytes())?;
                    let field = u8::try_from(field).ok()?;
                    self.order.truncate(position);
                    if self.order.len() == position {
                        self.order.push(field);
                    }
                    field
                }
            };
            let bit = 1u16 << field;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match field {
                0 => c.contact = self.contact_text()?,
                1 => c.name = self.opt_string()?,
                2 => c.status = self.opt_string()?,
                3 => c.sent_at = self.time()?,
                4 => c.delivered_at = self.time()?,
                5 => c.read_at = self.time()?,
                6 => c.engaged = self.opt_bool()?,
                7 => c.response = self.opt_string()?,
                _ => c.error = self.opt_string()?,
            }
            if self.close(b'}')? {
                break;
            }
        }
        (seen & CONTACT != 0).then_some(c)
    }

    /// `{"limit":L,"offset":O,"total":T}` (or `null`), as [`Pagination`]'s derive reads it.
    fn pagination(&mut self) -> Option<Option<Pagination>> {
        if self.literal(b"null") {
            return Some(None);
        }
        let (mut offset, mut total) = (None, None);
        self.expect(b'{')?;
        if !self.empty(b'}') {
            loop {
                let key = self.key()?;
                match key.as_bytes() {
                    b"offset" if offset.is_none() => {
                        offset = Some(if self.literal(b"null") {
                            None
                        } else {
                            Some(self.unsigned()?)
                        });
                    }
                    b"total" if total.is_none() => total = Some(self.unsigned()?),
                    b"offset" | b"total" => return None,
                    _ => self.skip_scalar()?,
                }
                if self.close(b'}')? {
                    break;
                }
            }
        }
        Some(Some(Pagination {
            offset: offset.flatten(),
            total: total?,
        }))
    }

    /// Skips whitespace.
    fn ws(&mut self) {
        while let Some(&byte) = self.b.get(self.i) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.i += 1;
        }
    }

    /// The next byte after whitespace, not taken.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.i += 1)
    }

    /// Right after a list or an object opens: true (and taken) if `close` ends it at once.
    fn empty(&mut self, close: u8) -> bool {
        let empty = self.peek() == Some(close);
        if empty {
            self.i += 1;
        }
        empty
    }

    /// After a value of a list or an object: true at its end (`close`), false after a comma.
    fn close(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.i += 1;
                Some(false)
            }
            byte if byte == close => {
                self.i += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// An object's key and its colon. Keys are compared as bytes; one with an escape is
    /// unescaped first (and is then as good as the same key written plainly, as for serde_json).
    fn key(&mut self) -> Option<Key<'a>> {
        self.expect(b'"')?;
        let start = self.i;
        let end = special(self.b, start);
        let key = if self.b.get(end)? == &b'"' {
            self.i = end + 1;
            Key::Plain(&self.b[start..end])
        } else {
            self.i = start - 1;
            Key::Escaped(self.string()?.into_string())
        };
        self.expect(b':')?;
        Some(key)
    }

    /// Takes `word` (`null`, `true`, `false`) if it comes next.
    fn literal(&mut self, word: &[u8]) -> bool {
        self.ws();
        let found = self.b[self.i..].starts_with(word);
        if found {
            self.i += word.len();
        }
        found
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        if self.literal(b"null") {
            return Some(None);
        }
        Some(Some(self.string()?.into_string()))
    }

    fn opt_bool(&mut self) -> Option<Option<bool>> {
        if self.literal(b"true") {
            Some(Some(true))
        } else if self.literal(b"false") {
            Some(Some(false))
        } else if self.literal(b"null") {
            Some(None)
        } else {
            None
        }
    }

    /// A contact as text or as a plain integer, whose digits are kept
    /// ([`crate::provider::de::string_or_number`]).
    fn contact_text(&mut self) -> Option<String> {
        if self.peek()? == b'"' {
            return Some(self.string()?.into_string());
        }
        let digits = self.integer()?;
        let text = &self.text[digits];
        text.parse::<u64>().ok()?;
        Some(text.to_string())
    }

    /// The digits of a plain integer (at most 20 digits, no sign, no leading zero, no fraction or
    /// exponent): serde_json prints one that fits in a `u64` with the same digits.
    fn integer(&mut self) -> Option<std::ops::Range<usize>> {
        self.ws();
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let len = self.i - start;
        let leading_zero = len > 1 && self.b[start] == b'0';
        let more = matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E'));
        (len > 0 && len <= 20 && !leading_zero && !more).then_some(start..self.i)
    }

    fn unsigned(&mut self) -> Option<u64> {
        let digits = self.integer()?;
        self.text[digits].parse().ok()
    }

    /// A time stamp, as [`WireTime`]'s deserializer reads it.
    fn time(&mut self) -> Option<WireTime> {
        if self.literal(b"null") {
            return Some(WireTime::Absent);
        }
        let text = self.string()?;
        if let Text::Borrowed(s) = &text
            && let Some(t) = self.times.read(s.as_bytes())
        {
            return Some(WireTime::At(t.and_utc()));
        }
        Some(WireTime::from_text(text.as_str()))
    }

    /// Skips a string, a literal or a number (an unknown key's value); `None` on anything else.
    fn skip_scalar(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'n' => self.literal(b"null").then_some(()),
            b't' => self.literal(b"true").then_some(()),
            b'f' => self.literal(b"false").then_some(()),
            _ => self.number(),
        }
    }

    /// Any JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = self.i;
        let digits = |i: &mut usize| {
            let start = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - start
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let start = i;
        let len = digits(&mut i);
        if len == 0 || (len > 1 && b[start] == b'0') {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return None;
            }
        }
        self.i = i;
        Some(())
    }

    /// A string (the next value after whitespace).
    fn string(&mut self) -> Option<Text<'a>> {
        self.expect(b'"')?;
        let start = self.i;
        let end = special(self.b, start);
        match self.b.get(end)? {
            b'"' => {
                self.i = end + 1;
                Some(Text::Borrowed(self.text.get(start..end)?))
            }
            b'\\' => {
                let mut out = String::with_capacity(end - start + 8);
                out.push_str(self.text.get(start..end)?);
                self.i = end;
                self.escaped(&mut out)?;
                Some(Text::Owned(out))
            }
            // A control character: not JSON.
            _ => None,
        }
    }

    /// The rest of a string from an escape at `self.i`, appended to `out`.
    fn escaped(&mut self, out: &mut String) -> Option<()> {
        loop {
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    let escape = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return None,
                    };
                    out.push(c);
                }
                _ => {
                    let start = self.i;
                    let end = special(self.b, start);
                    if !matches!(self.b.get(end)?, b'"' | b'\\') {
                        return None;
                    }
                    out.push_str(self.text.get(start..end)?);
                    self.i = end;
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (after the `u`), a surrogate pair read whole; a lone
    /// surrogate is left to serde_json.
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.b.get(self.i..self.i + 2)? != b"\\u" {
                    return None;
                }
                self.i += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return None,
            code => code,
        };
        char::from_u32(code)
    }

    fn hex4(&mut self) -> Option<u32> {
        let hex = self.b.get(self.i..self.i + 4)?;
        self.i += 4;
        hex.iter()
            .try_fold(0, |acc, &h| Some(acc * 16 + char::from(h).to_digit(16)?))
    }
}

/// The index of the first `"`, `\` or control character at or after `i` (or `b.len()`), eight
/// bytes at a time: names, responses and time stamps are most of a page's bytes.
fn special(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` below `n` (exact for the lowest such byte, which is all
    // that is used: a borrow can only mark bytes above it).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = below(w ^ (ONES * u64::from(b'"')), 1)
            | below(w ^ (ONES * u64::from(b'\\')), 1)
            | below(w, 0x20);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !matches!(b[i], b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests;
