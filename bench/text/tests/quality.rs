//! Search quality of the product's analyzer on the labelled petition queries
//! (petition-queries.tsv; the rule for relevance is in its header and docs/TEXT.md).
//! The MeCab comparison needs Debian's mecab and runs in bench/text.sh.

use korean::search::Analysis;
use text_bench::{build_index, data_path, quality, queries_path, read_petitions, read_queries, relevant_sets, top_ten};

#[test]
fn bigram_analyzer_finds_the_labelled_petitions() {
    let petitions = read_petitions(&data_path("bluehouse_petitions_2020.jsonl"));
    let queries = read_queries(&queries_path());
    assert!(queries.iter().filter(|q| q.kind == "words").count() >= 100);
    assert!(queries.iter().filter(|q| q.kind == "chosung").count() >= 30);
    let relevant = relevant_sets(&petitions, &queries);
    let index = build_index(None, Analysis::Bigram, &petitions).unwrap();
    let results = top_ten(&index, &queries).unwrap();
    for (kind, min_recall, min_mrr) in [("words", 0.98, 0.90), ("chosung", 0.8, 0.5)] {
        let (found, wanted): (Vec<_>, Vec<_>) = results
            .iter()
            .zip(&relevant)
            .zip(&queries)
            .filter(|(_, q)| q.kind == kind)
            .map(|((r, s), _)| (r.clone(), s.clone()))
            .unzip();
        let q = quality(&found, &wanted);
        println!("{kind}: {} queries, recall@10 {:.3}, MRR@10 {:.3}", q.queries, q.recall_at_10, q.mrr_at_10);
        // The targets the issue set: recall@10 ≥ 0.98 and MRR@10 ≥ 0.90 on words,
        // recall@10 ≥ 0.8 on 초성 (measured 1.000 / 0.901 and 0.833 / 0.596 when set).
        assert!(q.recall_at_10 >= min_recall && q.mrr_at_10 >= min_mrr, "{kind}: {q:?}");
    }
    for ((found, wanted), query) in results.iter().zip(&relevant).zip(&queries) {
        match found.iter().take(10).position(|id| wanted.contains(id)) {
            None => println!("missed: {} → {} (relevant {:?})", query.text, query.target, wanted),
            Some(rank) if rank > 0 => println!("rank {}: {} → {}", rank + 1, query.text, query.target),
            Some(_) => {}
        }
    }
}

/// The similar-proposal hint on real re-posts, over the 94,714 documents of both
/// petition files. The issue asks for the original among the 5 in at least 95% of
/// cases; titles alone reach 90% (27 of 30): the three missed re-posts share no word
/// with their original's title ("여가부를 없애야하는이유" for "여성가족부 폐지"). The
/// floor below keeps what is reached; docs/TEXT.md records the gap.
#[test]
fn typing_a_reposts_title_shows_the_original_among_five() {
    use korean::search::title_key;
    use text_bench::{hint, hint_index, read_titles, repost_cases};
    let petitions = read_petitions(&data_path("bluehouse_petitions_2020.jsonl"));
    let titles = read_titles(&data_path("petition_titles_2019_2021.csv"));
    let cases = repost_cases(&petitions);
    assert!(cases.len() >= 20, "the petitions hold re-posts: {}", cases.len());
    let index = hint_index(&petitions, &titles).unwrap();
    let title_of = |id: &str| {
        petitions.iter().chain(titles.iter()).find(|p| p.id == id).map(|p| p.title.clone()).unwrap_or_default()
    };
    // Shown: the original itself, a copy of it under the same title (the hint shows
    // one document per title), or an earlier copy of the same text (`earlier_copies`).
    let is_shown = |case: &text_bench::RepostCase| {
        let original = title_key(&title_of(&case.original));
        hint(&index, &case.repost_title, 5)
            .iter()
            .any(|id| case.earlier_copies.contains(id) || title_key(&title_of(id)) == original)
    };
    let shown = cases.iter().filter(|c| is_shown(c)).count();
    let share = shown as f64 / cases.len() as f64;
    println!(
        "similar hint: the original or an earlier copy among 5 for {shown} of {} re-posts ({share:.3})",
        cases.len()
    );
    for case in cases.iter().filter(|c| !is_shown(c)) {
        let shown: Vec<String> = hint(&index, &case.repost_title, 5).iter().map(|id| title_of(id)).collect();
        println!("not shown: {:?} for {:?}; shown {shown:?}", title_of(&case.original), case.repost_title);
    }
    assert!(share >= 0.95, "{share}");
}
