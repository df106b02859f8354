//! One error type for every handler.
//!
//! A handler returns `AppError`; its response carries an [`ErrorInfo`] extension and
//! no body. The outer middleware (`context::finish`) renders every error response —
//! ours, the router's 404/405, the body limit's 413, a caught panic's 500 — as a
//! Korean/English HTML page or as `{"error": code, "message": text}` under `/api`,
//! with the request id, and never with internal error text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sotong_core::FieldError;
use sotong_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("login required")]
    LoginRequired,
    #[error("invalid or missing CSRF token")]
    Csrf,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests { message_key: &'static str, retry_after_seconds: i64 },
    #[error("request timeout")]
    RequestTimeout,
    /// The database's disk is full: the change was not saved (507).
    #[error("storage full")]
    StorageFull,
    /// Busy or the database is unreachable: try again shortly (503 with `Retry-After`).
    #[error("service unavailable")]
    Unavailable { retry_after_seconds: i64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What the outer middleware needs to render an error response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Stable machine code for the API, e.g. `not_found`, `validation`.
    pub code: &'static str,
    /// Catalogue key of the message shown to people.
    pub message_key: &'static str,
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn info(&self) -> ErrorInfo {
        let (code, message_key) = match self {
            AppError::NotFound => ("not_found", "page.not_found"),
            AppError::Forbidden => ("forbidden", "page.forbidden"),
            AppError::LoginRequired => ("login_required", "page.login_required"),
            AppError::Csrf => ("csrf", "page.csrf"),
            AppError::Invalid(_) => ("validation", "page.invalid"),
            AppError::BadRequest("control_character") => ("bad_request", "page.control_character"),
            AppError::BadRequest("encoding") => ("bad_request", "page.bad_encoding"),
            AppError::BadRequest(_) => ("bad_request", "page.bad_request"),
            AppError::UnsupportedMediaType => ("unsupported_media_type", "page.unsupported_media_type"),
            AppError::PayloadTooLarge => ("payload_too_large", "page.payload_too_large"),
            AppError::TooManyRequests { message_key, .. } => ("too_many_requests", *message_key),
            AppError::Unavailable { .. } => ("unavailable", "page.unavailable"),
            AppError::RequestTimeout => ("request_timeout", "page.request_timeout"),
            AppError::StorageFull => ("storage_full", "page.storage_full"),
            AppError::Internal(_) => ("internal", "page.internal"),
        };
        let fields = if let AppError::Invalid(fields) = self { fields.clone() } else { Vec::new() };
        ErrorInfo { code, message_key, fields }
    }
}

/// The default rendering for a bare status (router 404/405, body limit 413, panic 500).
pub fn info_for_status(status: StatusCode) -> ErrorInfo {
    let error = match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => AppError::NotFound,
        StatusCode::FORBIDDEN => AppError::Forbidden,
        StatusCode::UNAUTHORIZED => AppError::LoginRequired,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => AppError::Invalid(Vec::new()),
        StatusCode::REQUEST_TIMEOUT => AppError::RequestTimeout,
        StatusCode::INSUFFICIENT_STORAGE => AppError::StorageFull,
        StatusCode::SERVICE_UNAVAILABLE => AppError::Unavailable { retry_after_seconds: 5 },
        status if status.is_client_error() => AppError::BadRequest("request"),
        _ => AppError::Internal(anyhow::anyhow!("status {status}")),
    };
    let mut info = error.info();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        info.code = "method_not_allowed";
    }
    info
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(error) = &self {
            // Logged once here; the person sees only the request id (added by `finish`).
            tracing::error!(error = format!("{error:#}"), "internal error");
        }
        let mut response = self.status().into_response();
        if let AppError::TooManyRequests { retry_after_seconds, .. } | AppError::Unavailable { retry_after_seconds } =
            &self
        {
            if let Ok(value) = retry_after_seconds.to_string().parse() {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response.extensions_mut().insert(self.info());
        response
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(field) => AppError::Invalid(vec![field]),
            StoreError::Conflict => AppError::Invalid(vec![FieldError::new("form", "conflict")]),
            StoreError::StorageFull(error) => {
                tracing::error!(%error, "the database's disk is full: a change was refused (507)");
                AppError::StorageFull
            }
            StoreError::Unavailable(error) => {
                tracing::warn!(%error, "database unavailable: answering 503");
                AppError::Unavailable { retry_after_seconds: 5 }
            }
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(fields: Vec<FieldError>) -> Self {
        AppError::Invalid(fields)
    }
}

pub type AppResult<T> = Result<T, AppError>;
