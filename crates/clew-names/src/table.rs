//! The tab-separated data files of clew-names (surnames, spellings, words): one reader for their rows.

/// The rows of a table: for each line that is neither blank nor a `#` comment, its 1-based line number and its
/// fields, or why it has the wrong number of columns (`columns` names them, for the message).
pub(crate) fn rows<'t>(
    text: &'t str,
    columns: &'t [&'t str],
) -> impl Iterator<Item = (usize, Result<Vec<&'t str>, String>)> + 't {
    text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#')).map(
        move |(index, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            let result = if fields.len() == columns.len() {
                Ok(fields)
            } else {
                Err(format!("{} columns, expected {} ({})", fields.len(), columns.len(), columns.join(", ")))
            };
            (index + 1, result)
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_skip_comments_and_blank_lines_and_count_columns() {
        let found: Vec<_> = super::rows("# c\n\na\tb\nc\n", &["x", "y"]).collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], (3, Ok(vec!["a", "b"])));
        assert_eq!(found[1], (4, Err("1 columns, expected 2 (x, y)".to_string())));
    }
}
