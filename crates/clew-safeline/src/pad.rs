//! Padding: every page the safe line sends is one of a few sizes, so that a network observer learns from its
//! length only which bucket it fell in, never how long a message or a reply was, or whether a code was right.

/// The sizes a response (and, from the page's script, a request) is padded to, in bytes: a page, an answer to
/// a form (under 30 KB), and a chunk of a file.
pub const BUCKETS: [usize; 3] = [10 * 1024, 28 * 1024, 128 * 1024];

/// The size of every answer to a form: sending, checking, refused or not, all look alike.
pub const ANSWER: usize = BUCKETS[1];

/// The smallest bucket that holds `length` bytes, if any does.
pub fn bucket(length: usize) -> Option<usize> {
    BUCKETS.into_iter().find(|size| *size >= length)
}

/// Pads an HTML page with a trailing comment to exactly the smallest bucket of at least `least` bytes that holds
/// it. A page larger than every bucket is given back as it is (`false`): pages are kept below the largest
/// bucket by their limits.
pub fn pad_html(page: &mut String, least: usize) -> bool {
    const OPEN: &str = "<!--";
    const CLOSE: &str = "-->";
    let Some(size) = bucket((page.len() + OPEN.len() + CLOSE.len()).max(least)) else { return false };
    let filler = size - page.len() - OPEN.len() - CLOSE.len();
    page.reserve(size - page.len());
    page.push_str(OPEN);
    page.extend(std::iter::repeat_n(' ', filler));
    page.push_str(CLOSE);
    debug_assert_eq!(page.len(), size);
    true
}

/// The unit a letter's, a reply's or a note's plaintext is padded to before it is sealed.
pub const TEXT_UNIT: usize = 4 * 1024;

/// Pads plaintext with `filler` to the next multiple of `unit` (at least one unit) before it is sealed: a
/// sealed file is as long as its plaintext plus a fixed overhead, so without this the database would give the
/// exact length of what was written or sent, which a minder could match to a photo in the phone's gallery.
pub fn pad_plaintext(plaintext: &mut Vec<u8>, unit: usize, filler: u8) {
    let target = plaintext.len().div_ceil(unit).max(1) * unit;
    plaintext.resize(target, filler);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_is_padded_to_whole_units() {
        for (length, expected) in [(0, 4096), (1, 4096), (4096, 4096), (4097, 8192)] {
            let mut text = vec![b'x'; length];
            pad_plaintext(&mut text, TEXT_UNIT, b' ');
            assert_eq!(text.len(), expected);
            assert!(text[length..].iter().all(|b| *b == b' '));
        }
    }

    #[test]
    fn pages_of_any_length_within_a_bucket_come_out_equal() {
        for (length, expected) in
            [(0, 10240), (100, 10240), (10233, 10240), (10234, 28672), (28_000, 28672), (40_000, 131_072)]
        {
            let mut page = "é".repeat(length / 2) + &"x".repeat(length % 2);
            assert!(pad_html(&mut page, 0));
            assert_eq!(page.len(), expected, "{length}");
            assert!(page.ends_with("-->"));
        }
        let mut huge = "x".repeat(200_000);
        assert!(!pad_html(&mut huge, 0));
        assert_eq!(huge.len(), 200_000);
        let mut small = "x".repeat(10);
        assert!(pad_html(&mut small, ANSWER));
        assert_eq!(small.len(), ANSWER, "an answer to a form is never smaller than its bucket");
    }
}
