//! A self-contained SVG chart of the revenue estimate: for each method, a histogram of the draws with the
//! median and the 90% interval marked. No fonts or scripts to fetch; it opens in any browser.

use std::fmt::Write as _;

use crate::quantile;
use crate::revenue::RevenueReport;

const WIDTH: f64 = 720.0;
const PANEL: f64 = 220.0;
const MARGIN: f64 = 40.0;
const BINS: usize = 60;

fn millions(value: f64) -> String {
    format!("{:.0}", value / 1e6)
}

/// The chart, as SVG text.
pub fn revenue_svg(report: &RevenueReport, title: &str) -> String {
    let height = MARGIN * 2.0 + PANEL * 2.0 + 40.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" \
         font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{MARGIN}\" y=\"24\" \
         font-size=\"14\">{}</text>\n",
        escape(title)
    );
    // One scale for both panels, from 0 to the larger 99th percentile, so they can be compared.
    let top = report.samples.iter().map(|s| quantile(s, 0.99)).fold(0.0_f64, f64::max).max(1.0);
    let methods = [
        ("quota-based", &report.samples[0], &report.quota_based),
        ("wage-based", &report.samples[1], &report.wage_based),
    ];
    for (index, (name, samples, summary)) in methods.into_iter().enumerate() {
        let y0 = MARGIN + 20.0 + index as f64 * (PANEL + 20.0);
        let mut counts = [0usize; BINS];
        for value in samples.iter() {
            let bin = ((value / top) * BINS as f64) as usize;
            if bin < BINS {
                counts[bin] += 1;
            }
        }
        let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let plot = WIDTH - 2.0 * MARGIN;
        let bar = plot / BINS as f64;
        for (bin, count) in counts.iter().enumerate() {
            let h = (*count as f64 / most) * (PANEL - 40.0);
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#8aa\"/>",
                MARGIN + bin as f64 * bar,
                y0 + PANEL - 20.0 - h,
                (bar - 1.0).max(0.5)
            );
        }
        let x = |value: f64| MARGIN + (value / top).min(1.0) * plot;
        for (value, label, dash) in
            [(summary.p5, "5%", "4,3"), (summary.median, "median", ""), (summary.p95, "95%", "4,3")]
        {
            let _ = writeln!(
                svg,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#333\" stroke-dasharray=\"{dash}\"/>\
                 <text x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"middle\">{label} {3}</text>",
                x(value),
                y0 + 10.0,
                y0 + PANEL - 20.0,
                millions(value)
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{MARGIN}\" y=\"{:.1}\">{name}: median {} million USD a year, 90% interval {} to {}</text>",
            y0,
            millions(summary.median),
            millions(summary.p5),
            millions(summary.p95)
        );
        let _ = writeln!(
            svg,
            "<line x1=\"{MARGIN}\" x2=\"{:.1}\" y1=\"{1:.1}\" y2=\"{1:.1}\" stroke=\"#333\"/>",
            WIDTH - MARGIN,
            y0 + PANEL - 20.0
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{MARGIN}\" y=\"{:.1}\">million USD a year; {} draws, seed {}</text>\n</svg>",
        height - 12.0,
        report.draws,
        report.seed
    );
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
