//! Charts drawn on the server as inline SVG: no script, nothing loaded from elsewhere, readable at any width
//! (the drawing scales to its box) and styled by the one style sheet (classes, not inline styles, which the
//! Content-Security-Policy forbids).

use maud::{Markup, html};

/// One bar: its label, its length as a share of the longest possible (0 to 1), the figure written beside it,
/// and where it leads, if anywhere.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) share: f64,
    pub(crate) figure: String,
    pub(crate) href: Option<String>,
}

const WIDTH: f64 = 640.0;
const LABEL_END: f64 = 270.0;
const BAR_START: f64 = 280.0;
const BAR_LENGTH: f64 = 270.0;
const ROW: f64 = 24.0;

/// A horizontal bar chart titled `title` (its accessible name too), one row per bar.
pub(crate) fn bars(title: &str, bars: &[Bar]) -> Markup {
    let height = ROW * bars.len() as f64 + 8.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) {
            title { (title) }
            @for (row, bar) in bars.iter().enumerate() {
                @let y = ROW * row as f64 + 4.0;
                @let length = (bar.share.clamp(0.0, 1.0) * BAR_LENGTH).max(1.0);
                g {
                    @if let Some(href) = &bar.href {
                        a href=(href) { text.label x=(LABEL_END) y=(y + 15.0) text-anchor="end" { (bar.label) } }
                    } @else {
                        text.label x=(LABEL_END) y=(y + 15.0) text-anchor="end" { (bar.label) }
                    }
                    rect.bar x=(BAR_START) y=(y + 3.0) width=(format!("{length:.1}")) height=(ROW - 8.0) {}
                    text.figure x=(format!("{:.1}", BAR_START + length + 6.0)) y=(y + 15.0) { (bar.figure) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bar_is_as_long_as_its_share_and_says_its_figure() {
        let bar = |label: &str, share: f64| Bar { label: label.into(), share, figure: format!("{share}"), href: None };
        let svg = bars("Shares", &[bar("half", 0.5), bar("all", 1.0), bar("too much", 3.0)]).into_string();
        assert!(svg.contains(r#"width="135.0""#), "{svg}");
        assert_eq!(svg.matches(r#"width="270.0""#).count(), 2, "a share above 1 is drawn as 1: {svg}");
        assert!(svg.contains("<title>Shares</title>") && svg.contains(">0.5</text>"), "{svg}");
    }
}
