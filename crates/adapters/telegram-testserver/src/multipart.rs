//! `multipart/form-data` bodies, the way files are uploaded (`sendPhoto`):
//! text fields become text parameters, and an uploaded file becomes an
//! object describing it (name, type, size, first bytes, a PNG's
//! dimensions) so the call log shows what was sent without keeping it.

use serde_json::{Map, Value, json};

/// How many leading bytes of an uploaded file the call log keeps: enough
/// for a file signature.
const HEAD_BYTES: usize = 8;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// One part of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Vec<u8>,
}

/// The parts of `body`, whose `content_type` names the boundary; `None`
/// when the body is not well-formed.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let boundary = header_param(content_type, "boundary")?;
    let opening = format!("--{boundary}");
    let closing = format!("\r\n--{boundary}");
    let start = find(body, opening.as_bytes())?;
    let mut rest = &body[start + opening.len()..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let end = find(rest, closing.as_bytes())?;
        parts.push(part(&rest[..end])?);
        rest = &rest[end + closing.len()..];
    }
}

/// The parts as parameters: files as objects, the rest as text.
pub(crate) fn insert(map: &mut Map<String, Value>, parts: Vec<Part>) {
    for part in parts {
        let value = match &part.file_name {
            Some(file_name) => describe_file(file_name, &part),
            None => Value::String(String::from_utf8_lossy(&part.data).into_owned()),
        };
        map.insert(part.name, value);
    }
}

fn describe_file(file_name: &str, part: &Part) -> Value {
    let mut file = json!({
        "file_name": file_name,
        "mime_type": part.content_type,
        "file_size": part.data.len(),
        "head": &part.data[..part.data.len().min(HEAD_BYTES)],
    });
    if let Some((width, height)) = png_size(&part.data) {
        file["width"] = json!(width);
        file["height"] = json!(height);
    }
    file
}

/// A PNG's width and height, from its `IHDR` chunk.
fn png_size(data: &[u8]) -> Option<(u32, u32)> {
    if !data.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let word = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_be_bytes(bytes))
    };
    Some((word(16)?, word(20)?))
}

fn part(raw: &[u8]) -> Option<Part> {
    let split = find(raw, b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&raw[..split]).ok()?;
    let mut disposition = None;
    let mut content_type = None;
    for line in headers.split("\r\n") {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value.trim());
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    let disposition = disposition?;
    Some(Part {
        name: header_param(disposition, "name")?,
        file_name: header_param(disposition, "filename"),
        content_type,
        data: raw[split + 4..].to_vec(),
    })
}

/// A `key=value` (or `key="value"`) parameter of a header value.
fn header_param(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|param| {
        let (name, value) = param.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case(key)
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_files_are_read() {
        let body = b"--XY\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n-100\r\n\
                     --XY\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"chart.png\"\r\n\
                     Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\x80\0\0\x01\xe0rest\r\n--XY--\r\n";
        let parts = parse("multipart/form-data; boundary=XY", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "chat_id");
        assert_eq!(parts[0].data, b"-100");
        let mut map = Map::new();
        insert(&mut map, parts);
        assert_eq!(map["chat_id"], "-100");
        assert_eq!(map["photo"]["file_name"], "chart.png");
        assert_eq!(map["photo"]["mime_type"], "image/png");
        assert_eq!(map["photo"]["file_size"], 28);
        assert_eq!(map["photo"]["width"], 640);
        assert_eq!(map["photo"]["height"], 480);
    }

    #[test]
    fn malformed_bodies_are_refused() {
        assert!(parse("multipart/form-data", b"--XY\r\n").is_none());
        assert!(parse("multipart/form-data; boundary=XY", b"--XY\r\nno end").is_none());
    }
}
