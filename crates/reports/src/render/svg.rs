//! Inline SVG charts drawn by hand (no chart crate): bars per day with a
//! reference line, a line per day, a weekday×hour heatmap and horizontal
//! bars. Each chart has `role="img"`, an `aria-label`, and a `<title>` on
//! every mark carrying its number, so the figures are there for screen
//! readers and on hover.
//!
//! Colours are SVG presentation attributes (`fill=`, `stroke=`), never
//! `style=`, so the charts pass the dashboard's CSP and its stylesheet can
//! restyle them by class (see the class list in [`mod@super::html`]). Scales
//! divide by at least 1: an empty period draws empty axes, never NaN.

use std::fmt::Write;

use super::escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 24.0;
const BAR: &str = "#4e79a7";
const REF: &str = "#e15759";
const AXIS: &str = "#888888";
const TEXT: &str = "#555555";

/// One point of a daily series: its axis label, its value, and the
/// value as the `<title>` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The x-axis label (a date).
    pub label: String,
    /// The value.
    pub value: f64,
    /// The value formatted for people.
    pub shown: String,
}

fn open(out: &mut String, class: &str, height: f64, label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{label}"><title>{label}</title>"#,
        label = escape(label),
    );
}

fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// The top of the y scale: the largest value, at least 1.
fn scale_max(values: impl Iterator<Item = f64>) -> f64 {
    values.map(finite).fold(1.0, f64::max)
}

fn axes(out: &mut String, points: &[Point], shown_max: &str) {
    let bottom = HEIGHT - BOTTOM;
    let _ = write!(
        out,
        r#"<line class="chart-axis" x1="{LEFT}" y1="{bottom}" x2="{x2}" y2="{bottom}" stroke="{AXIS}"/><line class="chart-axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{AXIS}"/>"#,
        x2 = WIDTH - RIGHT,
    );
    let _ = write!(
        out,
        r#"<text class="chart-label" x="{x}" y="{y}" text-anchor="end" font-size="11" fill="{TEXT}">{shown}</text><text class="chart-label" x="{x}" y="{bottom}" text-anchor="end" font-size="11" fill="{TEXT}">0</text>"#,
        x = LEFT - 4.0,
        y = TOP + 10.0,
        shown = escape(shown_max),
    );
    let step = points.len().div_ceil(10).max(1);
    let slot = slot_width(points.len());
    for (i, p) in points.iter().enumerate().step_by(step) {
        let _ = write!(
            out,
            r#"<text class="chart-label" x="{x:.1}" y="{y}" text-anchor="middle" font-size="11" fill="{TEXT}">{label}</text>"#,
            x = LEFT + slot * (i as f64 + 0.5),
            y = HEIGHT - 6.0,
            label = escape(&p.label),
        );
    }
}

fn slot_width(n: usize) -> f64 {
    (WIDTH - LEFT - RIGHT) / n.max(1) as f64
}

fn y_of(value: f64, max: f64) -> f64 {
    let plot = HEIGHT - TOP - BOTTOM;
    HEIGHT - BOTTOM - plot * (finite(value) / max).clamp(0.0, 1.0)
}

/// Bars per day, with an optional horizontal reference line (the previous
/// period's daily average) titled `reference.1`.
pub fn bars_with_line(
    points: &[Point],
    reference: Option<(f64, String)>,
    label: &str,
    format_max: impl Fn(f64) -> String,
) -> String {
    let mut out = String::new();
    open(&mut out, "chart-bars", HEIGHT, label);
    let max = scale_max(
        points
            .iter()
            .map(|p| p.value)
            .chain(reference.iter().map(|r| r.0)),
    );
    axes(&mut out, points, &format_max(max));
    let slot = slot_width(points.len());
    for (i, p) in points.iter().enumerate() {
        let y = y_of(p.value, max);
        let _ = write!(
            out,
            r#"<rect class="chart-bar" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{BAR}"><title>{t}: {v}</title></rect>"#,
            x = LEFT + slot * i as f64 + slot * 0.15,
            w = slot * 0.7,
            h = HEIGHT - BOTTOM - y,
            t = escape(&p.label),
            v = escape(&p.shown),
        );
    }
    if let Some((value, title)) = reference {
        let y = y_of(value, max);
        let _ = write!(
            out,
            r#"<line class="chart-ref" x1="{LEFT}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="{REF}" stroke-width="2" stroke-dasharray="6 4"><title>{t}</title></line>"#,
            x2 = WIDTH - RIGHT,
            t = escape(&title),
        );
    }
    out.push_str("</svg>");
    out
}

/// A line through the days, a dot with a title on each.
pub fn line(points: &[Point], label: &str, format_max: impl Fn(f64) -> String) -> String {
    let mut out = String::new();
    open(&mut out, "chart-line", HEIGHT, label);
    let max = scale_max(points.iter().map(|p| p.value));
    axes(&mut out, points, &format_max(max));
    let slot = slot_width(points.len());
    let xy: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (LEFT + slot * (i as f64 + 0.5), y_of(p.value, max)))
        .collect();
    if xy.len() > 1 {
        let path: Vec<String> = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            out,
            r#"<polyline class="chart-path" points="{}" fill="none" stroke="{BAR}" stroke-width="2"/>"#,
            path.join(" ")
        );
    }
    for ((x, y), p) in xy.iter().zip(points) {
        let _ = write!(
            out,
            r#"<circle class="chart-dot" cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{BAR}"><title>{t}: {v}</title></circle>"#,
            t = escape(&p.label),
            v = escape(&p.shown),
        );
    }
    out.push_str("</svg>");
    out
}

/// A 7×24 grid, Monday first; shade by count. `day_names` are the rows'
/// labels, `slot_title(day, hour, count)` each cell's title.
pub fn heatmap(
    hours: &[[u64; 24]],
    day_names: [&str; 7],
    label: &str,
    slot_title: impl Fn(usize, usize, u64) -> String,
) -> String {
    let cell_w = (WIDTH - LEFT - RIGHT) / 24.0;
    let cell_h = 22.0;
    let height = TOP + cell_h * 7.0 + BOTTOM;
    let mut out = String::new();
    open(&mut out, "chart-heatmap", height, label);
    let max = hours.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    for (day, name) in day_names.iter().enumerate() {
        let y = TOP + cell_h * day as f64;
        let _ = write!(
            out,
            r#"<text class="chart-label" x="{x}" y="{ty:.1}" text-anchor="end" font-size="11" fill="{TEXT}">{name}</text>"#,
            x = LEFT - 4.0,
            ty = y + cell_h * 0.7,
            name = escape(name),
        );
        let row = hours.get(day).copied().unwrap_or([0; 24]);
        for (hour, &n) in row.iter().enumerate() {
            // A faint floor keeps empty cells visible as a grid.
            let opacity = 0.06 + 0.94 * (n as f64 / max);
            let _ = write!(
                out,
                r#"<rect class="chart-cell" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{BAR}" fill-opacity="{opacity:.2}"><title>{t}</title></rect>"#,
                x = LEFT + cell_w * hour as f64 + 1.0,
                w = cell_w - 2.0,
                h = cell_h - 2.0,
                t = escape(&slot_title(day, hour, n)),
            );
        }
    }
    for hour in (0..24).step_by(3) {
        let _ = write!(
            out,
            r#"<text class="chart-label" x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="11" fill="{TEXT}">{hour:02}</text>"#,
            x = LEFT + cell_w * (hour as f64 + 0.5),
            y = height - 6.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per named row, longest first as given.
pub fn hbars(rows: &[(String, u64)], label: &str) -> String {
    let row_h = 24.0;
    let name_w = 160.0;
    let height = TOP + row_h * rows.len().max(1) as f64 + 4.0;
    let mut out = String::new();
    open(&mut out, "chart-hbars", height, label);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let span = WIDTH - name_w - RIGHT - 48.0;
    for (i, (name, n)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let w = span * (*n as f64 / max);
        let _ = write!(
            out,
            r#"<text class="chart-label" x="{tx}" y="{ty:.1}" text-anchor="end" font-size="12" fill="{TEXT}">{name}</text><rect class="chart-bar" x="{name_w}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{BAR}"><title>{name}: {n}</title></rect><text class="chart-value" x="{vx:.1}" y="{ty:.1}" font-size="12" fill="{TEXT}">{n}</text>"#,
            tx = name_w - 6.0,
            ty = y + row_h * 0.65,
            h = row_h - 6.0,
            vx = name_w + w + 4.0,
            name = escape(name),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, value: f64) -> Point {
        Point {
            label: label.into(),
            value,
            shown: value.to_string(),
        }
    }

    #[test]
    fn charts_are_labelled_and_titled() {
        let svg = bars_with_line(
            &[point("11-16", 10.0), point("11-17", 20.0)],
            Some((15.0, "average 15".into())),
            "Messages per day",
            |m| m.to_string(),
        );
        assert!(svg.contains(r#"role="img" aria-label="Messages per day""#));
        assert!(svg.contains("<title>11-17: 20</title>"));
        assert!(svg.contains("<title>average 15</title>"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn empty_charts_have_no_nan() {
        // The callers format the shown value; the geometry is ours.
        let nan = Point {
            shown: "–".into(),
            ..point("x", f64::NAN)
        };
        for svg in [
            bars_with_line(&[], Some((0.0, String::new())), "a", |m| m.to_string()),
            line(&[nan], "b", |m| m.to_string()),
            heatmap(&[], ["M"; 7], "c", |_, _, n| n.to_string()),
            hbars(&[], "d"),
        ] {
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }
}
