//! Times parsing and equal shares on one file: `cargo run --release --example stats FILE.pb`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: stats FILE.pb");
    let started = std::time::Instant::now();
    let election = pb::pabulib::read_file(&path).expect("readable file");
    eprintln!("parse {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let engine = pb::EqualShares::new(&election);
    let base = engine.base_voter_budget().expect("voters");
    let run = engine.run(&base, pb::TieBreak::ProjectId);
    eprintln!("equal shares run {:?}: {} purchases, {} classes", started.elapsed(), run.purchases.len(), run.classes());
    let started = std::time::Instant::now();
    let outcome =
        pb::equal_shares(&election, &pb::MesOptions { completion: pb::Completion::None, ..Default::default() });
    eprintln!("equal shares with explanations {:?}: {} selected", started.elapsed(), outcome.selected.len());
}
