//! The renderings of a [`Report`]: Markdown, a standalone HTML page (and its
//! body for the dashboard) with inline SVG charts, JSON, a tidy CSV, a short
//! chat summary and a PNG chart for platforms that take images.
//!
//! Every rendering takes its labels from [`texts`] in the report's language
//! and its number formats from [`numbers`]; user text (names, terms, group
//! titles) is escaped for the target format.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod numbers;
pub mod png;
pub mod summary;
pub mod svg;
pub mod texts;

use std::fmt;
use std::str::FromStr;

use crate::model::Report;

pub use self::csv::csv;
pub use html::{html, html_body};
pub use json::json;
pub use markdown::markdown;
pub use png::messages_chart_png;
pub use summary::chat_summary;

/// A text format a report renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown (GitHub flavoured tables).
    Markdown,
    /// A standalone HTML page with SVG charts.
    Html,
    /// The report structure as JSON.
    Json,
    /// A long, tidy table: `section,key,period,value`.
    Csv,
}

/// A format name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format `{0}`: expected md, markdown, html, json or csv")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            other => Err(UnknownFormat(other.to_owned())),
        }
    }
}

impl Format {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// The HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Renders `r` as `format`.
pub fn render(r: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown(r),
        Format::Html => html(r),
        Format::Json => json(r),
        Format::Csv => csv(r),
    }
}

/// Escapes text for HTML and SVG, text and attribute values alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn formats_parse_and_name_the_choices() {
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("markdown".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("csv".parse::<Format>().map(Format::extension), Ok("csv"));
        let err = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("`pdf`") && err.contains("html"), "{err}");
        assert_eq!(Format::Json.content_type(), "application/json");
    }

    #[test]
    fn every_format_renders_the_sample() {
        let r = sample();
        for f in [Format::Markdown, Format::Html, Format::Json, Format::Csv] {
            let out = render(&r, f);
            assert!(out.contains("Rust Chat"), "{f} lacks the name");
            assert!(out.contains("1234"), "{f} lacks the message count");
        }
    }

    #[test]
    fn escape_covers_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
