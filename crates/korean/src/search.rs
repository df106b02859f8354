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
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

/// How much more a match in the title counts than one in the body.
pub const TITLE_BOOST: f32 = 2.0;

/// Written into the index directory; an index with another marker must be rebuilt.
const MARKER_FILE: &str = "sotong-search";
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

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
            Analysis::Bigram => "analyzer=bigram-1",
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
        // One indexing thread: documents keep their order, so equal scores always rank
        // the same way (the same query gives the same list).
        Ok(SearchWriter { writer: self.index.writer_with_num_threads(1, WRITER_MEMORY)?, owner: self })
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

    /// The query for a user's text, or None when it has no searchable term.
    fn query(&self, text: &str) -> Option<Box<dyn Query>> {
        let words: Vec<Box<dyn Query>> = match self.analysis {
            Analysis::Bigram => search_form(text).split(' ').filter_map(|w| self.word_query(w)).collect(),
            Analysis::Pretokenized => {
                pretokenized_terms(text).iter().map(|term| self.text_query(std::slice::from_ref(term))).collect()
            }
        };
        match words.len() {
            0 => None,
            1 => words.into_iter().next(),
            _ => Some(Box::new(BooleanQuery::new(words.into_iter().map(|q| (Occur::Should, q)).collect()))),
        }
    }

    fn word_query(&self, word: &str) -> Option<Box<dyn Query>> {
        let has_initials = word.chars().any(is_initial_jamo);
        let syllables: String = word.chars().filter(|&c| is_syllable(c)).collect();
        if has_initials && !syllables.is_empty() {
            // "불법ㅈㅊ": the whole word by initials, and the syllables typed in full.
            let by_initials = self.chosung_query(&chosung(word))?;
            let typed = self.word_query(&syllables)?;
            return Some(Box::new(BooleanQuery::new(vec![(Occur::Must, by_initials), (Occur::Must, typed)])));
        }
        if has_initials && word.chars().all(is_initial_jamo) {
            return self.chosung_query(word);
        }
        let terms = analyzer::terms(word);
        match terms.as_slice() {
            [] => None,
            [one] if one.text.chars().count() == 1 && one.text.chars().all(is_syllable) => {
                Some(self.syllable_query(&one.text))
            }
            _ => Some(self.text_query(&terms)),
        }
    }

    /// Terms (a phrase when several) in the title, boosted, or in the body, weighted as
    /// one word.
    fn text_query(&self, terms: &[Term]) -> Box<dyn Query> {
        let in_title = BoostQuery::new(phrase_or_term(self.fields.title, terms), TITLE_BOOST);
        let in_body = phrase_or_term(self.fields.body, terms);
        let both = BooleanQuery::new(vec![(Occur::Should, Box::new(in_title)), (Occur::Should, in_body)]);
        // A phrase scores the sum of its bigrams' weights, so a long word would outweigh
        // a short one; dividing by the bigram count makes each query word count once
        // (MRR@10 on the labelled queries 0.832 → 0.879, docs/TEXT.md).
        Box::new(BoostQuery::new(Box::new(both), 1.0 / terms.len() as f32))
    }

    fn chosung_query(&self, initials: &str) -> Option<Box<dyn Query>> {
        let terms = analyzer::chosung_query_terms(initials);
        if terms.is_empty() {
            return None;
        }
        Some(Box::new(BoostQuery::new(phrase_or_term(self.fields.title_chosung, &terms), TITLE_BOOST)))
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
        let fields = self.owner.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, id);
        doc.add_text(fields.title, title);
        doc.add_text(fields.body, body);
        if self.owner.analysis == Analysis::Bigram {
            doc.add_text(fields.title_chosung, title);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Makes the added documents searchable (and durable, for an index on disk).
    pub fn commit(mut self) -> Result<(), SearchError> {
        self.writer.commit()?;
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
        body: builder.add_text_field("body", text(analysis.tokenizer_name())),
        title_chosung: builder.add_text_field("title_chosung", text("ko_chosung")),
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
        std::fs::write(dir.join(MARKER_FILE), "analyzer=bigram-0").unwrap();
        assert!(matches!(SearchIndex::open(&dir), Err(SearchError::OtherAnalyzer { .. })));
        let other = dir.join("other");
        std::fs::create_dir_all(other.join("files")).unwrap();
        assert!(matches!(SearchIndex::open(&other), Err(SearchError::NotAnIndex(_))));
        assert!(matches!(SearchIndex::create(&other, Analysis::Bigram), Err(SearchError::NotAnIndex(_))));
        assert!(other.join("files").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn empty_and_punctuation_only_queries_find_nothing() {
        let index = index(&DOCS);
        assert!(ids(&index, "").is_empty());
        assert!(ids(&index, " ?! ").is_empty());
    }
}
