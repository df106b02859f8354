//! `Form` and `Json` extractors whose rejections become [`AppError`]s, so malformed
//! input gets a field error (or 400/415) in the usual format and never a plain-text
//! axum message.

use crate::error::AppError;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use sotong_core::FieldError;

pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(FormRejection::InvalidFormContentType(_)) => Err(AppError::UnsupportedMediaType),
            Err(FormRejection::BytesRejection(_)) => Err(AppError::PayloadTooLarge),
            Err(_) => Err(AppError::BadRequest("form")),
        }
    }
}

pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let mime = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !(mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(|_| AppError::PayloadTooLarge)?;
        // Read as a document first, so its text is checked like a form's (`input`).
        let mut document: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|_| AppError::BadRequest("json"))?;
        crate::input::check_json(&document)?;
        // JSON Schema counts 5.0 as the integer 5; so do we.
        whole_numbers_as_integers(&mut document);
        let bytes = serde_json::to_vec(&document).map_err(|_| AppError::BadRequest("json"))?;
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(JsonRejection::JsonDataError(error)) => {
                Err(AppError::Invalid(vec![data_error_field(&error.body_text())]))
            }
            Err(_) => Err(AppError::BadRequest("json")),
        }
    }
}

/// Rewrites numbers like `5.0` as `5`, at any depth, so integer fields accept them.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|f| number.is_f64() && f.fract() == 0.0) {
                if (i64::MIN as f64..=i64::MAX as f64).contains(&float) {
                    *value = serde_json::Value::from(float as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// serde names the offending field in its message (`missing field `name_ko``, or a
/// path like `name_ko: invalid type`); turn that into a field error.
fn data_error_field(message: &str) -> FieldError {
    let field = message
        .split('`')
        .nth(1)
        .or_else(|| message.rsplit(": ").nth(1).and_then(|p| p.split_whitespace().last()))
        .unwrap_or("body");
    let code = if message.contains("missing field") {
        "required"
    } else if message.contains("unknown field") {
        "unknown_field"
    } else {
        "invalid_type"
    };
    // Field names come from our own request types; keep them 'static by leaking only
    // known names and falling back to "body".
    let field: &'static str = KNOWN_FIELDS.iter().find(|k| **k == field).copied().unwrap_or("body");
    FieldError::new(field, code)
}

const KNOWN_FIELDS: &[&str] = &["kind", "slug", "name_ko", "name_en", "parent_id", "email", "password", "role"];

#[cfg(test)]
mod tests {
    use super::whole_numbers_as_integers;

    #[test]
    fn whole_floats_become_integers() {
        let mut value = serde_json::json!({"a": -309948.0, "b": [1.5, 2.0], "c": 3});
        whole_numbers_as_integers(&mut value);
        assert_eq!(value, serde_json::json!({"a": -309948, "b": [1.5, 2], "c": 3}));
    }
}
