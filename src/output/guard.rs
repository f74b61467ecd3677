//! The spreadsheet formula guard for CSV and TSV (product.md, "Output contract"): a text cell that
//! Excel, LibreOffice or Google Sheets would evaluate as a formula is prefixed with `'`, unless the
//! whole cell is a plain number (phone numbers like `+573001234567` and `-12.5` stay exact).

/// Characters that make a spreadsheet treat a cell as a formula when they come first
/// (OWASP, "CSV Injection").
const FORMULA_STARTS: &[u8] = b"=+-@\t\r";

/// True when `cell` must be neutralised: it starts with a formula character and is not a plain
/// number.
pub(super) fn needs_guard(cell: &[u8]) -> bool {
    match cell.first() {
        Some(first) if FORMULA_STARTS.contains(first) => !is_plain_number(cell),
        _ => false,
    }
}

/// `^[+-]?[0-9]+(\.[0-9]+)?$`: a number a spreadsheet reads as a number, not as a formula.
pub(super) fn is_plain_number(cell: &[u8]) -> bool {
    let unsigned = match cell.first() {
        Some(b'+' | b'-') => &cell[1..],
        _ => cell,
    };
    let (int, frac) = match unsigned.iter().position(|&b| b == b'.') {
        Some(dot) => (&unsigned[..dot], Some(&unsigned[dot + 1..])),
        None => (unsigned, None),
    };
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    digits(int) && frac.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_guarded() {
        for cell in [
            "=SUM(A1)", "+cmd", "-2+3", "@x", "\tx", "\rx", "=", "-", "+1.", "-.5",
        ] {
            assert!(needs_guard(cell.as_bytes()), "{cell:?} should be guarded");
        }
    }

    #[test]
    fn plain_numbers_and_ordinary_text_are_not_guarded() {
        for cell in [
            "+573001234567",
            "-12.5",
            "42",
            "",
            "Ana",
            "1+1",
            "a=b",
            " =x",
            "'=x",
        ] {
            assert!(
                !needs_guard(cell.as_bytes()),
                "{cell:?} should not be guarded"
            );
        }
    }

    #[test]
    fn plain_number_needs_digits_on_both_sides_of_the_dot() {
        assert!(is_plain_number(b"0.5"));
        assert!(is_plain_number(b"+7"));
        assert!(!is_plain_number(b"1."));
        assert!(!is_plain_number(b".5"));
        assert!(!is_plain_number(b"1.2.3"));
        assert!(!is_plain_number(b"+"));
        assert!(!is_plain_number(b"1e5"));
    }
}
