//! Full-text search over documents with a title and a body (tantivy), using the
//! Korean [`analyzer`](crate::analyzer).
//!
//! Fields: `title` and `body` hold syllable-bigram terms with positions; `title_chosung`
//! holds the initial-consonant bigrams of the title. A query is cut into words at
//! whitespace; each word is
//!
//! - a phrase of its bigrams in the title (boosted ×[`TITLE_BOOST`]) or the body, so
//!   "주차" finds "불법주차가" and "주차장을";
//! - written in initial consonants ("ㅂㅂㅈㅊ"): a phrase in `title_chosung`;
//! - mixed ("불법ㅈㅊ"): its initials as a phrase in `title_chosung` *and* its syllables
//!   as text;
//! - one syllable ("딸"): the syllable alone or any bigram starting with it.
//!
//! Words are alternatives (OR); BM25 ranks documents with more and rarer words first.
//! The index is derived data: [`SearchIndex::create`] replaces an earlier index in the
//! same directory, and an index built by another analyzer version is refused on open.

use crate::analyzer::{self, Term};
use crate::jamo::{chosung, is_initial_jamo, is_syllable};
use crate::normalize::search_form;
use std::fmt;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

/// How much more a match in the title counts than one in the body.
pub const TITLE_BOOST: f32 = 4.0;

/// The same for documents like a typed text ([`SearchIndex::find_like`]): a title
/// and a text count alike, since a re-post copies the text under a title of its own.
/// On real re-posts with 85,855 title-only petitions beside them, the original (or an
/// earlier copy) is among the 5 shown for 29 of 30 at 1 and 27 of 30 at 4; with full
/// petitions only, 29 of 30 at every boost from 0.5 to 4 (docs/TEXT.md).
pub const LIKE_TITLE_BOOST: f32 = 1.0;

/// How much a document holding every word of a several-word query gains: enough
/// that it ranks above any document holding only some of them (on real petitions, a
/// body with all three words lost to short titles holding one).
pub const ALL_WORDS_BOOST: f32 = 20.0;

/// Written into the index directory; an index with another marker must be rebuilt.
const MARKER_FILE: &str = "sotong-search";
const WRITER_MEMORY: usize = 128 * 1024 * 1024;
/// tantivy's smallest writer budget: enough for the few documents one change touches.
const SMALL_WRITER_MEMORY: usize = 15 * 1024 * 1024;

/// How document and query text become terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    /// The product's analyzer: syllable bigrams, whole Latin/digit words, 초성.
    Bigram,
    /// Text already cut into space-separated terms by an outside analyzer (used to
    /// evaluate MeCab-ko against [`Analysis::Bigram`] on the same ranking).
    Pretokenized,
}

impl Analysis {
    fn marker(self) -> &'static str {
        match self {
            Analysis::Bigram => "analyzer=bigram-2",
            Analysis::Pretokenized => "analyzer=pretokenized-1",
        }
    }

    fn tokenizer_name(self) -> &'static str {
        match self {
            Analysis::Bigram => "ko_bigram",
            Analysis::Pretokenized => "pretokenized",
        }
    }
}

#[derive(Debug)]
pub enum SearchError {
    Index(tantivy::TantivyError),
    Io(PathBuf, std::io::Error),
    /// The directory holds files that are not a sotong search index.
    NotAnIndex(PathBuf),
    /// The index was built by another analyzer (version); rebuild it.
    OtherAnalyzer {
        dir: PathBuf,
        found: String,
    },
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Index(e) => write!(f, "search index: {e}"),
            SearchError::Io(path, e) => write!(f, "{}: {e}", path.display()),
            SearchError::NotAnIndex(dir) => {
                write!(f, "{} is not empty and is not a sotong search index; choose another directory", dir.display())
            }
            SearchError::OtherAnalyzer { dir, found } => write!(
                f,
                "{} was built by another analyzer ({found}); delete it and build it again with `sotong text index`",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e)
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    title_chosung: Field,
    body_chosung: Field,
    kind: Field,
    scope: Field,
    date: Field,
}

/// A document of a site-wide index: what it is (`kind`), where it belongs (`scope`,
/// e.g. a public body), and its date (Unix seconds), besides its text.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub scope: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub date: i64,
}

/// What a search is narrowed to; empty fields match everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub kind: Option<&'a str>,
    pub scope: Option<&'a str>,
    /// Dates from `from` to `until`, inclusive.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// One result with what a results page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub id: String,
    pub kind: String,
    pub scope: String,
    pub title: String,
    pub body: String,
    pub date: i64,
    pub score: f32,
}

/// A page of results and how many matched in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub hits: Vec<Found>,
    pub total: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
}

/// An open index: search it, or take its [`SearchWriter`] to add documents.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analysis: Analysis,
}

impl SearchIndex {
    /// A new, empty index in `dir`, replacing a sotong index already there.
    pub fn create(dir: &Path, analysis: Analysis) -> Result<SearchIndex, SearchError> {
        clear_index_dir(dir)?;
        let (schema, fields) = schema(analysis);
        let index = Index::create_in_dir(dir, schema)?;
        let marker = dir.join(MARKER_FILE);
        std::fs::write(&marker, analysis.marker()).map_err(|e| SearchError::Io(marker, e))?;
        SearchIndex::wrap(index, fields, analysis)
    }

    /// An index in memory (tests, one-off evaluations).
    pub fn in_memory(analysis: Analysis) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema(analysis);
        SearchIndex::wrap(Index::create_in_ram(schema), fields, analysis)
    }

    /// The index [`create`](SearchIndex::create) made in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let marker_path = dir.join(MARKER_FILE);
        let marker = std::fs::read_to_string(&marker_path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SearchError::NotAnIndex(dir.to_path_buf()),
            _ => SearchError::Io(marker_path.clone(), e),
        })?;
        let analysis = [Analysis::Bigram, Analysis::Pretokenized]
            .into_iter()
            .find(|a| a.marker() == marker.trim())
            .ok_or_else(|| SearchError::OtherAnalyzer { dir: dir.to_path_buf(), found: marker.trim().to_string() })?;
        let index = Index::open_in_dir(dir)?;
        let fields = fields_of(&index.schema())?;
        SearchIndex::wrap(index, fields, analysis)
    }

    fn wrap(index: Index, fields: Fields, analysis: Analysis) -> Result<SearchIndex, SearchError> {
        register_tokenizers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, reader, fields, analysis })
    }

    /// Number of documents searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A writer; documents become searchable after [`SearchWriter::commit`].
    pub fn writer(&self) -> Result<SearchWriter<'_>, SearchError> {
        self.writer_with_memory(WRITER_MEMORY)
    }

    /// A writer with a smaller buffer, for a few changes at a time.
    pub fn small_writer(&self) -> Result<SearchWriter<'_>, SearchError> {
        self.writer_with_memory(SMALL_WRITER_MEMORY)
    }

    fn writer_with_memory(&self, bytes: usize) -> Result<SearchWriter<'_>, SearchError> {
        // One indexing thread: documents keep their order, so equal scores always rank
        // the same way (the same query gives the same list).
        Ok(SearchWriter { writer: self.index.writer_with_num_threads(1, bytes)?, owner: self })
    }

    /// The best `limit` documents for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let Some(query) = self.query(query) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        top.into_iter()
            .take(limit)
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
                Ok(Hit { id: text(self.fields.id), title: text(self.fields.title), score })
            })
            .collect()
    }

    /// One page of the documents matching `query` within `filter`, best first, with
    /// the number of all matches.
    pub fn find(&self, query: &str, filter: &Filter<'_>, offset: usize, limit: usize) -> Result<Results, SearchError> {
        let Some(text) = self.query(query) else {
            return Ok(Results { hits: Vec::new(), total: 0 });
        };
        self.find_query(text, filter, offset, limit)
    }

    fn find_query(
        &self,
        text: Box<dyn Query>,
        filter: &Filter<'_>,
        offset: usize,
        limit: usize,
    ) -> Result<Results, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        let f = self.fields;
        for (field, value) in [(f.kind, filter.kind), (f.scope, filter.scope)] {
            if let Some(value) = value {
                let term = tantivy::Term::from_field_text(field, value);
                clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
            }
        }
        if filter.from.is_some() || filter.until.is_some() {
            let bound = |b: Option<i64>| match b {
                Some(v) => Bound::Included(tantivy::Term::from_field_i64(f.date, v)),
                None => Bound::Unbounded,
            };
            clauses.push((Occur::Must, Box::new(RangeQuery::new(bound(filter.from), bound(filter.until)))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let (top, total) =
            searcher.search(&query, &(TopDocs::with_limit(limit.max(1)).and_offset(offset).order_by_score(), Count))?;
        let hits = top
            .into_iter()
            .take(limit)
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
                let date = doc.get_first(f.date).and_then(|v| v.as_i64()).unwrap_or(0);
                Ok(Found {
                    id: text(f.id),
                    kind: text(f.kind),
                    scope: text(f.scope),
                    title: text(f.title),
                    body: text(f.body),
                    date,
                    score,
                })
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        Ok(Results { hits, total })
    }

    /// Documents like `text` (a title being typed): every distinct term of it is an
    /// alternative, in the title or the body ([`LIKE_TITLE_BOOST`]), so rare shared terms count and
    /// common ones ("주세요") barely do — unlike [`find`](Self::find), a word with a
    /// particle ("주차장을") still finds "주차장".
    pub fn find_like(&self, text: &str, filter: &Filter<'_>, limit: usize) -> Result<Results, SearchError> {
        let mut seen = std::collections::HashSet::new();
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in analyzer::terms(&search_form(text)) {
            if !seen.insert(term.text.clone()) {
                continue;
            }
            let one = std::slice::from_ref(&term);
            alternatives.push((Occur::Should, self.text_query(one, LIKE_TITLE_BOOST)));
        }
        if alternatives.is_empty() {
            return Ok(Results { hits: Vec::new(), total: 0 });
        }
        self.find_query(Box::new(BooleanQuery::new(alternatives)), filter, 0, limit)
    }

    /// Like [`find_like`](Self::find_like), one document per title: a title filed again
    /// and again ("… (7)", "… (8)", the same words spaced differently) is shown once,
    /// its best-scoring copy, so the `limit` places show different things.
    pub fn find_like_distinct(&self, text: &str, filter: &Filter<'_>, limit: usize) -> Result<Vec<Found>, SearchError> {
        let mut seen = std::collections::HashSet::new();
        let candidates = self.find_like(text, filter, limit * 4)?.hits;
        Ok(candidates.into_iter().filter(|hit| seen.insert(title_key(&hit.title))).take(limit).collect())
    }

    /// Whether a document with this id is searchable now.
    pub fn contains(&self, id: &str) -> Result<bool, SearchError> {
        let term = tantivy::Term::from_field_text(self.fields.id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        Ok(self.reader.searcher().search(&query, &Count)? > 0)
    }

    /// What the last commit recorded with [`SearchWriter::commit_with_payload`] (a
    /// follower's position in its change log).
    pub fn payload(&self) -> Result<Option<String>, SearchError> {
        Ok(self.index.load_metas()?.payload)
    }

    /// The query for a user's text, or None when it has no searchable term. With
    /// several words, a document holding all of them gains [`ALL_WORDS_BOOST`], so it
    /// ranks above documents holding only some; initial-consonant words then also
    /// match bodies (one 초성 word alone is too common in long texts to mean anything).
    fn query(&self, text: &str) -> Option<Box<dyn Query>> {
        let words: Vec<Box<dyn Query>> = match self.analysis {
            Analysis::Bigram => {
                let form = search_form(text);
                let words: Vec<&str> = form.split(' ').filter(|w| !w.is_empty()).collect();
                let in_bodies = words.len() > 1;
                words.iter().filter_map(|w| self.word_query(w, in_bodies)).collect()
            }
            Analysis::Pretokenized => pretokenized_terms(text)
                .iter()
                .map(|term| self.text_query(std::slice::from_ref(term), TITLE_BOOST))
                .collect(),
        };
        match words.len() {
            0 => None,
            1 => words.into_iter().next(),
            _ => {
                let all: Vec<(Occur, Box<dyn Query>)> = words.iter().map(|q| (Occur::Must, q.box_clone())).collect();
                let all_words = BoostQuery::new(Box::new(BooleanQuery::new(all)), ALL_WORDS_BOOST);
                let mut any: Vec<(Occur, Box<dyn Query>)> = words.into_iter().map(|q| (Occur::Should, q)).collect();
                any.push((Occur::Should, Box::new(all_words)));
                Some(Box::new(BooleanQuery::new(any)))
            }
        }
    }

    fn word_query(&self, word: &str, chosung_in_bodies: bool) -> Option<Box<dyn Query>> {
        let has_initials = word.chars().any(is_initial_jamo);
        let syllables: String = word.chars().filter(|&c| is_syllable(c)).collect();
        if has_initials && !syllables.is_empty() {
            // "불법ㅈㅊ": the whole word by initials, and the syllables typed in full.
            let by_initials = self.chosung_query(&chosung(word), chosung_in_bodies)?;
            let typed = self.word_query(&syllables, false)?;
            return Some(Box::new(BooleanQuery::new(vec![(Occur::Must, by_initials), (Occur::Must, typed)])));
        }
        if has_initials && word.chars().all(is_initial_jamo) {
            return self.chosung_query(word, chosung_in_bodies);
        }
        let terms = analyzer::terms(word);
        match terms.as_slice() {
            [] => None,
            [one] if one.text.chars().count() == 1 && one.text.chars().all(is_syllable) => {
                Some(self.syllable_query(&one.text))
            }
            _ => Some(self.text_query(&terms, TITLE_BOOST)),
        }
    }

    /// Terms (a phrase when several) in the title, boosted, or in the body, weighted as
    /// one word.
    fn text_query(&self, terms: &[Term], title_boost: f32) -> Box<dyn Query> {
        let in_title = BoostQuery::new(phrase_or_term(self.fields.title, terms), title_boost);
        let in_body = phrase_or_term(self.fields.body, terms);
        let both = BooleanQuery::new(vec![(Occur::Should, Box::new(in_title)), (Occur::Should, in_body)]);
        // A phrase scores the sum of its bigrams' weights, so a long word would outweigh
        // a short one; dividing by the bigram count makes each query word count once
        // (MRR@10 on the labelled queries 0.832 → 0.879, docs/TEXT.md).
        Box::new(BoostQuery::new(Box::new(both), 1.0 / terms.len() as f32))
    }

    fn chosung_query(&self, initials: &str, in_bodies: bool) -> Option<Box<dyn Query>> {
        let terms = analyzer::chosung_query_terms(initials);
        if terms.is_empty() {
            return None;
        }
        let in_title = Box::new(BoostQuery::new(phrase_or_term(self.fields.title_chosung, &terms), TITLE_BOOST));
        if !in_bodies {
            return Some(in_title);
        }
        let in_body = phrase_or_term(self.fields.body_chosung, &terms);
        let either = BooleanQuery::new(vec![(Occur::Should, in_title as Box<dyn Query>), (Occur::Should, in_body)]);
        Some(Box::new(BoostQuery::new(Box::new(either), 1.0 / terms.len() as f32)))
    }

    /// A one-syllable word: the syllable alone or any bigram starting with it ("딸" finds
    /// "딸이", "딸을"). Bigrams *ending* in it are not searched: that pattern walks the
    /// whole term dictionary (4–12 ms a word on 94,715 petitions), and a Korean word
    /// mostly starts its 어절, with particles after it.
    fn syllable_query(&self, syllable: &str) -> Box<dyn Query> {
        let pattern = format!("{syllable}.?");
        let field_query = |field| -> Box<dyn Query> {
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(query) => Box::new(query),
                // A Hangul syllable is never a regex metacharacter; fall back to the term.
                Err(_) => phrase_or_term(field, &[Term { text: syllable.to_string(), position: 0 }]),
            }
        };
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(BoostQuery::new(field_query(self.fields.title), TITLE_BOOST))),
            (Occur::Should, field_query(self.fields.body)),
        ]))
    }
}

/// A title as the same title filed again would read: search form, spaces removed, a
/// trailing re-post number ("(8)", "8차") dropped.
pub fn title_key(title: &str) -> String {
    let form: String = search_form(title).chars().filter(|c| !c.is_whitespace()).collect();
    let trimmed = form.trim_end_matches(|c: char| c.is_ascii_digit() || c == '차');
    if trimmed.is_empty() {
        form
    } else {
        trimmed.to_string()
    }
}

fn phrase_or_term(field: Field, terms: &[Term]) -> Box<dyn Query> {
    let term = |t: &Term| tantivy::Term::from_field_text(field, &t.text);
    if let [one] = terms {
        return Box::new(TermQuery::new(term(one), IndexRecordOption::WithFreqs));
    }
    let first = terms[0].position;
    Box::new(PhraseQuery::new_with_offset(terms.iter().map(|t| (t.position - first, term(t))).collect()))
}

/// Adds documents to a [`SearchIndex`].
pub struct SearchWriter<'a> {
    writer: IndexWriter,
    owner: &'a SearchIndex,
}

impl SearchWriter<'_> {
    pub fn add(&mut self, id: &str, title: &str, body: &str) -> Result<(), SearchError> {
        self.add_document(&Document { id, kind: "", scope: "", title, body, date: 0 })
    }

    pub fn add_document(&mut self, document: &Document<'_>) -> Result<(), SearchError> {
        let fields = self.owner.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, document.id);
        doc.add_text(fields.title, document.title);
        doc.add_text(fields.body, document.body);
        if self.owner.analysis == Analysis::Bigram {
            doc.add_text(fields.title_chosung, document.title);
            doc.add_text(fields.body_chosung, document.body);
        }
        doc.add_text(fields.kind, document.kind);
        doc.add_text(fields.scope, document.scope);
        doc.add_i64(fields.date, document.date);
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Replaces the document with this id (or adds it).
    pub fn put(&mut self, document: &Document<'_>) -> Result<(), SearchError> {
        self.delete(document.id);
        self.add_document(document)
    }

    /// Removes the document with this id, if there is one.
    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(tantivy::Term::from_field_text(self.owner.fields.id, id));
    }

    /// Removes every document of one kind.
    pub fn delete_kind(&mut self, kind: &str) {
        self.writer.delete_term(tantivy::Term::from_field_text(self.owner.fields.kind, kind));
    }

    /// Removes every document (before a rebuild in place).
    pub fn delete_all(&mut self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the added documents searchable (and durable, for an index on disk).
    pub fn commit(self) -> Result<(), SearchError> {
        self.commit_with_payload(None)
    }

    /// Commits with a note kept in the index (a follower's position in its change log).
    pub fn commit_with_payload(mut self, payload: Option<String>) -> Result<(), SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        if let Some(payload) = payload {
            prepared.set_payload(&payload);
        }
        prepared.commit()?;
        self.writer.wait_merging_threads()?;
        self.owner.reader.reload()?;
        Ok(())
    }
}

fn schema(analysis: Analysis) -> (Schema, Fields) {
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let mut builder = Schema::builder();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", text(analysis.tokenizer_name()).set_stored()),
        body: builder.add_text_field("body", text(analysis.tokenizer_name()).set_stored()),
        title_chosung: builder.add_text_field("title_chosung", text("ko_chosung")),
        body_chosung: builder.add_text_field("body_chosung", text("ko_chosung")),
        kind: builder.add_text_field("kind", STRING | STORED),
        scope: builder.add_text_field("scope", STRING | STORED),
        date: builder.add_i64_field("date", INDEXED | STORED | FAST),
    };
    (builder.build(), fields)
}

fn fields_of(schema: &Schema) -> Result<Fields, SearchError> {
    let field = |name| schema.get_field(name).map_err(SearchError::from);
    Ok(Fields {
        id: field("id")?,
        title: field("title")?,
        body: field("body")?,
        title_chosung: field("title_chosung")?,
        body_chosung: field("body_chosung")?,
        kind: field("kind")?,
        scope: field("scope")?,
        date: field("date")?,
    })
}

fn register_tokenizers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register("ko_bigram", AnalyzerTokenizer::new(analyzer::terms));
    tokenizers.register("ko_chosung", AnalyzerTokenizer::new(analyzer::chosung_terms));
    tokenizers.register("pretokenized", AnalyzerTokenizer::new(pretokenized_terms));
}

/// Space-separated terms, lower-cased (text an outside analyzer has already cut).
fn pretokenized_terms(text: &str) -> Vec<Term> {
    text.split_whitespace().enumerate().map(|(position, w)| Term { text: w.to_lowercase(), position }).collect()
}

/// Bridges an analyzer function to tantivy's tokenizer interface.
#[derive(Clone)]
struct AnalyzerTokenizer {
    analyze: fn(&str) -> Vec<Term>,
    tokens: Vec<Token>,
}

impl AnalyzerTokenizer {
    fn new(analyze: fn(&str) -> Vec<Term>) -> AnalyzerTokenizer {
        AnalyzerTokenizer { analyze, tokens: Vec::new() }
    }
}

impl Tokenizer for AnalyzerTokenizer {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        self.tokens.clear();
        self.tokens.extend((self.analyze)(text).into_iter().map(|term| Token {
            position: term.position,
            text: term.text,
            ..Token::default()
        }));
        Tokens { tokens: &mut self.tokens, advanced: 0 }
    }
}

struct Tokens<'a> {
    tokens: &'a mut Vec<Token>,
    advanced: usize,
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        self.advanced += 1;
        self.advanced <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.advanced - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.advanced - 1]
    }
}

/// Empties `dir` for a new index if it holds a sotong index (or nothing); refuses
/// to touch a directory with other files.
fn clear_index_dir(dir: &Path) -> Result<(), SearchError> {
    let io = |e| SearchError::Io(dir.to_path_buf(), e);
    if !dir.exists() {
        return std::fs::create_dir_all(dir).map_err(io);
    }
    let mut entries = std::fs::read_dir(dir).map_err(io)?.peekable();
    if entries.peek().is_none() {
        return Ok(());
    }
    if !dir.join(MARKER_FILE).exists() {
        return Err(SearchError::NotAnIndex(dir.to_path_buf()));
    }
    std::fs::remove_dir_all(dir).map_err(io)?;
    std::fs::create_dir_all(dir).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(docs: &[(&str, &str, &str)]) -> SearchIndex {
        let index = SearchIndex::in_memory(Analysis::Bigram).unwrap();
        let mut writer = index.writer().unwrap();
        for (id, title, body) in docs {
            writer.add(id, title, body).unwrap();
        }
        writer.commit().unwrap();
        index
    }

    fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
        index.search(query, 10).unwrap().into_iter().map(|h| h.id).collect()
    }

    const DOCS: [(&str, &str, &str); 5] = [
        ("1", "불법주차가 너무 많아요", "골목마다 차가 서 있습니다"),
        ("2", "공영 주차장을 지어 주세요", "시장 근처에 주차 공간이 없습니다"),
        ("3", "도서관 운영 시간", "주말에도 열어 주세요"),
        ("4", "CCTV 설치 요청", "어린이 보호구역에 cctv가 필요합니다"),
        ("5", "버스 노선", "차장님 말씀과 주민 의견"),
    ];

    #[test]
    fn a_word_is_found_inside_compounds_and_before_particles() {
        let index = index(&DOCS);
        let mut found = ids(&index, "주차");
        found.sort();
        assert_eq!(found, ["1", "2"]);
        // 주차 and 차장 apart (doc 5 has 차장 only) do not make 주차장.
        assert_eq!(ids(&index, "주차장"), ["2"]);
    }

    #[test]
    fn title_matches_rank_above_body_matches() {
        let index = index(&[("body", "공원 산책로", "주차 문제가 있습니다"), ("title", "주차 문제", "공원 산책로")]);
        assert_eq!(ids(&index, "주차"), ["title", "body"]);
    }

    #[test]
    fn latin_words_match_case_and_width_insensitively() {
        let index = index(&DOCS);
        assert_eq!(ids(&index, "ｃｃｔｖ"), ["4"]);
    }

    #[test]
    fn initial_consonant_and_mixed_queries() {
        let index = index(&DOCS);
        assert_eq!(ids(&index, "ㅂㅂㅈㅊ"), ["1"]);
        assert_eq!(ids(&index, "불법ㅈㅊ"), ["1"]);
        assert_eq!(ids(&index, "ㄷㅅㄱ"), ["3"]);
        assert!(ids(&index, "공영ㄷㅅ").is_empty());
    }

    #[test]
    fn one_syllable_words_match_inside_bigrams() {
        let index = index(&DOCS);
        assert_eq!(ids(&index, "골"), ["1"]);
    }

    #[test]
    fn an_index_on_disk_is_rebuilt_in_place_and_another_analyzers_index_is_refused() {
        let dir = std::env::temp_dir().join(format!("sotong-search-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let index = SearchIndex::create(&dir, Analysis::Bigram).unwrap();
            let mut writer = index.writer().unwrap();
            writer.add("1", "불법주차", "").unwrap();
            writer.commit().unwrap();
        }
        assert_eq!(ids(&SearchIndex::open(&dir).unwrap(), "주차"), ["1"]);
        // Created again: empty, the old documents gone.
        assert!(SearchIndex::create(&dir, Analysis::Bigram).unwrap().is_empty());
        std::fs::write(dir.join(MARKER_FILE), "analyzer=bigram-1").unwrap();
        assert!(matches!(SearchIndex::open(&dir), Err(SearchError::OtherAnalyzer { .. })));
        let other = dir.join("other");
        std::fs::create_dir_all(other.join("files")).unwrap();
        assert!(matches!(SearchIndex::open(&other), Err(SearchError::NotAnIndex(_))));
        assert!(matches!(SearchIndex::create(&other, Analysis::Bigram), Err(SearchError::NotAnIndex(_))));
        assert!(other.join("files").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_document_with_every_word_ranks_above_short_titles_with_one() {
        let index = index(&[
            ("one-a", "공원", "짧은 제목"),
            ("one-b", "주차", "짧은 제목"),
            ("all", "시민 의견", "한빛공원 옆 주차장의 요금이 너무 비쌉니다"),
        ]);
        assert_eq!(ids(&index, "공원 주차 요금")[0], "all");
    }

    #[test]
    fn several_initial_consonant_words_match_bodies_and_filters_narrow() {
        let index = SearchIndex::in_memory(Analysis::Bigram).unwrap();
        let mut writer = index.writer().unwrap();
        let doc = |id, kind, scope, title, body, date| Document { id, kind, scope, title, body, date };
        writer.put(&doc("p1", "proposal", "hanbit", "시민 건의", "공원 옆 주차장이 부족합니다", 100)).unwrap();
        writer.put(&doc("n1", "notice", "hanbit", "공원 주차장 폐쇄 안내", "공사 기간", 200)).unwrap();
        writer.put(&doc("n2", "notice", "solmoe", "공원 주차장 안내", "", 300)).unwrap();
        writer.commit().unwrap();
        let found = |q, filter: Filter<'_>| -> Vec<String> {
            index.find(q, &filter, 0, 10).unwrap().hits.into_iter().map(|h| h.id).collect()
        };
        let mut all = found("공원 ㅈㅊ", Filter::default());
        all.sort();
        assert_eq!(all, ["n1", "n2", "p1"], "the proposal matches by its body");
        assert_eq!(found("공원 ㅈㅊ", Filter { kind: Some("proposal"), ..Default::default() }), ["p1"]);
        assert_eq!(found("주차장", Filter { scope: Some("solmoe"), ..Default::default() }), ["n2"]);
        assert_eq!(found("주차장", Filter { from: Some(150), until: Some(250), ..Default::default() }), ["n1"]);
        let results = index.find("주차장", &Filter::default(), 1, 1).unwrap();
        assert_eq!((results.total, results.hits.len()), (3, 1));
        // Replaced and deleted in place.
        let mut writer = index.small_writer().unwrap();
        writer.put(&doc("p1", "proposal", "hanbit", "시민 건의", "도서관 연장 운영", 100)).unwrap();
        writer.delete("n2");
        writer.commit_with_payload(Some("42".into())).unwrap();
        assert_eq!(found("주차장", Filter::default()), ["n1"]);
        assert!(index.contains("p1").unwrap() && !index.contains("n2").unwrap());
        assert_eq!(index.payload().unwrap().as_deref(), Some("42"));
    }

    #[test]
    fn a_payload_survives_reopening_an_index_on_disk() {
        let dir = std::env::temp_dir().join(format!("sotong-search-payload-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let index = SearchIndex::create(&dir, Analysis::Bigram).unwrap();
            let mut writer = index.writer().unwrap();
            writer.delete_all().unwrap();
            writer.add("1", "불법주차", "").unwrap();
            writer.commit_with_payload(Some("7".into())).unwrap();
        }
        assert_eq!(SearchIndex::open(&dir).unwrap().payload().unwrap().as_deref(), Some("7"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn empty_and_punctuation_only_queries_find_nothing() {
        let index = index(&DOCS);
        assert!(ids(&index, "").is_empty());
        assert!(ids(&index, " ?! ").is_empty());
    }
}
