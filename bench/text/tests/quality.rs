//! Search quality of the product's analyzer on the labelled petition queries
//! (petition-queries.tsv; the rule for relevance is in its header and docs/TEXT.md).
//! The MeCab comparison needs Debian's mecab and runs in bench/text.sh.

use korean::search::Analysis;
use text_bench::{build_index, data_path, quality, queries_path, read_petitions, read_queries, relevant_sets, top_ten};

#[test]
fn bigram_analyzer_finds_the_labelled_petitions() {
    let petitions = read_petitions(&data_path("bluehouse_petitions_2020.jsonl"));
    let queries = read_queries(&queries_path());
    assert!(queries.iter().filter(|q| q.kind == "words").count() >= 50);
    let relevant = relevant_sets(&petitions, &queries);
    let index = build_index(None, Analysis::Bigram, &petitions).unwrap();
    let results = top_ten(&index, &queries).unwrap();
    for (kind, min_recall, min_mrr) in [("words", 0.97, 0.83), ("chosung", 0.6, 0.2)] {
        let (found, wanted): (Vec<_>, Vec<_>) = results
            .iter()
            .zip(&relevant)
            .zip(&queries)
            .filter(|(_, q)| q.kind == kind)
            .map(|((r, s), _)| (r.clone(), s.clone()))
            .unzip();
        let q = quality(&found, &wanted);
        println!("{kind}: {} queries, recall@10 {:.3}, MRR@10 {:.3}", q.queries, q.recall_at_10, q.mrr_at_10);
        // Measured 1.000 / 0.879 (words) and 0.800 / 0.253 (초성) when set; a floor a
        // little below, so an analyzer or ranking change that loses petitions fails.
        assert!(q.recall_at_10 >= min_recall && q.mrr_at_10 >= min_mrr, "{kind}: {q:?}");
    }
    for ((found, wanted), query) in results.iter().zip(&relevant).zip(&queries) {
        if !found.iter().any(|id| wanted.contains(id)) {
            println!("missed: {} → {} (relevant {:?})", query.text, query.target, wanted);
        }
    }
}
