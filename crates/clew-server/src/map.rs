//! The map of worksites and accommodation: places as points on an offline base map of Russia and its
//! neighbours, rendered on the server as a self-contained SVG document.
//!
//! The base map is `assets/map/base.txt` (Natural Earth's admin-0 countries, public domain, through the npm
//! package world-atlas; see `assets/map/PROVENANCE.md`), compiled in and parsed once. The projection is a
//! Lambert conformal conic with standard parallels 50°N and 70°N (Russia's usual kind of map), its central
//! meridian the middle of the points shown (100°E for the whole region), and the view fitted to the points
//! with margins, or to all Russia when there are none.
//!
//! The SVG has no script, no event handler, no style element or attribute and no external reference, so a
//! strict Content-Security-Policy lets it through: it is styled by presentation attributes, which a page's
//! stylesheet can override through the class names (`land`, `russia`, `coast`, `border`, `graticule`, `pt`,
//! `worksite`, `accommodation`, `other`, `mixed`, `legend`, `outside`). Every string from outside (title,
//! labels, links) is XML-escaped; a link is kept only when it is a path on this site ("/...").
//!
//! Std only.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The base map: arcs (`c` coast, `b` land border) and rings of countries made of arcs (see the file's header).
const BASE: &str = include_str!("../assets/map/base.txt");

/// The region where points are drawn: longitudes (east of Greenwich, 180..195 being the western hemisphere's
/// -180..-165, as Chukotka) and latitudes. A point outside it is listed under the map, not drawn.
const REGION_LON: (f64, f64) = (15.0, 195.0);
const REGION_LAT: (f64, f64) = (30.0, 82.0);
/// Longitudes west of this are taken as east of 180 (lon + 360), as in the base map.
const SHIFT_WEST_OF: f64 = -30.0;
/// ISO 3166-1 numeric code of Russia, drawn apart and the view of an empty map.
const RUSSIA: i32 = 643;

/// The SVG's width in user units; the height follows from the view.
const WIDTH: f64 = 1000.0;
/// Standard parallels of the conic projection, degrees.
const PARALLELS: (f64, f64) = (50.0, 70.0);
/// The central meridian of the whole region, and the range it is kept in for a fitted view (so that the base
/// map's far west and Alaska never wrap around the cone).
const CENTRAL_MERIDIAN: f64 = 100.0;
const CENTRAL_MERIDIAN_RANGE: (f64, f64) = (40.0, 150.0);
/// The smallest view, in Earth radii (0.12 is about 760 km), so one point still shows where it is.
const MIN_SPAN: f64 = 0.12;
/// How far (in SVG units) a line drawn may stray from the base map's.
const TOLERANCE: f64 = 0.6;
/// Width to height of the view, at most and at least.
const ASPECT: (f64, f64) = (1.3, 2.2);
/// Labels longer than this (in characters) are cut in the list of points outside the region.
const MAX_LISTED_LABEL: usize = 100;
/// How many points outside the region are listed by name; the rest are counted.
const MAX_LISTED: usize = 20;
/// How many labels the title of a circle that stands for several places names.
const MAX_TITLE_LABELS: usize = 20;
const FONT: &str = "font-family=\"sans-serif\"";

/// What a point on the map is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PointKind {
    /// A place where people work.
    Worksite,
    /// A place where people live (dormitory, barracks, container on site).
    Accommodation,
    /// Anything else.
    Other,
}

impl PointKind {
    fn class(self) -> &'static str {
        match self {
            PointKind::Worksite => "worksite",
            PointKind::Accommodation => "accommodation",
            PointKind::Other => "other",
        }
    }
}

/// A place to show on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east (-180..180; Chukotka's west-of-180 longitudes are taken as east of 180).
    pub lon: f64,
    /// What the point is called (the circle's title).
    pub label: String,
    /// Where the point links to: a path on this site, starting with "/"; anything else is not linked.
    pub href: Option<String>,
    /// What the point is.
    pub kind: PointKind,
}

/// The words the SVG needs, in the page's language. `Default` is English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapLabels {
    /// A circle that stands for several places at one spot; `{n}` is replaced by their number ("{n} places").
    pub places: String,
    /// The legend's word for a worksite.
    pub worksite: String,
    /// The legend's word for accommodation.
    pub accommodation: String,
    /// The legend's word for other places.
    pub other: String,
    /// The legend's word for a circle that stands for places of several kinds.
    pub mixed: String,
    /// The heading of the list of points outside the region the map shows.
    pub outside: String,
}

impl Default for MapLabels {
    fn default() -> Self {
        MapLabels {
            places: "{n} places".to_string(),
            worksite: "worksite".to_string(),
            accommodation: "accommodation".to_string(),
            other: "other place".to_string(),
            mixed: "places of several kinds".to_string(),
            outside: "Not on the map (outside the region it shows):".to_string(),
        }
    }
}

/// Whether a point falls in the region the map shows (Russia and its neighbours: longitude 15°E to 165°W,
/// latitude 30°N to 82°N); a point outside it is listed under the map instead of drawn.
pub fn in_region(lat: f64, lon: f64) -> bool {
    let lon = normal_lon(lon);
    lat.is_finite()
        && lon.is_finite()
        && (REGION_LAT.0..=REGION_LAT.1).contains(&lat)
        && (REGION_LON.0..=REGION_LON.1).contains(&lon)
}

fn normal_lon(lon: f64) -> f64 {
    if lon < SHIFT_WEST_OF { lon + 360.0 } else { lon }
}

/// The map as an SVG document: the base map, the points (one circle per spot, with the number of places when
/// several share it, linked when they share a link), a legend of the kinds shown, and the points outside the
/// region listed below.
pub fn render_map(points: &[MapPoint], title: &str, labels: &MapLabels) -> String {
    let (inside, outside): (Vec<&MapPoint>, Vec<&MapPoint>) = points.iter().partition(|p| in_region(p.lat, p.lon));
    let groups = group(&inside);
    let view = View::fit(&groups);
    let map_height = view.height;
    let band = if outside.is_empty() { 0.0 } else { 16.0 + 20.0 * (outside.len().min(MAX_LISTED + 1) + 1) as f64 };
    let height = map_height + band;

    let mut svg = String::with_capacity(64 * 1024);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"clew-map\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
         height=\"{h}\" role=\"img\" aria-labelledby=\"clew-map-title\">\n<title id=\"clew-map-title\">{}</title>\n",
        escape(title),
        w = num(WIDTH),
        h = num(height),
    );
    let _ = writeln!(
        svg,
        "<rect class=\"sea\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#dbe9f2\"/>",
        num(WIDTH),
        num(map_height)
    );
    draw_base(&mut svg, &view);
    draw_graticule(&mut svg, &view);
    // Circles that stand for several places on top of single ones nearby.
    let mut order: Vec<&Group> = groups.iter().collect();
    order.sort_by_key(|g| g.points.len());
    for g in order {
        draw_group(&mut svg, &view, g, labels);
    }
    draw_legend(&mut svg, &groups, labels);
    if !outside.is_empty() {
        draw_outside(&mut svg, &outside, map_height, labels);
    }
    svg.push_str("</svg>\n");
    svg
}

/// Points at one spot (the same latitude and longitude to 1e-4 degree).
struct Group<'a> {
    lat: f64,
    lon: f64,
    points: Vec<&'a MapPoint>,
}

fn group<'a>(points: &[&'a MapPoint]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut index: HashMap<(i64, i64), usize> = HashMap::new();
    for &p in points {
        let lon = normal_lon(p.lon);
        let key = ((p.lat * 1e4).round() as i64, (lon * 1e4).round() as i64);
        match index.get(&key) {
            Some(&i) => groups[i].points.push(p),
            None => {
                index.insert(key, groups.len());
                groups.push(Group { lat: p.lat, lon, points: vec![p] });
            }
        }
    }
    groups
}

impl Group<'_> {
    /// The kind's class, or "mixed".
    fn class(&self) -> &'static str {
        let first = self.points[0].kind;
        if self.points.iter().all(|p| p.kind == first) { first.class() } else { "mixed" }
    }

    /// The link, when every place here has the same acceptable one.
    fn href(&self) -> Option<&str> {
        let first = self.points[0].href.as_deref().filter(|h| local_href(h))?;
        self.points.iter().all(|p| p.href.as_deref() == Some(first)).then_some(first)
    }
}

/// Whether a link is a path on this site: it starts with one "/" (not "//" nor "/\", which browsers take for
/// another host) and has no whitespace, control character or backslash (browsers drop or rewrite those).
fn local_href(href: &str) -> bool {
    href.starts_with('/')
        && !href.starts_with("//")
        && !href.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\')
}

/// XML escaping of text and attribute values; characters XML does not allow are replaced by U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A number for the SVG: one decimal, no trailing ".0".
fn num(value: f64) -> String {
    let text = format!("{value:.1}");
    match text.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// The base map, parsed.
#[derive(Default)]
struct BaseMap {
    /// Each arc: whether it is a land border (else a coast), and its points (longitude, latitude).
    arcs: Vec<(bool, Vec<(f64, f64)>)>,
    /// Each country: its ISO 3166-1 numeric code and its rings, each a list of arcs (`!i`: arc `i` reversed).
    countries: Vec<(i32, Vec<Vec<i64>>)>,
}

fn base() -> &'static BaseMap {
    static BASE_MAP: OnceLock<BaseMap> = OnceLock::new();
    // The file is compiled in and a test parses it, so the empty map is never used.
    BASE_MAP.get_or_init(|| parse_base(BASE).unwrap_or_default())
}

fn parse_base(text: &str) -> Result<BaseMap, String> {
    let mut map = BaseMap::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_ascii_whitespace();
        let bad = |what: &str| format!("base map line {}: {what}", number + 1);
        match fields.next() {
            Some(kind @ ("c" | "b")) => {
                let mut points = Vec::new();
                for pair in fields {
                    let (lon, lat) = pair.split_once(',').ok_or_else(|| bad("a point without a comma"))?;
                    let lon: f64 = lon.parse().map_err(|_| bad("a bad longitude"))?;
                    let lat: f64 = lat.parse().map_err(|_| bad("a bad latitude"))?;
                    points.push((lon, lat));
                }
                if points.len() < 2 {
                    return Err(bad("an arc of fewer than two points"));
                }
                map.arcs.push((kind == "b", points));
            }
            Some("r") => {
                let id: i32 =
                    fields.next().and_then(|f| f.parse().ok()).ok_or_else(|| bad("a ring without a country"))?;
                let mut ring = Vec::new();
                for field in fields {
                    let (reversed, digits) = match field.strip_prefix('~') {
                        Some(rest) => (true, rest),
                        None => (false, field),
                    };
                    let arc: usize = digits.parse().map_err(|_| bad("a bad arc number"))?;
                    if arc >= map.arcs.len() {
                        return Err(bad("a ring names an arc not yet given"));
                    }
                    let arc = arc as i64;
                    ring.push(if reversed { !arc } else { arc });
                }
                if ring.is_empty() {
                    return Err(bad("a ring without arcs"));
                }
                match map.countries.last_mut() {
                    Some((last, rings)) if *last == id => rings.push(ring),
                    _ => map.countries.push((id, vec![ring])),
                }
            }
            _ => return Err(bad("neither an arc nor a ring")),
        }
    }
    if map.arcs.is_empty() || map.countries.is_empty() {
        return Err("the base map is empty".to_string());
    }
    Ok(map)
}

/// Lambert conformal conic on the sphere, in Earth radii, y up.
struct Conic {
    n: f64,
    f: f64,
    lon0: f64,
}

impl Conic {
    fn new(lon0: f64) -> Conic {
        let (p1, p2) = (PARALLELS.0.to_radians(), PARALLELS.1.to_radians());
        let t = |phi: f64| (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan();
        let n = (p1.cos() / p2.cos()).ln() / (t(p2) / t(p1)).ln();
        let f = p1.cos() * t(p1).powf(n) / n;
        Conic { n, f, lon0 }
    }

    fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        // Keep clear of the pole's singularity (no data there, but a point could ask).
        let lat = lat.clamp(-89.0, 89.9).to_radians();
        let rho = self.f / (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().powf(self.n);
        let theta = self.n * (lon - self.lon0).to_radians();
        (rho * theta.sin(), -rho * theta.cos())
    }
}

/// What the SVG shows: the projection, and the box of projected coordinates scaled into WIDTH.
struct View {
    conic: Conic,
    x0: f64,
    y1: f64,
    scale: f64,
    height: f64,
}

impl View {
    /// The view of the points, or of all Russia when there are none.
    fn fit(groups: &[Group]) -> View {
        let (conic, boxed) = if groups.is_empty() {
            let conic = Conic::new(CENTRAL_MERIDIAN);
            let map = base();
            let mut boxed = Bounds::default();
            for (id, rings) in &map.countries {
                if *id == RUSSIA {
                    for arc in rings.iter().flatten() {
                        let index = if *arc >= 0 { *arc } else { !*arc } as usize;
                        for &(lon, lat) in &map.arcs[index].1 {
                            boxed.add(conic.project(lon, lat));
                        }
                    }
                }
            }
            if boxed.is_empty() {
                // Only without a base map (never, see `base`): Russia's corners.
                for (lon, lat) in [(20.0, 41.0), (190.0, 41.0), (20.0, 82.0), (190.0, 82.0), (100.0, 41.0)] {
                    boxed.add(conic.project(lon, lat));
                }
            }
            (conic, boxed.pad(0.03, 0.03))
        } else {
            let (lo, hi) = groups.iter().fold((f64::MAX, f64::MIN), |(lo, hi), g| (lo.min(g.lon), hi.max(g.lon)));
            let conic = Conic::new(((lo + hi) / 2.0).clamp(CENTRAL_MERIDIAN_RANGE.0, CENTRAL_MERIDIAN_RANGE.1));
            let mut boxed = Bounds::default();
            for g in groups {
                boxed.add(conic.project(g.lon, g.lat));
            }
            let span = (boxed.x1 - boxed.x0).max(boxed.y1 - boxed.y0);
            (conic, boxed.grow_to(MIN_SPAN).pad(0.1 * span + 0.04, 0.1 * span + 0.04))
        };
        let boxed = boxed.aspect(ASPECT.0, ASPECT.1);
        let scale = WIDTH / (boxed.x1 - boxed.x0);
        let height = ((boxed.y1 - boxed.y0) * scale).round();
        View { conic, x0: boxed.x0, y1: boxed.y1, scale, height }
    }

    /// A longitude and latitude in SVG coordinates.
    fn to_svg(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.conic.project(lon, lat);
        ((x - self.x0) * self.scale, (self.y1 - y) * self.scale)
    }

    /// Whether a box of SVG coordinates meets the view.
    fn meets(&self, b: &Bounds) -> bool {
        !b.is_empty() && b.x1 >= -2.0 && b.x0 <= WIDTH + 2.0 && b.y1 >= -2.0 && b.y0 <= self.height + 2.0
    }
}

/// A box of coordinates.
#[derive(Clone, Copy)]
struct Bounds {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { x0: f64::MAX, x1: f64::MIN, y0: f64::MAX, y1: f64::MIN }
    }
}

impl Bounds {
    fn add(&mut self, (x, y): (f64, f64)) {
        self.x0 = self.x0.min(x);
        self.x1 = self.x1.max(x);
        self.y0 = self.y0.min(y);
        self.y1 = self.y1.max(y);
    }

    fn union(&mut self, other: &Bounds) {
        if !other.is_empty() {
            self.add((other.x0, other.y0));
            self.add((other.x1, other.y1));
        }
    }

    fn is_empty(&self) -> bool {
        self.x0 > self.x1
    }

    fn pad(self, dx: f64, dy: f64) -> Bounds {
        Bounds { x0: self.x0 - dx, x1: self.x1 + dx, y0: self.y0 - dy, y1: self.y1 + dy }
    }

    /// At least `span` wide and high, around the same centre.
    fn grow_to(self, span: f64) -> Bounds {
        let dx = (span - (self.x1 - self.x0)).max(0.0) / 2.0;
        let dy = (span - (self.y1 - self.y0)).max(0.0) / 2.0;
        self.pad(dx, dy)
    }

    /// Widened or heightened around the same centre so that width / height is within `low..=high`.
    fn aspect(self, low: f64, high: f64) -> Bounds {
        let (w, h) = (self.x1 - self.x0, self.y1 - self.y0);
        if w < h * low {
            self.pad((h * low - w) / 2.0, 0.0)
        } else if w > h * high {
            self.pad(0.0, (w / high - h) / 2.0)
        } else {
            self
        }
    }
}

/// A polyline simplified for the view (Douglas-Peucker, `tolerance` in SVG units): the ends are kept, so arcs
/// joined into rings and borders shared by two countries still meet.
fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (a, b) = (points[first], points[last]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length2 = dx * dx + dy * dy;
        let mut worst = (0.0, 0);
        for (i, p) in points.iter().enumerate().take(last).skip(first + 1) {
            let t = if length2 > 0.0 { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0) } else { 0.0 };
            let d = (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy);
            if d > worst.0 {
                worst = (d, i);
            }
        }
        if worst.0 > tolerance {
            keep[worst.1] = true;
            stack.push((first, worst.1));
            stack.push((worst.1, last));
        }
    }
    points.iter().zip(keep).filter_map(|(p, k)| k.then_some(*p)).collect()
}

/// A number of tenths, short: 12 is "1.2", -5 is "-.5", 30 is "3".
fn tenths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let (whole, tenth) = (value.abs() / 10, value.abs() % 10);
    match (whole, tenth) {
        (w, 0) => format!("{sign}{w}"),
        (0, t) => format!("{sign}.{t}"),
        (w, t) => format!("{sign}{w}.{t}"),
    }
}

/// Appends a polyline to path data: the first point absolute, the others relative, all to a tenth of a unit
/// (the steps are between rounded points, so no error adds up).
fn path_data(d: &mut String, points: &[(f64, f64)], close: bool) {
    let mut last = (0_i64, 0_i64);
    let mut steps = 0;
    for (i, &(x, y)) in points.iter().enumerate() {
        let p = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        if i == 0 {
            let (px, py) = (tenths(p.0), tenths(p.1));
            let _ = write!(d, "M{px}{}{py}", if py.starts_with('-') { "" } else { "," });
        } else if p != last {
            for (j, value) in [p.0 - last.0, p.1 - last.1].into_iter().enumerate() {
                let text = tenths(value);
                if steps == 0 && j == 0 {
                    d.push('l');
                } else if !text.starts_with('-') {
                    d.push(if j == 0 { ' ' } else { ',' });
                }
                d.push_str(&text);
            }
            steps += 1;
        }
        last = p;
    }
    if close {
        d.push('z');
    }
}

fn draw_base(svg: &mut String, view: &View) {
    let map = base();
    // Each arc projected and thinned once, with its box.
    let arcs: Vec<(Vec<(f64, f64)>, Bounds)> = map
        .arcs
        .iter()
        .map(|(_, points)| {
            let projected: Vec<(f64, f64)> = points.iter().map(|&(lon, lat)| view.to_svg(lon, lat)).collect();
            let thinned = simplify(&projected, TOLERANCE);
            let mut b = Bounds::default();
            for &p in &thinned {
                b.add(p);
            }
            (thinned, b)
        })
        .collect();
    for (id, rings) in &map.countries {
        let mut d = String::new();
        for ring in rings {
            let mut b = Bounds::default();
            for &arc in ring {
                b.union(&arcs[if arc >= 0 { arc } else { !arc } as usize].1);
            }
            if !view.meets(&b) {
                continue;
            }
            let mut points: Vec<(f64, f64)> = Vec::new();
            for &arc in ring {
                let (reversed, index) = if arc >= 0 { (false, arc as usize) } else { (true, !arc as usize) };
                let arc = &arcs[index].0;
                let skip = usize::from(!points.is_empty());
                if reversed {
                    points.extend(arc.iter().rev().skip(skip));
                } else {
                    points.extend(arc.iter().skip(skip));
                }
            }
            if points.len() >= 3 {
                path_data(&mut d, &points, true);
            }
        }
        if !d.is_empty() {
            let (class, fill) = if *id == RUSSIA { ("land russia", "#f4e3c1") } else { ("land", "#f2f0eb") };
            let _ = writeln!(
                svg,
                "<path class=\"{class}\" fill=\"{fill}\" fill-rule=\"evenodd\" stroke=\"{fill}\" stroke-width=\"0.5\" \
                 d=\"{d}\"/>"
            );
        }
    }
    for (border, class, stroke, width) in [(false, "coast", "#7d98ab", "0.7"), (true, "border", "#a08f7a", "0.8")] {
        let mut d = String::new();
        for ((is_border, _), (points, b)) in map.arcs.iter().zip(&arcs) {
            if *is_border == border && view.meets(b) {
                path_data(&mut d, points, false);
            }
        }
        if !d.is_empty() {
            let _ = writeln!(
                svg,
                "<path class=\"{class}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{width}\" \
                 stroke-linejoin=\"round\" d=\"{d}\"/>"
            );
        }
    }
}

/// Meridians and parallels every 10 degrees, faint.
fn draw_graticule(svg: &mut String, view: &View) {
    let mut d = String::new();
    let mut line = |points: Vec<(f64, f64)>| {
        let points = simplify(&points, TOLERANCE);
        let mut b = Bounds::default();
        for &p in &points {
            b.add(p);
        }
        if view.meets(&b) {
            path_data(&mut d, &points, false);
        }
    };
    for lon in (0..=20).map(|i| f64::from(i) * 10.0) {
        line([20.0, 85.0].iter().map(|&lat| view.to_svg(lon, lat)).collect());
    }
    for lat in (2..=8).map(|i| f64::from(i) * 10.0) {
        line((0..=100).map(|i| view.to_svg(f64::from(i) * 2.0, lat)).collect());
    }
    if !d.is_empty() {
        let _ = writeln!(
            svg,
            "<path class=\"graticule\" fill=\"none\" stroke=\"#8aa4b8\" stroke-opacity=\"0.35\" stroke-width=\"0.5\" \
             d=\"{d}\"/>"
        );
    }
}

fn fill_of(class: &str) -> &'static str {
    match class {
        "worksite" => "#c0392b",
        "accommodation" => "#1f5fa8",
        "mixed" => "#7b3f99",
        _ => "#555555",
    }
}

fn draw_group(svg: &mut String, view: &View, g: &Group, labels: &MapLabels) {
    let (x, y) = view.to_svg(g.lon, g.lat);
    let class = g.class();
    let count = g.points.len();
    let title = if count == 1 {
        g.points[0].label.clone()
    } else {
        let mut names: Vec<&str> = g.points.iter().take(MAX_TITLE_LABELS).map(|p| p.label.as_str()).collect();
        if count > MAX_TITLE_LABELS {
            names.push("…");
        }
        format!("{}: {}", labels.places.replace("{n}", &count.to_string()), names.join("; "))
    };
    let r = if count == 1 { 5.0 } else { (6.5 + 1.5 * (count as f64).log2()).min(12.0) };
    let (open, close) = match g.href() {
        Some(href) => (format!("<a class=\"pt {class}\" href=\"{}\">", escape(href)), "</a>"),
        None => (format!("<g class=\"pt {class}\">"), "</g>"),
    };
    let _ = write!(
        svg,
        "{open}<title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#ffffff\" \
         stroke-width=\"1.5\"/>",
        escape(&title),
        num(x),
        num(y),
        num(r),
        fill_of(class)
    );
    if count > 1 {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" dy=\"0.35em\" text-anchor=\"middle\" {FONT} font-size=\"{}\" font-weight=\"bold\" \
             fill=\"#ffffff\">{count}</text>",
            num(x),
            num(y),
            if count > 99 { 8 } else { 10 }
        );
    }
    svg.push_str(close);
    svg.push('\n');
}

/// A rough width of text in the SVG's units (wide for CJK and Hangul).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if (c as u32) >= 0x1100 { 1.0 } else { 0.58 }).sum::<f64>() * size
}

fn draw_legend(svg: &mut String, groups: &[Group], labels: &MapLabels) {
    let entries: Vec<(&str, &str)> = [
        ("worksite", labels.worksite.as_str()),
        ("accommodation", labels.accommodation.as_str()),
        ("other", labels.other.as_str()),
        ("mixed", labels.mixed.as_str()),
    ]
    .into_iter()
    .filter(|(class, _)| groups.iter().any(|g| g.class() == *class))
    .collect();
    if entries.is_empty() {
        return;
    }
    let size = 14.0;
    let width = entries.iter().map(|(_, text)| text_width(text, size)).fold(0.0, f64::max) + 42.0;
    let height = 12.0 + 22.0 * entries.len() as f64;
    let _ = writeln!(
        svg,
        "<g class=\"legend\"><rect x=\"10\" y=\"10\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#ffffff\" \
         fill-opacity=\"0.85\" stroke=\"#999999\" stroke-width=\"0.5\"/>",
        num(width),
        num(height)
    );
    for (i, (class, text)) in entries.iter().enumerate() {
        let y = 28.0 + 22.0 * i as f64;
        let _ = writeln!(
            svg,
            "<circle class=\"pt {class}\" cx=\"26\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\
             <text x=\"40\" y=\"{}\" dy=\"0.35em\" {FONT} font-size=\"{}\" fill=\"#222222\">{}</text>",
            num(y),
            fill_of(class),
            num(y),
            num(size),
            escape(text)
        );
    }
    svg.push_str("</g>\n");
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_LISTED_LABEL {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(MAX_LISTED_LABEL - 1).collect();
        out.push('…');
        out
    }
}

fn draw_outside(svg: &mut String, outside: &[&MapPoint], top: f64, labels: &MapLabels) {
    // The band below the map, over whatever land the view drew beyond its bottom edge (and past the SVG's
    // bottom, for a viewer that rounds its size up).
    let _ = writeln!(
        svg,
        "<rect class=\"outside\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(top),
        num(WIDTH),
        num(36.0 + 20.0 * (outside.len().min(MAX_LISTED + 1) + 1) as f64)
    );
    let _ = writeln!(
        svg,
        "<g class=\"outside\" {FONT} font-size=\"14\" fill=\"#222222\"><text x=\"10\" y=\"{}\" font-weight=\"bold\">{}</text>",
        num(top + 26.0),
        escape(&labels.outside)
    );
    for (i, p) in outside.iter().take(MAX_LISTED).enumerate() {
        let y = top + 26.0 + 20.0 * (i + 1) as f64;
        let place = if p.lat.is_finite() && p.lon.is_finite() {
            format!(" ({:.2}, {:.2})", p.lat, p.lon)
        } else {
            String::new()
        };
        let text = format!("{}{place}", shorten(&p.label));
        let _ = match p.href.as_deref().filter(|h| local_href(h)) {
            Some(href) => writeln!(
                svg,
                "<a class=\"pt {}\" href=\"{}\"><text x=\"20\" y=\"{}\">{}</text></a>",
                p.kind.class(),
                escape(href),
                num(y),
                escape(&text)
            ),
            None => writeln!(
                svg,
                "<text class=\"pt {}\" x=\"20\" y=\"{}\">{}</text>",
                p.kind.class(),
                num(y),
                escape(&text)
            ),
        };
    }
    if outside.len() > MAX_LISTED {
        let rest = outside.len() - MAX_LISTED;
        let y = top + 26.0 + 20.0 * (MAX_LISTED + 1) as f64;
        let _ = writeln!(
            svg,
            "<text x=\"20\" y=\"{}\">+ {}</text>",
            num(y),
            escape(&labels.places.replace("{n}", &rest.to_string()))
        );
    }
    svg.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64, label: &str, href: Option<&str>, kind: PointKind) -> MapPoint {
        MapPoint { lat, lon, label: label.to_string(), href: href.map(str::to_string), kind }
    }

    fn city(lat: f64, lon: f64, label: &str) -> MapPoint {
        point(lat, lon, label, None, PointKind::Worksite)
    }

    /// The (cx, cy) of each circle of the points (not the legend's), in order.
    fn circles(svg: &str) -> Vec<(f64, f64)> {
        svg.lines()
            .filter(|l| (l.starts_with("<a class=\"pt") || l.starts_with("<g class=\"pt")) && l.contains("<circle"))
            .map(|l| {
                let attr = |name: &str| -> f64 {
                    let start = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    let end = start + l[start..].find('"').unwrap();
                    l[start..end].parse().unwrap()
                };
                (attr("cx"), attr("cy"))
            })
            .collect()
    }

    #[test]
    fn the_base_map_parses_and_has_russia_and_its_neighbours() {
        let map = parse_base(BASE).unwrap();
        for id in [RUSSIA, 408, 410, 156, 496, 392, 398, 804, 112, 246] {
            assert!(map.countries.iter().any(|(c, _)| *c == id), "country {id} missing");
        }
        let mut lon = (f64::MAX, f64::MIN);
        let mut lat = (f64::MAX, f64::MIN);
        let (_, rings) = map.countries.iter().find(|(c, _)| *c == RUSSIA).unwrap();
        for &arc in rings.iter().flatten() {
            for &(x, y) in &map.arcs[if arc >= 0 { arc } else { !arc } as usize].1 {
                lon = (lon.0.min(x), lon.1.max(x));
                lat = (lat.0.min(y), lat.1.max(y));
            }
        }
        // Kaliningrad to Chukotka across 180 (as 190), the Caucasus to Franz Josef Land.
        assert!((19.0..20.5).contains(&lon.0) && (189.0..191.0).contains(&lon.1), "{lon:?}");
        assert!((41.0..42.0).contains(&lat.0) && (81.0..82.5).contains(&lat.1), "{lat:?}");
        // Every ring closes: its arcs join end to start.
        for (_, rings) in &map.countries {
            for ring in rings {
                let ends = |arc: i64| {
                    let points = &map.arcs[if arc >= 0 { arc } else { !arc } as usize].1;
                    let (first, last) = (points[0], points[points.len() - 1]);
                    if arc >= 0 { (first, last) } else { (last, first) }
                };
                for pair in ring.windows(2) {
                    assert_eq!(ends(pair[0]).1, ends(pair[1]).0);
                }
                assert_eq!(ends(ring[ring.len() - 1]).1, ends(ring[0]).0);
            }
        }
        assert!(parse_base("c 1,2 3,4\nr 643 1\n").is_err(), "a ring of an arc not given");
        assert!(parse_base("c 1,2\n").is_err());
        assert!(parse_base("x\n").is_err());
    }

    #[test]
    fn every_string_is_escaped() {
        let nasty = "<script>&\"'";
        let svg = render_map(
            &[point(43.12, 131.89, nasty, Some("/sites/1?a=1&b=\"2\""), PointKind::Worksite)],
            nasty,
            &MapLabels { worksite: nasty.to_string(), ..MapLabels::default() },
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("&\""));
        assert_eq!(svg.matches("&lt;script&gt;&amp;&quot;&apos;").count(), 3, "title, point, legend");
        assert!(svg.contains("href=\"/sites/1?a=1&amp;b=&quot;2&quot;\""));
        // Outside the region, listed, still escaped.
        let svg = render_map(&[point(-33.9, 18.4, nasty, None, PointKind::Other)], "t", &MapLabels::default());
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&apos; (-33.90, 18.40)"), "{svg}");
        assert!(!svg.contains("<script"));
        // Control characters XML does not allow are replaced.
        assert_eq!(escape("a\u{1}b\u{FFFF}\n"), "a\u{FFFD}b\u{FFFD}\n");
    }

    #[test]
    fn only_paths_on_this_site_are_linked() {
        for bad in [
            "https://example.org/x",
            "javascript:alert(1)",
            "//example.org/x",
            "/\\example.org",
            "/\t/example.org",
            "/a b",
            "sites/1",
            "",
        ] {
            let svg =
                render_map(&[point(43.12, 131.89, "a", Some(bad), PointKind::Worksite)], "t", &MapLabels::default());
            assert!(!svg.contains("<a "), "{bad:?} was linked: {svg}");
            assert!(!svg.contains("href"), "{bad:?}");
            let svg =
                render_map(&[point(-33.9, 18.4, "a", Some(bad), PointKind::Worksite)], "t", &MapLabels::default());
            assert!(!svg.contains("href"), "{bad:?} was linked in the list");
        }
        let svg =
            render_map(&[point(43.12, 131.89, "a", Some("/sites/7"), PointKind::Worksite)], "t", &MapLabels::default());
        assert!(svg.contains("<a class=\"pt worksite\" href=\"/sites/7\"><title>a</title><circle"), "{svg}");
    }

    #[test]
    fn the_projection_puts_cities_where_they_are() {
        let moscow = city(55.76, 37.62, "Moscow");
        let vladivostok = city(43.12, 131.89, "Vladivostok");
        let petersburg = city(59.94, 30.31, "St Petersburg");
        let novosibirsk = city(55.03, 82.92, "Novosibirsk");
        let svg = render_map(&[moscow, vladivostok, petersburg, novosibirsk], "Four cities", &MapLabels::default());
        let c = circles(&svg);
        assert_eq!(c.len(), 4);
        let (m, v, p, n) = (c[0], c[1], c[2], c[3]);
        assert!(v.0 > m.0, "Vladivostok is east of (right of) Moscow: {c:?}");
        assert!(m.1 < v.1, "Moscow is north of (above) Vladivostok: {c:?}");
        assert!(p.1 < m.1 && p.0 < m.0, "St Petersburg is above and left of Moscow: {c:?}");
        assert!(m.0 < n.0 && n.0 < v.0, "Novosibirsk is between: {c:?}");
        // All inside the SVG.
        let height = View::fit(&group(&[&city(55.76, 37.62, "M"), &city(43.12, 131.89, "V")])).height;
        assert!(height > 100.0);
        for (x, y) in c {
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=height * 1.5).contains(&y), "{x} {y}");
        }
        // One point: a view around it, north up (a point due north is straight above).
        let view = View::fit(&group(&[&city(48.48, 135.07, "Khabarovsk")]));
        let (x, y) = view.to_svg(135.07, 48.48);
        assert!((x - WIDTH / 2.0).abs() < 1.0 && (y - view.height / 2.0).abs() < 1.0, "{x} {y}");
        let (x2, y2) = view.to_svg(135.07, 50.0);
        assert!((x2 - x).abs() < 0.01 && y2 < y);
        // Chukotka west of 180 is east of Vladivostok.
        let (xc, _) = view.to_svg(normal_lon(-175.0), 65.0);
        assert!(xc > x);
    }

    #[test]
    fn points_outside_the_region_are_listed_not_drawn() {
        assert!(in_region(43.12, 131.89));
        assert!(in_region(66.0, -172.0), "Chukotka, west of 180");
        assert!(!in_region(-33.9, 18.4));
        assert!(!in_region(40.7, -74.0));
        assert!(!in_region(f64::NAN, 40.0));
        assert!(!in_region(50.0, f64::INFINITY));
        let points = [
            city(43.12, 131.89, "Vladivostok"),
            point(40.7, -74.0, "New York", Some("/sites/9"), PointKind::Accommodation),
            city(f64::NAN, 10.0, "Nowhere"),
        ];
        let svg = render_map(&points, "t", &MapLabels::default());
        assert_eq!(circles(&svg).len(), 1);
        assert!(svg.contains("Not on the map"));
        assert!(svg.contains("New York (40.70, -74.00)"));
        assert!(svg.contains("href=\"/sites/9\""));
        assert!(svg.contains(">Nowhere</text>"));
        // Many: some named, the rest counted.
        let far: Vec<MapPoint> = (0..30).map(|i| city(-40.0, f64::from(i), &format!("far {i}"))).collect();
        let svg = render_map(&far, "t", &MapLabels::default());
        assert!(svg.contains("far 19 ") && !svg.contains("far 20 "));
        assert!(svg.contains("+ 10 places"));
    }

    #[test]
    fn points_at_one_spot_are_drawn_once_with_their_number() {
        let points = [
            point(43.12, 131.89, "Site A", Some("/sites/1"), PointKind::Worksite),
            point(43.12, 131.89, "Dormitory B", Some("/sites/2"), PointKind::Accommodation),
            point(43.12, 131.89, "Site C", Some("/sites/3"), PointKind::Worksite),
            point(48.48, 135.07, "Site D", Some("/sites/4"), PointKind::Worksite),
            point(48.48, 135.07, "Site D again", Some("/sites/4"), PointKind::Worksite),
        ];
        let labels = MapLabels { places: "{n} мест".to_string(), ..MapLabels::default() };
        let svg = render_map(&points, "t", &labels);
        assert_eq!(circles(&svg).len(), 2);
        assert!(svg.contains("<title>3 мест: Site A; Dormitory B; Site C</title>"), "{svg}");
        assert!(svg.contains("font-weight=\"bold\" fill=\"#ffffff\">3</text>"));
        assert!(svg.contains("<g class=\"pt mixed\">"), "different links and kinds: not linked, mixed");
        assert!(svg.contains("<a class=\"pt worksite\" href=\"/sites/4\"><title>2 мест: Site D; Site D again</title>"));
        assert!(svg.contains(">places of several kinds</text>"), "the legend");
    }

    #[test]
    fn an_empty_map_renders_all_russia() {
        let svg = render_map(&[], "Map", &MapLabels::default());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        assert!(
            svg.contains("role=\"img\" aria-labelledby=\"clew-map-title\">\n<title id=\"clew-map-title\">Map</title>")
        );
        assert!(svg.contains("<path class=\"land russia\""));
        assert!(svg.contains("class=\"coast\"") && svg.contains("class=\"border\""));
        assert!(circles(&svg).is_empty());
        assert!(!svg.contains("class=\"legend\""));
        // Nothing a strict Content-Security-Policy would stop, nothing fetched.
        for banned in ["<script", " on", "style", "<image", "<use", "<foreignObject", "url("] {
            assert!(!svg.contains(banned), "{banned}");
        }
        assert_eq!(svg.matches("http").count(), 1, "the namespace only");
        // The view holds Kaliningrad, Chukotka, the Caucasus and Franz Josef Land.
        let view = View::fit(&[]);
        for (lon, lat) in [(20.5, 54.7), (190.0, 66.0), (47.0, 41.5), (55.0, 81.0), (131.9, 43.1)] {
            let (x, y) = view.to_svg(lon, lat);
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=view.height).contains(&y), "{lon} {lat}: {x} {y}");
        }
        // The map is much smaller than the data: thinned to the view's resolution.
        assert!(svg.len() < 120_000, "{}", svg.len());
    }

    #[test]
    fn paths_are_short_and_exact() {
        let mut d = String::new();
        path_data(&mut d, &[(10.04, 20.0), (11.2, 19.5), (11.2, 19.5), (9.0, 22.0), (10.04, 20.0)], true);
        assert_eq!(d, "M10,20l1.2-.5-2.2,2.5 1-2z");
        d.clear();
        path_data(&mut d, &[(1.0, -2.0), (1.5, -2.0)], false);
        assert_eq!(d, "M1-2l.5,0");
        let line: Vec<(f64, f64)> = (0..=100).map(|i| (f64::from(i), (f64::from(i) / 10.0).sin() * 0.1)).collect();
        assert_eq!(simplify(&line, 0.5), vec![(0.0, 0.0), (100.0, (10.0_f64).sin() * 0.1)]);
        assert!(simplify(&line, 0.01).len() > 2);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-3.26), "-3.3");
    }
}
