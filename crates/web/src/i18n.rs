//! Message catalogues: every string a person reads comes from `i18n/{ko,en}.toml`
//! (the platform's) and each module's `i18n/{module}/{ko,en}.toml`, merged.
//!
//! Korean is the default; English is the second language. All catalogues are embedded
//! in the binary; together they must hold the same keys in both languages, and no key
//! twice (tests check this, and that every key a template or handler uses exists).

use sotong_core::format::{self, Lang};
use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::OnceLock;

pub type Catalog = HashMap<String, String>;

/// (name, Korean, English) of every catalogue: the platform's, then one per module.
const SOURCES: [(&str, &str, &str); 5] = [
    ("platform", include_str!("../i18n/ko.toml"), include_str!("../i18n/en.toml")),
    ("commitments", include_str!("../i18n/commitments/ko.toml"), include_str!("../i18n/commitments/en.toml")),
    ("voice", include_str!("../i18n/voice/ko.toml"), include_str!("../i18n/voice/en.toml")),
    (
        "voice-complaints",
        include_str!("../i18n/voice/complaints/ko.toml"),
        include_str!("../i18n/voice/complaints/en.toml"),
    ),
    ("budgeting", include_str!("../i18n/budgeting/ko.toml"), include_str!("../i18n/budgeting/en.toml")),
];

/// The catalogues of one language merged; a key defined twice is an error naming it.
pub fn merged_catalog(sources: &[(&str, &str)]) -> Result<Catalog, String> {
    let mut merged = Catalog::new();
    for (name, source) in sources {
        let catalog = parse_catalog(source).map_err(|e| format!("catalogue {name}: {e}"))?;
        for (key, text) in catalog {
            if merged.insert(key.clone(), text).is_some() {
                return Err(format!("catalogue {name}: {key} is defined twice"));
            }
        }
    }
    Ok(merged)
}

/// Flattens `[section] key = "text"` into `section.key`.
pub fn parse_catalog(source: &str) -> Result<Catalog, toml::de::Error> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut Catalog) {
        for (key, value) in table {
            let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
            match value {
                toml::Value::Table(inner) => walk(&full, inner, out),
                toml::Value::String(text) => {
                    out.insert(full, text.clone());
                }
                other => {
                    out.insert(full, other.to_string());
                }
            }
        }
    }
    let table: toml::Table = source.parse()?;
    let mut out = Catalog::new();
    walk("", &table, &mut out);
    Ok(out)
}

fn catalogs() -> &'static (Catalog, Catalog) {
    static CATALOGS: OnceLock<(Catalog, Catalog)> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        // The sources are compiled in and tested, so a parse failure is a build defect.
        let language = |pick: fn(&(&'static str, &'static str, &'static str)) -> (&'static str, &'static str)| {
            let sources: Vec<(&str, &str)> = SOURCES.iter().map(pick).collect();
            merged_catalog(&sources).expect("the catalogues are valid TOML with each key once")
        };
        let ko = language(|(name, ko, _)| (*name, *ko));
        let en = language(|(name, _, en)| (*name, *en));
        (ko, en)
    })
}

/// The translator a page renders with.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    catalog: &'static Catalog,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        let (ko, en) = catalogs();
        Tr { lang, catalog: if lang == Lang::En { en } else { ko } }
    }

    /// The text for `key`; the key itself if missing (a test keeps that from shipping).
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.catalog.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text for `key` with `{0}`, `{1}`, … replaced by `args`.
    pub fn f(&self, key: &str, args: &[&str]) -> String {
        let mut text = self.t_owned(key);
        for (i, arg) in args.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), arg);
        }
        text
    }

    fn t_owned(&self, key: &str) -> String {
        self.catalog.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    /// One argument, for templates: `t.f1("key", value)`.
    pub fn f1(&self, key: &str, arg: impl std::fmt::Display) -> String {
        self.f(key, &[&arg.to_string()])
    }

    /// Two arguments, for templates.
    pub fn f2(&self, key: &str, a: impl std::fmt::Display, b: impl std::fmt::Display) -> String {
        self.f(key, &[&a.to_string(), &b.to_string()])
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }

    // These take `i64` or `&i64` alike, as templates pass either.
    pub fn date(&self, unix_seconds: impl Borrow<i64>) -> String {
        format::date(*unix_seconds.borrow(), self.lang)
    }

    pub fn date_time(&self, unix_seconds: impl Borrow<i64>) -> String {
        format::date_time(*unix_seconds.borrow(), self.lang)
    }

    pub fn number(&self, value: impl Borrow<i64>) -> String {
        format::group_thousands(*value.borrow())
    }

    pub fn krw(&self, amount: impl Borrow<i64>) -> String {
        format::krw(*amount.borrow(), self.lang)
    }

    /// An amount as people say it (`1,382억 5,000만 원`), for headlines beside the exact one.
    pub fn krw_readable(&self, amount: impl Borrow<i64>) -> String {
        format::krw_readable(*amount.borrow(), self.lang)
    }

    /// A period code (`2026-Q2`) as people read it (`2026년 2분기`); other text as given.
    pub fn period(&self, code: &str) -> String {
        match sotong_core::commitments::period::Period::parse(code) {
            Ok(period) if self.is_en() => period.label_en(),
            Ok(period) => period.label_ko(),
            Err(_) => code.to_string(),
        }
    }

    /// A stored date (`2026-03-01`) the one way dates are written (`2026. 3. 1.`).
    pub fn iso_date(&self, text: &str) -> String {
        format::iso_date(text, self.lang)
    }

    /// A stored decimal with thousands separators (`10,000.5`).
    pub fn decimal(&self, text: &str) -> String {
        format::decimal(text)
    }

    /// The label of a form field: `field.<name>`.
    pub fn label(&self, field: &str) -> String {
        self.t_owned(&format!("field.{field}"))
    }

    /// The label of a field error: `error.<code>`.
    pub fn error(&self, code: &str) -> String {
        self.t_owned(&format!("error.{code}"))
    }
}

/// The catalogues, for tests that compare them.
pub fn catalog_keys() -> (Vec<String>, Vec<String>) {
    let (ko, en) = catalogs();
    let mut ko: Vec<String> = ko.keys().cloned().collect();
    let mut en: Vec<String> = en.keys().cloned().collect();
    ko.sort();
    en.sort();
    (ko, en)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_in_two_catalogues_is_refused() {
        let platform = ("platform", "[field]\nstatus = \"상태\"\n");
        let module = ("commitments", "[field]\nprogress = \"진척률\"\n");
        let merged = super::merged_catalog(&[platform, module]).unwrap();
        assert_eq!(merged["field.progress"], "진척률");
        let twice = ("proposals", "[field]\nstatus = \"처리 상태\"\n");
        let error = super::merged_catalog(&[platform, twice]).unwrap_err();
        assert!(error.contains("field.status is defined twice"), "{error}");
    }
}
