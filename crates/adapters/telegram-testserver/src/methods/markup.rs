//! `reply_markup` validation: an `InlineKeyboardMarkup` must be an array of button rows, each
//! button with a `text` and exactly one action (`callback_data` of 1–64 bytes, `url`, ...).
//! Reply keyboards, `remove_keyboard` and `force_reply` are accepted with a light check.

use serde_json::Value;

use crate::params::Params;
use crate::reply::ApiError;

/// Button fields of which exactly one must be present.
const BUTTON_ACTIONS: [&str; 10] = [
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// The `reply_markup` parameter, validated. Only an inline keyboard is returned, because only
/// inline keyboards appear in the `Message` objects Telegram sends back.
pub(crate) fn inline_markup(params: &Params) -> Result<Option<Value>, ApiError> {
    let Some(markup) = params.json("reply_markup", "reply keyboard markup")? else {
        return Ok(None);
    };
    let Value::Object(object) = &markup else {
        return Err(ApiError::bad_request("Object expected as reply markup"));
    };
    if let Some(rows) = object.get("inline_keyboard") {
        check_inline_keyboard(rows)?;
        return Ok(Some(markup));
    }
    if let Some(rows) = object.get("keyboard") {
        let is_grid = rows
            .as_array()
            .is_some_and(|rows| rows.iter().all(Value::is_array));
        if !is_grid {
            return Err(ApiError::bad_request(
                "Field \"keyboard\" must be an Array of Arrays",
            ));
        }
    }
    Ok(None)
}

fn check_inline_keyboard(rows: &Value) -> Result<(), ApiError> {
    let not_grid = || {
        ApiError::bad_request(
            "Field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays",
        )
    };
    for row in rows.as_array().ok_or_else(not_grid)? {
        for button in row.as_array().ok_or_else(not_grid)? {
            check_button(button).map_err(|reason| {
                ApiError::bad_request(&format!("Can't parse inline keyboard button: {reason}"))
            })?;
        }
    }
    Ok(())
}

fn check_button(button: &Value) -> Result<(), String> {
    let Value::Object(button) = button else {
        return Err("InlineKeyboardButton must be an Object".to_owned());
    };
    match button.get("text") {
        Some(Value::String(_)) => {}
        Some(_) => return Err("Field \"text\" must be of type String".to_owned()),
        None => return Err("Can't find field \"text\"".to_owned()),
    }
    let actions: Vec<&str> = BUTTON_ACTIONS
        .into_iter()
        .filter(|a| button.contains_key(*a))
        .collect();
    match actions.as_slice() {
        [] => return Err("Text buttons are unallowed in the inline keyboard".to_owned()),
        [_] => {}
        many => {
            return Err(format!(
                "exactly one of the optional fields must be used, got {}",
                many.join(", ")
            ));
        }
    }
    if let Some(data) = button.get("callback_data") {
        let valid = data.as_str().is_some_and(|d| (1..=64).contains(&d.len()));
        if !valid {
            return Err("BUTTON_DATA_INVALID".to_owned());
        }
    }
    if let Some(url) = button.get("url") {
        let valid = url
            .as_str()
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| matches!(u.scheme(), "http" | "https" | "tg"));
        if !valid {
            return Err("BUTTON_URL_INVALID".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(markup: Value) -> Result<Option<Value>, String> {
        inline_markup(&Params::from_json(json!({ "reply_markup": markup })))
            .map_err(|e| e.description)
    }

    #[test]
    fn inline_keyboards_are_kept() {
        let markup = json!({"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}, {"text": "Docs", "url": "https://t.me"}]]});
        assert_eq!(check(markup.clone()), Ok(Some(markup)));
    }

    #[test]
    fn markup_as_json_text_is_parsed() {
        let text = r#"{"inline_keyboard":[[{"text":"Yes","callback_data":"y"}]]}"#;
        assert!(matches!(check(json!(text)), Ok(Some(_))));
    }

    #[test]
    fn bad_buttons_are_refused() {
        let long = "x".repeat(65);
        for (button, reason) in [
            (json!({"text": "a"}), "Text buttons are unallowed"),
            (
                json!({"text": "a", "callback_data": long}),
                "BUTTON_DATA_INVALID",
            ),
            (
                json!({"text": "a", "callback_data": ""}),
                "BUTTON_DATA_INVALID",
            ),
            (
                json!({"text": "a", "callback_data": "x", "url": "https://t.me"}),
                "exactly one",
            ),
            (json!({"callback_data": "x"}), "Can't find field \"text\""),
            (
                json!({"text": "a", "url": "not a url"}),
                "BUTTON_URL_INVALID",
            ),
        ] {
            let error = check(json!({"inline_keyboard": [[button.clone()]]})).unwrap_err();
            assert!(
                error.starts_with("Bad Request: can't parse inline keyboard button: "),
                "{error}"
            );
            assert!(error.contains(reason), "{button}: {error}");
        }
    }

    #[test]
    fn rows_must_be_arrays() {
        let error =
            check(json!({"inline_keyboard": [{"text": "a", "callback_data": "b"}]})).unwrap_err();
        assert!(error.contains("must be an Array of Arrays"), "{error}");
        assert_eq!(
            check(json!([1])).unwrap_err(),
            "Bad Request: object expected as reply markup"
        );
    }
}
