//! Files people attach, for every module: reading an upload from a multipart form,
//! checking it (kind by content, size), showing it in a list (images previewed), and
//! serving it — to anyone once its body published it, to the body's staff before.

use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sotong_core::files::{clean_file_name, FileKind};
use sotong_core::FieldError;
use sotong_store::files::NewFile;
use sotong_store::orgs::Org;

/// The body limit of upload routes. The configured file limit
/// (`WebConfig::attachment_max_bytes`) is enforced while reading, so a larger file
/// gets the form back with a message rather than a bare 413.
pub const UPLOAD_ROUTE_LIMIT: usize = 512 * 1024 * 1024;

/// A file as uploaded, not yet checked.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    /// It was larger than the limit (reading stopped there).
    pub too_large: bool,
}

impl Upload {
    /// The `file` field of a multipart form (other fields are ignored), read up to
    /// `max_bytes` and no further.
    pub async fn read(multipart: &mut Multipart, max_bytes: usize) -> AppResult<Option<Upload>> {
        let broken = |_| AppError::BadRequest("multipart");
        while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
            if field.name() != Some("file") {
                continue;
            }
            let name = clean_file_name(field.file_name().unwrap_or(""));
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if bytes.len() + chunk.len() > max_bytes {
                    return Ok(Some(Upload { name, bytes: Vec::new(), too_large: true }));
                }
                bytes.extend_from_slice(&chunk);
            }
            return Ok(Some(Upload { name, bytes, too_large: false }));
        }
        Ok(None)
    }

    /// The checked file, or the error to show beside the upload field.
    pub fn check(&self, max_bytes: usize) -> Result<NewFile<'_>, FieldError> {
        if self.too_large {
            return Err(FieldError::new("file", "file_too_large"));
        }
        let kind = FileKind::check(&self.name, &self.bytes, max_bytes)?;
        Ok(NewFile { name: self.name.clone(), kind, bytes: &self.bytes })
    }
}

/// The checked file of a form that needs one: `required` when none was sent.
pub fn required(upload: &Option<Upload>, max_bytes: usize) -> Result<NewFile<'_>, FieldError> {
    match upload {
        Some(upload) => upload.check(max_bytes),
        None => Err(FieldError::new("file", "required")),
    }
}

/// What the upload field says it accepts, with the configured limit.
pub fn accepted_hint(t: &Tr, max_bytes: usize) -> String {
    t.f1("files.accepted", &sotong_core::format::file_size(max_bytes as i64))
}

/// The `accept` attribute of upload fields: the kinds `FileKind` takes.
pub const ACCEPT: &str = ".pdf,.hwp,.hwpx,.docx,.xlsx,.jpg,.jpeg,.png";

/// One file in a list: a link, its kind and size, a preview for images.
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub kind: String,
    pub size: String,
    pub is_image: bool,
    /// The period whose report it came with (published lists only).
    pub period: String,
}

impl FileView {
    pub fn new(body: &Org, t: &Tr, id: i64, sha256: &str, name: &str, kind: &str, size: i64) -> FileView {
        let kind = FileKind::parse(kind);
        FileView {
            id,
            name: name.to_string(),
            url: crate::urls::file(body, sha256, name),
            kind: kind.map(|k| t.t(&format!("files.kind_{}", k.as_str())).to_string()).unwrap_or_default(),
            size: sotong_core::format::file_size(size),
            is_image: kind.is_some_and(FileKind::is_image),
            period: String::new(),
        }
    }
}

/// The files of something with, for those who may change them, a remove button each
/// and the upload form (`_files_form.html`): a report's evidence, a proposal's or a
/// notice's files. Posts to `action`; removing one to `{action}/{id}/remove`.
#[derive(askama::Template)]
#[template(path = "_files_form.html")]
pub struct FilesPart {
    t: Tr,
    csrf: String,
    action: String,
    errors: crate::html::FormErrors,
    files: Vec<FileView>,
    may_change: bool,
    hint: String,
    /// The `accept` attribute of the file input.
    accept: String,
}

impl FilesPart {
    pub fn new(
        t: Tr,
        csrf: &str,
        action: String,
        errors: Vec<FieldError>,
        files: Vec<FileView>,
        may_change: bool,
        max_bytes: usize,
    ) -> FilesPart {
        FilesPart {
            t,
            csrf: csrf.to_string(),
            action,
            errors: crate::html::FormErrors::new(t, errors),
            files,
            may_change,
            hint: accepted_hint(&t, max_bytes),
            accept: format!("accept=\"{ACCEPT}\""),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// 422 when its upload was refused, else 200.
    pub fn status(&self) -> axum::http::StatusCode {
        self.errors.status()
    }
}

#[derive(Deserialize)]
pub struct FileSegments {
    sha256: String,
    name: String,
}

/// `GET /{org}/files/{sha256}/{name}`: the bytes with their type (told by content
/// again), images shown inline and documents downloaded under their name.
pub async fn serve(
    State(state): State<AppState>,
    ctx: crate::context::Ctx,
    scope: BodyScope,
    Path(FileSegments { sha256, name }): Path<FileSegments>,
) -> AppResult<Response> {
    let well_formed = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if !well_formed {
        return Err(AppError::NotFound);
    }
    // The body's logo, what it published, and the files of its public proposals,
    // complaints and notices are anyone's to see; its staff also see the rest of its
    // modules' files, except private complaints' (below).
    let (body, today) = (scope.body.id, crate::html::voice::views::kst_today(sotong_store::now()));
    let published = scope.body.logo_sha256.as_deref() == Some(sha256.as_str())
        || state.store.is_published_file(body, &sha256).await?;
    // A proposal can be hidden and a notice withdrawn: their files are public for now.
    let public_now = !published && state.store.is_public_voice_file(body, &sha256, &today).await?;
    let public = published || public_now;
    let staff = !public
        && scope.roles.is_staff()
        && (state.store.is_body_attachment(body, &sha256).await? || state.store.is_voice_file(body, &sha256).await?);
    // A private complaint's files: whoever may read the complaint (its filer, the
    // staff handling it), by the complaint's own rule.
    let reader = !public && !staff && {
        let user_id = ctx.user.as_ref().map(|u| u.id);
        let on = state.store.complaints_with_file(body, &sha256).await?;
        on.iter().any(|c| crate::html::voice::complaints::Access::of(&scope, user_id, c).may_read(c))
    };
    if !public && !staff && !reader {
        return Err(AppError::NotFound);
    }
    let bytes = state.store.file_content(&sha256).await?.ok_or(AppError::NotFound)?;
    let name = clean_file_name(&name);
    // The name in the link must fit the content (no `.exe` for a PDF).
    let kind = FileKind::check(&name, &bytes, usize::MAX).map_err(|_| AppError::NotFound)?;
    let disposition = if kind.is_image() { "inline" } else { "attachment" };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.content_type()));
    if let Ok(value) = HeaderValue::from_str(&content_disposition(disposition, &name, kind)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // The address names the content: a published file never changes.
    let caching = match (published, public_now) {
        (true, _) => "public, max-age=31536000, immutable",
        (false, true) => "public, max-age=300",
        (false, false) => "private, no-store",
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
    Ok(response)
}

/// RFC 6266: an ASCII fallback name and the real one in UTF-8 (RFC 5987).
fn content_disposition(disposition: &str, name: &str, kind: FileKind) -> String {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || "-_. ()".contains(c));
    let ascii = if plain { name.to_string() } else { format!("file.{}", kind.as_str()) };
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;
    use sotong_core::files::FileKind;

    #[test]
    fn korean_names_are_sent_in_utf8_with_an_ascii_fallback() {
        assert_eq!(
            content_disposition("attachment", "2026 실적.pdf", FileKind::Pdf),
            "attachment; filename=\"file.pdf\"; filename*=UTF-8''2026%20%EC%8B%A4%EC%A0%81.pdf"
        );
        assert_eq!(
            content_disposition("inline", "site-photo 1.png", FileKind::Png),
            "inline; filename=\"site-photo 1.png\"; filename*=UTF-8''site-photo%201.png"
        );
    }
}
