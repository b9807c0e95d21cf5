//! A PNG of the messages-per-day chart, for chat platforms that take images
//! with the summary: bars per day and the previous period's daily average
//! as a line, drawn with `tiny-skia`. No text in the image (no font to
//! ship): the summary beside it carries the numbers.

use tiny_skia::{Color, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

use crate::model::Report;

/// The image's width in pixels.
pub const WIDTH: u32 = 800;
/// The image's height in pixels.
pub const HEIGHT: u32 = 400;

const MARGIN: f32 = 24.0;

/// The chart as PNG bytes; empty only if encoding failed, which a pixmap
/// of a fixed, valid size does not.
pub fn messages_chart_png(r: &Report) -> Vec<u8> {
    let Some(mut pixmap) = Pixmap::new(WIDTH, HEIGHT) else {
        return Vec::new();
    };
    pixmap.fill(Color::WHITE);
    let average = r.previous.messages as f64 / r.previous_period.days().max(1) as f64;
    let max = r
        .days
        .iter()
        .map(|d| d.messages as f64)
        .fold(average, f64::max)
        .max(1.0);
    let (w, h) = (WIDTH as f32 - 2.0 * MARGIN, HEIGHT as f32 - 2.0 * MARGIN);
    let bottom = MARGIN + h;
    let y_of = |v: f64| bottom - h * (v / max).clamp(0.0, 1.0) as f32;

    let mut paint = Paint::default();
    paint.set_color_rgba8(0x4e, 0x79, 0xa7, 0xff);
    paint.anti_alias = true;
    let slot = w / r.days.len().max(1) as f32;
    for (i, d) in r.days.iter().enumerate() {
        let top = y_of(d.messages as f64);
        let x = MARGIN + slot * i as f32 + slot * 0.15;
        if let Some(rect) = Rect::from_xywh(x, top, slot * 0.7, bottom - top) {
            pixmap.fill_rect(rect, &paint, Transform::identity(), None);
        }
    }

    let mut axis = Paint::default();
    axis.set_color_rgba8(0x88, 0x88, 0x88, 0xff);
    line(
        &mut pixmap,
        (MARGIN, bottom),
        (MARGIN + w, bottom),
        &axis,
        1.0,
    );
    if r.previous.messages > 0 {
        let mut red = Paint::default();
        red.set_color_rgba8(0xe1, 0x57, 0x59, 0xff);
        red.anti_alias = true;
        let y = y_of(average);
        line(&mut pixmap, (MARGIN, y), (MARGIN + w, y), &red, 3.0);
    }
    pixmap.encode_png().unwrap_or_default()
}

fn line(pixmap: &mut Pixmap, from: (f32, f32), to: (f32, f32), paint: &Paint<'_>, width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(from.0, from.1);
    pb.line_to(to.0, to.1);
    if let Some(path) = pb.finish() {
        let stroke = Stroke {
            width,
            ..Stroke::default()
        };
        pixmap.stroke_path(&path, paint, &stroke, Transform::identity(), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn png_decodes_to_the_chart_size() {
        let bytes = messages_chart_png(&sample());
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let image = Pixmap::decode_png(&bytes).unwrap();
        assert_eq!((image.width(), image.height()), (WIDTH, HEIGHT));
        // The tallest bar (Thursday, 260) reaches the top margin in blue.
        let slot = (WIDTH as f32 - 2.0 * MARGIN) / 7.0;
        let x = (MARGIN + slot * 3.5) as u32;
        let pixel = image.pixel(x, MARGIN as u32 + 2).unwrap();
        assert_eq!(
            (pixel.red(), pixel.green(), pixel.blue()),
            (0x4e, 0x79, 0xa7)
        );
    }

    #[test]
    fn an_empty_report_still_draws() {
        let mut r = sample();
        r.days.clear();
        r.previous.messages = 0;
        let bytes = messages_chart_png(&r);
        assert!(Pixmap::decode_png(&bytes).is_ok());
    }
}
