//! The original text with the evidence marked.
//!
//! Evidence is byte ranges into what the member wrote. The text is split at
//! those ranges (moved out to character boundaries, clamped to the text,
//! overlaps merged) and each piece is interpolated by maud, which escapes
//! it: a member's `<script>` is shown, never run.

use std::ops::Range;

use maud::{Markup, html};

/// The ranges to mark: inside the text, on character boundaries, sorted,
/// overlapping and touching ones merged, empty ones dropped.
pub(crate) fn spans(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = ranges
        .iter()
        .filter_map(|range| {
            let mut start = range.start.min(text.len());
            let mut end = range.end.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            (start < end).then_some(start..end)
        })
        .collect();
    spans.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// `text` with each evidence range in a `<mark>`, every piece escaped.
pub(crate) fn highlight(text: &str, ranges: &[Range<usize>]) -> Markup {
    let spans = spans(text, ranges);
    let mut pieces: Vec<(&str, bool)> = Vec::with_capacity(spans.len() * 2 + 1);
    let mut at = 0;
    for span in spans {
        if span.start > at {
            pieces.push((&text[at..span.start], false));
        }
        pieces.push((&text[span.clone()], true));
        at = span.end;
    }
    if at < text.len() {
        pieces.push((&text[at..], false));
    }
    html! {
        @for (piece, marked) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_ranges_and_escapes_every_piece() {
        let text = "<b>加V：abc123</b> & more";
        let start = text.find('加').unwrap();
        let end = text.find("</b>").unwrap();
        let html = highlight(text, &[Range { start, end }]).into_string();
        assert_eq!(
            html,
            "&lt;b&gt;<mark>加V：abc123</mark>&lt;/b&gt; &amp; more"
        );
    }

    #[test]
    fn ranges_off_boundaries_or_out_of_the_text_are_made_safe() {
        let text = "spam 加微信";
        // Inside the three bytes of 加, and past the end.
        let html = highlight(text, &[6..7, 9..400]).into_string();
        assert_eq!(html, "spam <mark>加微信</mark>");
        // Backwards, and wholly past the end.
        #[allow(clippy::reversed_empty_ranges)]
        let odd = [3..2, 400..500];
        assert_eq!(spans(text, &odd), Vec::<Range<usize>>::new());
    }

    #[test]
    fn overlapping_ranges_are_merged() {
        let text = "claim now and claim now";
        assert_eq!(spans(text, &[6..9, 0..7, 14..23]), vec![0..9, 14..23]);
        let html = highlight(text, &[0..5, 5..9]).into_string();
        assert_eq!(html, "<mark>claim now</mark> and claim now");
    }
}
