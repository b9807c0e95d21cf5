//! Method parameters: merged from the query string and a JSON or form-encoded body, and read
//! with the real server's leniency (numbers as text, nested objects as JSON text) and its
//! error descriptions for missing or malformed values.

use serde_json::{Map, Value};

use crate::reply::ApiError;

/// The parameters of one call, as a JSON object of what was sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    map: Map<String, Value>,
}

/// A `chat_id` parameter: a number or an `@username`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChatRef {
    Id(i64),
    Username(String),
}

impl Params {
    /// Merges the query string and the body; body values win over query values.
    pub(crate) fn parse(
        query: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Params, ApiError> {
        let mut map = Map::new();
        if let Some(query) = query {
            insert_form(&mut map, query.as_bytes());
        }
        // Multipart boundaries are case-sensitive.
        let raw_content_type = content_type.unwrap_or("");
        let content_type = raw_content_type.to_ascii_lowercase();
        let body_is_blank = body.iter().all(u8::is_ascii_whitespace);
        if body_is_blank {
            return Ok(Params { map });
        }
        if content_type.starts_with("application/json") {
            insert_json(&mut map, body)?;
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            insert_form(&mut map, body);
        } else if content_type.starts_with("multipart/form-data") {
            let parts = crate::multipart::parse(raw_content_type, body)
                .ok_or_else(|| ApiError::bad_request("can't parse multipart/form-data request"))?;
            crate::multipart::insert(&mut map, parts);
        } else if body.trim_ascii_start().starts_with(b"{") {
            insert_json(&mut map, body)?;
        } else {
            insert_form(&mut map, body);
        }
        Ok(Params { map })
    }

    #[cfg(test)]
    pub(crate) fn from_json(value: Value) -> Params {
        match value {
            Value::Object(map) => Params { map },
            _ => Params::default(),
        }
    }

    /// Everything sent, as a JSON object (for the call log).
    pub(crate) fn to_value(&self) -> Value {
        Value::Object(self.map.clone())
    }

    /// The value of `name`, treating `null` and the empty string as absent, as the real server does.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        match self.map.get(name)? {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            value => Some(value),
        }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A text parameter; numbers and booleans are accepted as their text.
    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(ApiError::bad_request(&format!(
                "Parameter \"{name}\" must be a String"
            ))),
        }
    }

    /// An integer parameter, given as a JSON number or as text.
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => as_i64(value)
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(&format!("Can't parse \"{name}\" as Number"))),
        }
    }

    /// A boolean parameter: `true`, `"true"`, `"True"`, `"1"` or `1` are true, anything else false.
    pub(crate) fn bool(&self, name: &str) -> bool {
        match self.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.as_str(), "true" | "True" | "1"),
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    /// A JSON-serialized parameter: an object or array in a JSON body, JSON text anywhere.
    /// `what` names it in the parse error, e.g. "reply markup".
    pub(crate) fn json(&self, name: &str, what: &str) -> Result<Option<Value>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => serde_json::from_str(text)
                .map(Some)
                .map_err(|_| ApiError::bad_request(&format!("Can't parse {what} JSON object"))),
            Some(value) => Ok(Some(value.clone())),
        }
    }

    /// The `chat_id` parameter.
    pub(crate) fn chat(&self) -> Result<ChatRef, ApiError> {
        let value = self
            .get("chat_id")
            .ok_or_else(|| ApiError::bad_request("chat_id is empty"))?;
        chat_ref(value)
    }

    /// The `user_id` parameter: a positive integer.
    pub(crate) fn user_id(&self) -> Result<i64, ApiError> {
        self.get("user_id")
            .and_then(as_i64)
            .filter(|id| *id > 0)
            .ok_or_else(|| ApiError::bad_request("Invalid user_id specified"))
    }

    /// A message identifier parameter such as `message_id`.
    pub(crate) fn message_id(&self, name: &str) -> Result<i64, ApiError> {
        let value = self
            .get(name)
            .ok_or_else(|| ApiError::bad_request("Message identifier is not specified"))?;
        as_i64(value)
            .filter(|id| *id > 0)
            .ok_or_else(|| ApiError::bad_request("Invalid message identifier specified"))
    }
}

/// A chat reference from a `chat_id` value: a number, numeric text or `"@username"`.
pub(crate) fn chat_ref(value: &Value) -> Result<ChatRef, ApiError> {
    if let Value::String(s) = value
        && let Some(username) = s.strip_prefix('@')
    {
        return Ok(ChatRef::Username(username.to_owned()));
    }
    as_i64(value)
        .map(ChatRef::Id)
        .ok_or_else(|| ApiError::bad_request("chat not found"))
}

/// An integer from a JSON number or from text holding one.
pub(crate) fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn insert_form(map: &mut Map<String, Value>, bytes: &[u8]) {
    for (key, value) in url::form_urlencoded::parse(bytes) {
        map.insert(key.into_owned(), Value::String(value.into_owned()));
    }
}

fn insert_json(map: &mut Map<String, Value>, body: &[u8]) -> Result<(), ApiError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => {
            map.extend(object);
            Ok(())
        }
        _ => Err(ApiError::bad_request("Can't parse JSON encoded request")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn body_values_win_over_query_values() {
        let params = Params::parse(
            Some("chat_id=1&text=a"),
            Some("application/json"),
            br#"{"text":"b"}"#,
        )
        .unwrap();
        assert_eq!(params.chat().unwrap(), ChatRef::Id(1));
        assert_eq!(params.string("text").unwrap().as_deref(), Some("b"));
    }

    #[test]
    fn form_bodies_carry_json_text() {
        let params = Params::parse(
            None,
            Some("application/x-www-form-urlencoded"),
            b"chat_id=%40grp&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D",
        )
        .unwrap();
        assert_eq!(params.chat().unwrap(), ChatRef::Username("grp".into()));
        assert_eq!(
            params.json("reply_markup", "reply markup").unwrap(),
            Some(json!({"inline_keyboard": []}))
        );
    }

    #[test]
    fn empty_and_null_count_as_missing() {
        let params = Params::from_json(json!({"chat_id": "", "text": null}));
        assert_eq!(
            params.chat().unwrap_err().description,
            "Bad Request: chat_id is empty"
        );
        assert!(!params.has("text"));
    }

    #[test]
    fn malformed_values_are_refused() {
        let params = Params::from_json(json!({"user_id": "abc", "limit": [1], "message_id": 0}));
        assert_eq!(
            params.user_id().unwrap_err().description,
            "Bad Request: invalid user_id specified"
        );
        assert!(params.int("limit").is_err());
        assert!(params.message_id("message_id").is_err());
    }
}
