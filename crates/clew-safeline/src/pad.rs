//! Padding: every page the safe line sends is one of a few sizes, so that a network observer learns from its
//! length only which bucket it fell in, never how long a message or a reply was, or whether a code was right.

/// The sizes a response is padded to, in bytes.
pub const BUCKETS: [usize; 3] = [8 * 1024, 32 * 1024, 128 * 1024];

/// The smallest bucket that holds `length` bytes, if any does.
pub fn bucket(length: usize) -> Option<usize> {
    BUCKETS.into_iter().find(|size| *size >= length)
}

/// Pads an HTML page with a trailing comment to exactly the smallest bucket that holds it. A page larger than
/// every bucket is given back as it is (`false`): pages are kept below the largest bucket by their limits.
pub fn pad_html(page: &mut String) -> bool {
    const OPEN: &str = "<!--";
    const CLOSE: &str = "-->";
    let Some(size) = bucket(page.len() + OPEN.len() + CLOSE.len()) else { return false };
    let filler = size - page.len() - OPEN.len() - CLOSE.len();
    page.reserve(size - page.len());
    page.push_str(OPEN);
    page.extend(std::iter::repeat_n(' ', filler));
    page.push_str(CLOSE);
    debug_assert_eq!(page.len(), size);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_any_length_within_a_bucket_come_out_equal() {
        for (length, expected) in
            [(0, 8192), (100, 8192), (8185, 8192), (8186, 32768), (30_000, 32768), (40_000, 131_072)]
        {
            let mut page = "é".repeat(length / 2) + &"x".repeat(length % 2);
            assert!(pad_html(&mut page));
            assert_eq!(page.len(), expected, "{length}");
            assert!(page.ends_with("-->"));
        }
        let mut huge = "x".repeat(200_000);
        assert!(!pad_html(&mut huge));
        assert_eq!(huge.len(), 200_000);
    }
}
