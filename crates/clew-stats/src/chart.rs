//! Self-contained SVG charts: the revenue estimate (for each method, a histogram of the draws with the
//! median and the 90% interval marked) and population estimates by method. No fonts or scripts to fetch; they
//! open in any browser.

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

/// A chart of population estimates: one row per stratum and method, the estimate as a dot, the headline
/// interval (re-chosen model, or posterior) as a thick bar and the profile interval (model fixed) as a thin
/// line, on one scale from 0 so that the methods can be compared at a glance.
pub fn population_svg(report: &crate::mse::estimate::PopulationReport, title: &str) -> String {
    struct Row {
        label: String,
        estimate: Option<f64>,
        headline: Option<(f64, f64)>,
        profile: Option<(f64, f64)>,
        note: String,
    }
    let mut rows = Vec::new();
    for stratum in &report.strata {
        let place = if stratum.stratum.is_empty() { String::new() } else { format!("{}: ", stratum.stratum.join("/")) };
        for m in &stratum.methods {
            rows.push(Row {
                label: format!("{place}{}", m.method.name()),
                estimate: m.estimate,
                headline: m.interval.map(|i| (i.low, i.high)),
                profile: m.profile.map(|i| (i.low, i.high)),
                note: m.not_estimable.clone().unwrap_or_else(|| m.model.clone().unwrap_or_default()),
            });
        }
    }
    for total in &report.totals {
        rows.push(Row {
            label: format!("total: {}", total.method.name()),
            estimate: total.estimate,
            headline: total.interval.map(|i| (i.low, i.high)),
            profile: None,
            note: total.not_estimable.clone().unwrap_or_default(),
        });
    }
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let top = rows
        .iter()
        .flat_map(|r| [r.estimate, r.headline.map(|h| h.1), r.profile.map(|p| p.1)])
        .flatten()
        .map(finite)
        .fold(1.0_f64, f64::max)
        * 1.05;
    let (left, right, row_height) = (170.0, 40.0, 34.0);
    let height = MARGIN * 2.0 + 40.0 + row_height * rows.len() as f64;
    let plot = WIDTH - left - right;
    let x = |value: f64| left + (value.min(top) / top) * plot;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" \
         font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{MARGIN}\" y=\"24\" \
         font-size=\"14\">{}</text>\n",
        escape(title)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = MARGIN + 30.0 + i as f64 * row_height;
        let _ = writeln!(svg, "<text x=\"10\" y=\"{:.1}\">{}</text>", y + 4.0, escape(&row.label));
        if let Some((low, high)) = row.profile {
            let _ = writeln!(
                svg,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#333\" stroke-width=\"1\"/>",
                x(low),
                x(high)
            );
        }
        if let Some((low, high)) = row.headline {
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"8\" fill=\"#8aa\"/>",
                x(low),
                y - 4.0,
                (x(high) - x(low)).max(1.0)
            );
        }
        match row.estimate {
            Some(e) => {
                let _ = writeln!(svg, "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#c33\"/>", x(e));
            }
            None => {
                let _ = writeln!(svg, "<text x=\"{left}\" y=\"{:.1}\" fill=\"#933\">no estimate</text>", y + 4.0);
            }
        }
        let _ = writeln!(
            svg,
            "<text x=\"{left}\" y=\"{:.1}\" font-size=\"10\" fill=\"#555\">{}</text>",
            y + 16.0,
            escape(&row.note)
        );
    }
    let axis = height - MARGIN;
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{axis:.1}\" y2=\"{axis:.1}\" stroke=\"#333\"/>",
        WIDTH - right
    );
    for k in 0..=4 {
        let value = top * f64::from(k) / 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{:.0}</text>",
            x(value),
            axis + 16.0,
            value
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"10\">people; dot: estimate; bar: {:.0}% interval with the model \
         re-chosen (or posterior); line: model held fixed</text>\n</svg>",
        height - 6.0,
        report.level * 100.0
    );
    svg
}
