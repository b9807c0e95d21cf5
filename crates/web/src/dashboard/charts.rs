//! Charts as inline SVG, drawn on the server: no chart library, no script,
//! readable by screen readers (`role="img"` with a label and a table of the
//! numbers in `<title>` elements). Colours come from the stylesheet classes
//! (`bar`, `bar-alt`, `line`), so a chart follows the page's theme.

use maud::{Markup, html};

/// One bar or point: its label under the axis and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Point {
    /// The label (a day, an hour, a rule).
    pub(crate) label: String,
    /// The value.
    pub(crate) value: f64,
}

impl Point {
    /// A point.
    pub(crate) fn new(label: impl Into<String>, value: f64) -> Point {
        Point {
            label: label.into(),
            value,
        }
    }
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;

/// A rounded maximum for the axis, so ticks land on readable numbers.
fn axis_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if max <= step * magnitude {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

fn number(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn axis(max: f64) -> Markup {
    let plot_height = HEIGHT - TOP - BOTTOM;
    html! {
        @for i in 0..=4 {
            @let value = max * f64::from(i) / 4.0;
            @let y = TOP + plot_height - plot_height * f64::from(i) / 4.0;
            line.grid x1=(LEFT) x2=(WIDTH) y1=(y) y2=(y) {}
            text.tick x=(LEFT - 4.0) y=(y + 4.0) text-anchor="end" { (number(value)) }
        }
    }
}

/// Which labels to print under the axis when there are many.
fn label_every(n: usize) -> usize {
    (n / 12).max(1)
}

/// A bar chart of `points`, titled `label` for screen readers.
pub(crate) fn bars(label: &str, points: &[Point]) -> Markup {
    let max = axis_max(points.iter().map(|p| p.value).fold(0.0, f64::max));
    let plot_width = WIDTH - LEFT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / points.len().max(1) as f64;
    let every = label_every(points.len());
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) {
                title { (label) }
                (axis(max))
                @for (i, point) in points.iter().enumerate() {
                    @let h = plot_height * point.value / max;
                    @let x = LEFT + slot * i as f64 + slot * 0.15;
                    rect.bar x=(x) y=(TOP + plot_height - h) width=(slot * 0.7) height=(h) {
                        title { (point.label) ": " (number(point.value)) }
                    }
                    @if i % every == 0 {
                        text.tick x=(x + slot * 0.35) y=(HEIGHT - 6.0) text-anchor="middle" { (point.label) }
                    }
                }
            }
            figcaption { (label) }
        }
    }
}

/// Two series side by side per label (`now` against `before`), with a
/// legend: for "today against the 7-day average" and period comparisons.
pub(crate) fn paired_bars(
    label: &str,
    legend: (&str, &str),
    points: &[(String, f64, f64)],
) -> Markup {
    let max = axis_max(points.iter().map(|(_, a, b)| a.max(*b)).fold(0.0, f64::max));
    let plot_width = WIDTH - LEFT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / points.len().max(1) as f64;
    let every = label_every(points.len());
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) {
                title { (label) }
                (axis(max))
                @for (i, (name, now, before)) in points.iter().enumerate() {
                    @let x = LEFT + slot * i as f64 + slot * 0.1;
                    @let h_now = plot_height * now / max;
                    @let h_before = plot_height * before / max;
                    rect.bar x=(x) y=(TOP + plot_height - h_now) width=(slot * 0.4) height=(h_now) {
                        title { (name) ", " (legend.0) ": " (number(*now)) }
                    }
                    rect.bar-alt x=(x + slot * 0.4) y=(TOP + plot_height - h_before) width=(slot * 0.4) height=(h_before) {
                        title { (name) ", " (legend.1) ": " (number(*before)) }
                    }
                    @if i % every == 0 {
                        text.tick x=(x + slot * 0.4) y=(HEIGHT - 6.0) text-anchor="middle" { (name) }
                    }
                }
            }
            figcaption {
                span.swatch.bar {} (legend.0) " "
                span.swatch.bar-alt {} (legend.1)
            }
        }
    }
}

/// A line chart of `points`, titled `label`.
pub(crate) fn line(label: &str, points: &[Point]) -> Markup {
    let max = axis_max(points.iter().map(|p| p.value).fold(0.0, f64::max));
    let plot_width = WIDTH - LEFT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let step = plot_width / (points.len().max(2) - 1) as f64;
    let coords: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                LEFT + step * i as f64,
                TOP + plot_height - plot_height * p.value / max,
            )
        })
        .collect();
    let path: String = coords
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" }))
        .collect();
    let every = label_every(points.len());
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) {
                title { (label) }
                (axis(max))
                path.line d=(path) {}
                @for (i, ((x, y), point)) in coords.iter().zip(points).enumerate() {
                    circle.dot cx=(x) cy=(y) r="3" {
                        title { (point.label) ": " (number(point.value)) }
                    }
                    @if i % every == 0 {
                        text.tick x=(x) y=(HEIGHT - 6.0) text-anchor="middle" { (point.label) }
                    }
                }
            }
            figcaption { (label) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up_to_readable_numbers() {
        assert_eq!(axis_max(0.0), 1.0);
        assert_eq!(axis_max(7.0), 10.0);
        assert_eq!(axis_max(13.0), 20.0);
        assert_eq!(axis_max(230.0), 250.0);
        assert_eq!(axis_max(1000.0), 1000.0);
    }

    #[test]
    fn labels_are_escaped_and_every_value_is_titled() {
        let svg = bars(
            "Messages <b>",
            &[Point::new("<script>", 3.0), Point::new("Tue", 5.0)],
        )
        .into_string();
        assert!(svg.contains("&lt;script&gt;: 3"), "{svg}");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("Tue: 5"));
        assert_eq!(svg.matches("<rect").count(), 2);
        let empty = line("Nothing", &[]).into_string();
        assert!(empty.contains("<svg"));
    }
}
