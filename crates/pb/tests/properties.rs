//! Properties of the rules on generated elections, and equal shares against a
//! deliberately naive implementation of its definition.
#![allow(clippy::needless_range_loop)] // indices name voters and projects here

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;
use pb::{
    Completion, Decimal, Election, GreedyOptions, MesOptions, Project, Rule, Score, Stop, TieBreak, VoteType, Voter,
};
use proptest::prelude::*;

/// Small elections where ties and exact fits are common: costs are multiples of 5
/// (some free, some with a half), ballots random subsets; empty ballots included.
fn elections() -> impl Strategy<Value = Election> {
    (1usize..8, 0usize..30).prop_flat_map(|(projects, voters)| {
        (
            prop::collection::vec((0u32..8, any::<bool>()), projects),
            0u32..120,
            prop::collection::vec(prop::collection::vec(prop::bool::weighted(0.35), projects), voters),
        )
            .prop_map(|(costs, budget, ballots)| build(&costs, budget, &ballots))
    })
}

fn build(costs: &[(u32, bool)], budget: u32, ballots: &[Vec<bool>]) -> Election {
    let projects = costs
        .iter()
        .enumerate()
        .map(|(i, &(units, half))| Project {
            // Ids whose string order differs from their numeric order.
            id: format!("{}", (i * 7 + 3) % 11),
            cost: Decimal::parse(&format!("{}{}", units * 5, if half && units > 0 { ".5" } else { "" })).unwrap(),
            extra: Vec::new(),
        })
        .collect();
    let voters = ballots
        .iter()
        .enumerate()
        .map(|(v, approved)| Voter {
            id: v.to_string(),
            ballot: (0..approved.len() as u32).filter(|&p| approved[p as usize]).collect(),
            points: Vec::new(),
            extra: Vec::new(),
        })
        .collect();
    Election {
        meta: vec![("budget".into(), budget.to_string()), ("vote_type".into(), "approval".into())],
        vote_type: VoteType::Approval,
        budget: Decimal::from(u64::from(budget)),
        project_columns: vec!["project_id".into(), "cost".into()],
        projects,
        vote_columns: vec!["voter_id".into(), "vote".into()],
        voters,
    }
}

fn rules() -> Vec<Rule> {
    let mut rules = Vec::new();
    for tie_break in [TieBreak::ProjectId, TieBreak::LowestCost, TieBreak::MostVotes] {
        for completion in
            [Completion::None, Completion::Add1, Completion::Add1ThenGreedy, Completion::Add1UntilOverspend]
        {
            rules.push(Rule::EqualShares(MesOptions { completion, tie_break, completion_score: Score::Approvals }));
        }
        for (skip, threshold) in [(true, None), (false, None), (true, Some(Decimal::from(2u64)))] {
            rules.push(Rule::Greedy(GreedyOptions { score: Score::Approvals, skip, threshold, tie_break }));
        }
    }
    rules
}

/// Equal shares straight from its definition, one voter at a time, all in
/// `BigRational`: the reference the class-based engine must agree with.
fn naive_equal_shares(election: &Election, voter_budget: &BigRational) -> (Vec<usize>, Vec<BigRational>) {
    let cost = |p: usize| election.projects[p].cost.to_rational();
    let supporters: Vec<Vec<usize>> = (0..election.projects.len())
        .map(|p| (0..election.voters.len()).filter(|&v| election.voters[v].ballot.contains(&(p as u32))).collect())
        .collect();
    let mut money = vec![voter_budget.clone(); election.voters.len()];
    let mut selected: Vec<usize> =
        (0..election.projects.len()).filter(|&p| !supporters[p].is_empty() && cost(p).is_zero()).collect();
    loop {
        let mut best: Option<(BigRational, usize)> = None;
        for p in 0..election.projects.len() {
            if selected.contains(&p) || supporters[p].is_empty() {
                continue;
            }
            let mut group: Vec<&BigRational> = supporters[p].iter().map(|&v| &money[v]).collect();
            group.sort();
            let (mut paid, mut left) = (BigRational::zero(), group.len());
            let rho = group.iter().find_map(|&m| {
                let cap = (cost(p) - &paid) / BigInt::from(left);
                if cap <= *m {
                    return Some(cap / cost(p));
                }
                paid += m;
                left -= 1;
                None
            });
            let Some(rho) = rho else { continue };
            let better = match &best {
                None => true,
                Some((b, q)) => rho < *b || (rho == *b && election.projects[p].id < election.projects[*q].id),
            };
            if better {
                best = Some((rho, p));
            }
        }
        let Some((rho, p)) = best else { return (selected, money) };
        let cap = rho * cost(p);
        for &v in &supporters[p] {
            let pay = if money[v] < cap { money[v].clone() } else { cap.clone() };
            money[v] -= pay;
        }
        selected.push(p);
    }
}

fn shuffled(election: &Election, project_order: &[usize], voter_order: &[usize]) -> Election {
    let mut new_index = vec![0u32; project_order.len()];
    for (new, &old) in project_order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    let mut copy = election.clone();
    copy.projects = project_order.iter().map(|&p| election.projects[p].clone()).collect();
    copy.voters = voter_order
        .iter()
        .map(|&v| {
            let mut voter = election.voters[v].clone();
            voter.ballot = voter.ballot.iter().map(|&p| new_index[p as usize]).collect();
            voter
        })
        .collect();
    copy
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_rule_exceeds_the_budget(election in elections()) {
        for rule in rules() {
            let outcome = rule.compute(&election);
            prop_assert!(outcome.total_cost <= election.budget, "{} spent {} of {}", outcome.rule, outcome.total_cost, election.budget);
            prop_assert_eq!(outcome.total_cost, election.total_cost(&outcome.selected));
        }
    }

    #[test]
    fn equal_shares_matches_its_definition_and_never_overcharges(election in elections(), raise in 0u32..4) {
        // Identical ballots are grouped inside the engine; the result must not show it.
        let engine = pb::EqualShares::new(&election);
        let Some(base) = engine.base_voter_budget() else { return Ok(()) };
        let voter_budget = base + BigRational::from_integer(raise.into());
        let (expected, expected_money) = naive_equal_shares(&election, &voter_budget);
        let run = engine.run(&voter_budget, TieBreak::ProjectId);
        prop_assert_eq!(run.selected(), expected);
        let mut spent = BigRational::zero();
        for v in 0..election.voters.len() {
            let left = engine.money_left(&run, v);
            prop_assert_eq!(&left, &expected_money[v]);
            prop_assert!(left >= BigRational::zero() && left <= voter_budget);
            spent += &voter_budget - left;
        }
        // Voters paid exactly for what was bought: nobody paid beyond their share.
        let bought: BigRational = run.selected().iter().map(|&p| election.projects[p].cost.to_rational()).sum();
        prop_assert_eq!(spent, bought);
    }

    #[test]
    fn outcomes_do_not_depend_on_the_order_of_ballots_or_projects(
        (election, project_order, voter_order) in elections().prop_flat_map(|e| {
            let projects: Vec<usize> = (0..e.projects.len()).collect();
            let voters: Vec<usize> = (0..e.voters.len()).collect();
            (Just(e), Just(projects).prop_shuffle(), Just(voters).prop_shuffle())
        })
    ) {
        let other = shuffled(&election, &project_order, &voter_order);
        for rule in rules() {
            let (a, b) = (rule.compute(&election), rule.compute(&other));
            prop_assert_eq!(a.selected_ids(&election), b.selected_ids(&other), "{}", a.rule);
        }
    }

    #[test]
    fn add1_stops_for_the_reason_it_states(election in elections()) {
        let engine = pb::EqualShares::new(&election);
        for completion in [Completion::Add1, Completion::Add1UntilOverspend] {
            let options = MesOptions { completion, tie_break: TieBreak::ProjectId, completion_score: Score::Approvals };
            let outcome = pb::equal_shares(&election, &options);
            let Some(summary) = &outcome.equal_shares else { continue };
            let spent = outcome.total_cost;
            let supported: Vec<usize> = (0..election.projects.len())
                .filter(|&p| election.voters.iter().any(|v| v.ballot.contains(&(p as u32))))
                .collect();
            match summary.stop {
                Stop::Exhaustive => {
                    prop_assert_eq!(completion, Completion::Add1);
                    for &p in &supported {
                        prop_assert!(outcome.selected.contains(&p) || spent + election.projects[p].cost > election.budget);
                    }
                }
                Stop::NextOverspends => {
                    // One more unit per voter buys more than the budget.
                    let base = engine.base_voter_budget().unwrap();
                    let next = base + BigRational::from_integer((summary.increments + 1).into());
                    let run = engine.run(&next, TieBreak::ProjectId);
                    prop_assert!(election.total_cost(&run.selected()) > election.budget);
                }
                Stop::EverythingFits => {
                    prop_assert_eq!(completion, Completion::Add1UntilOverspend);
                    prop_assert!(election.total_cost(&supported) <= election.budget);
                }
                Stop::NoCompletion => prop_assert!(false, "add1 reported no completion"),
            }
        }
    }

    #[test]
    fn written_elections_read_back_equal(election in elections(), name in "[a-z;\" 가-힣,]{0,12}") {
        let mut election = election;
        election.project_columns.push("name".into());
        for project in &mut election.projects {
            project.extra.push(name.trim().to_string());
        }
        let text = pb::pabulib::to_string(&election);
        prop_assert_eq!(pb::pabulib::parse(text.as_bytes()).unwrap(), election);
    }

    #[test]
    fn the_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400), cut in 0usize..2000) {
        let _ = pb::pabulib::parse(&bytes);
        // Real-looking text cut anywhere, with one byte changed.
        let mut text = include_bytes!("fixtures/Netherlands_Assen_2024.pb").to_vec();
        text.truncate(cut.min(text.len()));
        if let Some(byte) = text.get_mut(cut / 2) {
            *byte = bytes.first().copied().unwrap_or(b';');
        }
        let _ = pb::pabulib::parse(&text);
    }
}
