//! Snippets of a text around what a query matched, with the matches marked: what a
//! results page shows under each title. A query word matches where the text has the
//! same characters, or syllables whose initial consonants the word gives ("ㅈㅊ"
//! marks "주차", "불법ㅈㅊ" marks "불법주차"), case-insensitively.

use crate::jamo::char_matches;
use crate::normalize::search_form;

/// A piece of a snippet: its text, and whether it is a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub matched: bool,
}

/// About `width` characters of `text` around the first match of a word of `query`,
/// every match in it marked; the text's beginning when nothing matches. "…" marks a
/// cut at either end.
pub fn snippet(text: &str, query: &str, width: usize) -> Vec<Piece> {
    let chars: Vec<char> = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let words: Vec<Vec<char>> =
        search_form(query).split(' ').filter(|w| !w.is_empty()).map(|w| w.chars().collect()).collect();
    let mut marked = vec![false; chars.len()];
    let mut first: Option<usize> = None;
    for word in &words {
        if word.is_empty() || word.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - word.len() {
            if word.iter().zip(&lower[start..]).all(|(&q, &t)| char_matches(q, t)) {
                marked[start..start + word.len()].iter_mut().for_each(|m| *m = true);
                first = Some(first.map_or(start, |f| f.min(start)));
            }
        }
    }
    let start = first.map_or(0, |f| f.saturating_sub(width / 4));
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut pieces: Vec<Piece> = Vec::new();
    if start > 0 {
        pieces.push(Piece { text: "…".into(), matched: false });
    }
    for i in start..end {
        match pieces.last_mut() {
            Some(last) if last.matched == marked[i] && last.text != "…" => last.text.push(chars[i]),
            _ => pieces.push(Piece { text: chars[i].to_string(), matched: marked[i] }),
        }
    }
    if end < chars.len() {
        pieces.push(Piece { text: "…".into(), matched: false });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| if p.matched { format!("[{}]", p.text) } else { p.text.clone() }).collect()
    }

    #[test]
    fn words_and_initials_are_marked() {
        let text = "주말마다 한빛공원 주변 도로가 주차 차량으로 막힙니다.";
        assert_eq!(
            render(&snippet(text, "공원 ㅈㅊ", 100)),
            "주말마다 한빛[공원] 주변 도로가 [주차] 차량으로 막힙니다."
        );
        assert_eq!(render(&snippet("CCTV 설치", "cctv", 100)), "[CCTV] 설치");
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = format!("{}불법주차{}", "가".repeat(100), "나".repeat(100));
        let shown = render(&snippet(&text, "불법ㅈㅊ", 40));
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[불법주차]"), "{shown}");
        assert_eq!(render(&snippet("검색어가 없는 글", "도서관", 4)), "검색어가…");
    }
}
