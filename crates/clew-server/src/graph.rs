//! An entity's relations drawn as a graph: the entity in the middle, its neighbours on a circle around it, each
//! a link to its page. Inline SVG with presentation attributes only (the Content-Security-Policy allows no
//! script and no `<style>`), laid out on the server, so it works without JavaScript. Labels run along the
//! spokes, so that two dozen of them do not overlap; long ones are cut, counting a Hangul syllable as two
//! columns, and the whole text is each node's tooltip. The page lists every relation below it as well: the
//! list, not the drawing, is what a screen reader or a small screen reads.

use maud::{Markup, html};

/// How many neighbours are drawn at most: more make a ring too crowded to read.
pub(crate) const NODES_DRAWN: usize = 24;

/// The drawing's size (a square, scaled to the page's width by the style sheet).
const SIZE: f64 = 700.0;
/// The radius of the circle the neighbours sit on.
const RING: f64 = 150.0;
/// The radius of the middle (the entity itself).
const MIDDLE: f64 = 40.0;
/// The radius of a neighbour's dot.
const DOT: f64 = 9.0;
/// Where a spoke's label is centred, from the middle.
const SPOKE_LABEL_AT: f64 = 95.0;
/// Columns kept of a neighbour's name (what fits between the ring and the drawing's edge).
const NAME_COLUMNS: usize = 24;
/// Columns kept of a spoke's label (what fits between the middle and the ring).
const SPOKE_COLUMNS: usize = 14;
/// Columns kept of the entity's own name in the middle.
const MIDDLE_COLUMNS: usize = 16;
/// Fonts that have Hangul and Cyrillic on the systems readers use, then whatever sans-serif the reader has.
const FONTS: &str = "system-ui, 'Noto Sans', 'Noto Sans KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif";

/// What a neighbour is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A person.
    Person,
    /// A company, public body or other organisation.
    Organisation,
    /// A worksite, accommodation or address.
    Place,
    /// Anything else: a relation, a permit, a document, or an entity the reader sees nothing of.
    Other,
}

impl Kind {
    fn fill(self) -> &'static str {
        match self {
            Kind::Person => "#1f5d8c",
            Kind::Organisation => "#8c3b1f",
            Kind::Place => "#2e6b30",
            Kind::Other => "#5b6670",
        }
    }
}

/// A neighbour as drawn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Its entity id (its link).
    pub id: String,
    /// Its name (or id), whole: cut for the label, whole in the tooltip.
    pub label: String,
    /// Its kind, in the reader's language, for the tooltip.
    pub kind_label: String,
    /// Its kind, for its colour.
    pub kind: Kind,
    /// What links it to the middle, in the reader's language (`Operator`, `Employment`).
    pub link: String,
    /// The relation entity the link goes through, if any: the spoke's label links to it.
    pub via: Option<String>,
    /// Whether the other names the middle (a dashed spoke) rather than the middle naming it (a solid one).
    pub incoming: bool,
}

/// The graph: `title` names it for assistive technology, `middle` is the entity's own name, `nodes` at most
/// [`NODES_DRAWN`] neighbours (those past it are left out: the caller says how many in words).
pub(crate) fn draw(title: &str, middle: &str, nodes: &[Node]) -> Markup {
    let nodes = &nodes[..nodes.len().min(NODES_DRAWN)];
    let centre = SIZE / 2.0;
    let view_box = format!("0 0 {SIZE} {SIZE}");
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox=(view_box) width=(SIZE) height=(SIZE) font-family=(FONTS) aria-label=(title) {
            title { (title) }
            @for (i, node) in nodes.iter().enumerate() {
                @let place = Spoke::new(i, nodes.len());
                @let (x, y) = place.at(RING);
                @let (from_x, from_y) = place.at(MIDDLE);
                @let (to_x, to_y) = place.at(RING - DOT);
                line x1=(f(from_x)) y1=(f(from_y)) x2=(f(to_x)) y2=(f(to_y)) stroke="#8a949c" stroke-width="1.5"
                    stroke-dasharray=[node.incoming.then_some("5 4")] {}
                @let spoke_label = clip(&node.link, SPOKE_COLUMNS);
                @if let Some(via) = &node.via {
                    a href={ "/entities/" (via) } {
                        title { (node.link) " · " (via) }
                        text transform=(place.along(SPOKE_LABEL_AT)) text-anchor="middle" y="-4" font-size="10" fill="#1f5d8c" { (spoke_label) }
                    }
                } @else {
                    text transform=(place.along(SPOKE_LABEL_AT)) text-anchor="middle" y="-4" font-size="10" fill="#5b6670" { (spoke_label) }
                }
                a href={ "/entities/" (node.id) } {
                    title { (node.label) " · " (node.kind_label) }
                    circle cx=(f(x)) cy=(f(y)) r=(DOT) fill=(node.kind.fill()) stroke="#ffffff" stroke-width="2" {}
                    text transform=(place.along(RING + DOT + 4.0)) text-anchor=(place.outward_anchor()) y="4" font-size="12" fill="#1d232a" {
                        (clip(&node.label, NAME_COLUMNS))
                    }
                }
            }
            circle cx=(f(centre)) cy=(f(centre)) r=(MIDDLE) fill="#f3f6f8" stroke="#1d232a" stroke-width="2" {}
            text x=(f(centre)) y=(f(centre + 4.0)) text-anchor="middle" font-size="12" font-weight="700" fill="#1d232a"
                stroke="#f3f6f8" stroke-width="3" paint-order="stroke" {
                (clip(middle, MIDDLE_COLUMNS))
            }
        }
    }
}

/// One spoke: its angle, clockwise from the top.
struct Spoke {
    degrees: f64,
}

impl Spoke {
    /// Spoke `i` of `n`, evenly around the circle from the top.
    fn new(i: usize, n: usize) -> Spoke {
        Spoke { degrees: -90.0 + 360.0 * i as f64 / n.max(1) as f64 }
    }

    /// The point `radius` from the middle along it.
    fn at(&self, radius: f64) -> (f64, f64) {
        let radians = self.degrees.to_radians();
        (SIZE / 2.0 + radius * radians.cos(), SIZE / 2.0 + radius * radians.sin())
    }

    /// Whether it points to the left half, where text along it would read upside down unless turned round.
    fn leftward(&self) -> bool {
        let degrees = self.degrees.rem_euclid(360.0);
        degrees > 90.0 + 1e-9 && degrees < 270.0 - 1e-9
    }

    /// A transform that puts text's origin `radius` from the middle, running along the spoke and never upside
    /// down.
    fn along(&self, radius: f64) -> String {
        let (x, y) = self.at(radius);
        let turn = if self.leftward() { self.degrees + 180.0 } else { self.degrees };
        format!("translate({} {}) rotate({})", f(x), f(y), f(turn))
    }

    /// The anchor that makes text at the ring run outwards, away from the middle.
    fn outward_anchor(&self) -> &'static str {
        if self.leftward() { "end" } else { "start" }
    }
}

/// A coordinate, to a tenth of a unit (enough on a drawing this size, and short to send).
fn f(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() { format!("{}", rounded as i64) } else { format!("{rounded:.1}") }
}

/// Whether a character takes two columns: Hangul, CJK ideographs, kana and full-width forms.
fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// `text` cut to `columns` (a wide character counts two), with an ellipsis when cut.
pub(crate) fn clip(text: &str, columns: usize) -> String {
    let width: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    if width <= columns {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = if wide(c) { 2 } else { 1 };
        // One column is left for the ellipsis.
        if used + w > columns.saturating_sub(1) {
            break;
        }
        kept.push(c);
        used += w;
    }
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(i: usize) -> Node {
        Node {
            id: format!("syn.site.{i}"),
            label: format!("SYNTHETIC site {i}"),
            kind_label: "Worksite".into(),
            kind: Kind::Place,
            link: "Operator".into(),
            via: (i % 2 == 1).then(|| format!("syn.job.{i}")),
            incoming: i % 2 == 1,
        }
    }

    #[test]
    fn long_names_are_cut_by_columns_and_hangul_counts_two() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("DEMO Severny Most 0000 LLC", 12), "DEMO Severn…");
        assert_eq!(clip("데모 조선무역총회사 1호", 10), "데모 조선…");
        assert_eq!(clip("ООО «ДЕМО Северный Мост 0000»", 12), "ООО «ДЕМО С…");
    }

    #[test]
    fn every_node_and_relation_is_a_link_and_no_more_than_the_cap_are_drawn() {
        let nodes: Vec<Node> = (0..30).map(node).collect();
        let svg = draw("Relations of <SYNTHETIC>", "SYNTHETIC LLC", &nodes).into_string();
        assert_eq!(svg.matches("<circle").count(), NODES_DRAWN + 1, "the neighbours and the middle");
        assert!(svg.contains("href=\"/entities/syn.site.0\"") && svg.contains("href=\"/entities/syn.job.1\""));
        assert!(!svg.contains("syn.site.24"), "past the cap");
        assert!(svg.contains("&lt;SYNTHETIC&gt;") && !svg.contains("<SYNTHETIC>"), "text is escaped");
        assert!(svg.contains("sans-serif") && svg.contains("stroke-dasharray=\"5 4\""));
        assert!(!svg.contains("<script") && !svg.contains("<style"));
    }

    #[test]
    fn labels_on_the_left_are_turned_round_to_read_outwards() {
        let top = Spoke::new(0, 4);
        let left = Spoke::new(3, 4);
        assert_eq!((top.outward_anchor(), left.outward_anchor()), ("start", "end"));
        assert_eq!(f(top.at(RING).0), f(SIZE / 2.0));
        assert_eq!(left.along(RING), format!("translate({} {}) rotate(360)", f(SIZE / 2.0 - RING), f(SIZE / 2.0)));
    }
}
