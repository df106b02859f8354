//! The Method of Equal Shares with cost utilities (<https://equalshares.net>), in exact
//! rational arithmetic, and its completions.
//!
//! Every voter gets an equal share of the budget. A project can be bought if its
//! supporters together still have its cost; it is then paid by its supporters as
//! equally as possible: each pays `q` or, if they have less left, everything they
//! have, where `q` is the smallest cap that covers the cost. With cost utilities a
//! supporter's utility is the project's cost, so `ρ = q / cost` is the price per unit
//! of utility, and each round buys the project with the smallest ρ.
//!
//! Speed without rounding: a voter's money left depends only on which bought projects
//! they supported, so voters fall into a few *classes* of equal money left (a class is
//! one exact rational). Pricing a project counts its supporters per class instead of
//! handling them one by one, and only the projects whose last known ρ could still be
//! the best are re-priced each round (ρ only grows as money is spent).

use crate::decimal::{rational_to_string, Decimal};
use crate::election::Election;
use crate::greedy::{self, GreedyOptions};
use crate::outcome::{EqualSharesSummary, Explanation, Outcome, Reason, Score, Stop, TieBreak};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// How equal shares spends money it leaves unspent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Plain equal shares.
    None,
    /// Raise every voter's share by one unit (of the budget's currency) and recompute,
    /// until the outcome is exhaustive, or until the next raise would overspend, in
    /// which case the last outcome that fitted is kept (pabutools'
    /// `voter_budget_increment=1`).
    Add1,
    /// `Add1`, then greedy by score with the money still left.
    Add1ThenGreedy,
    /// Raise by one unit until the next raise would overspend, even past an exhaustive
    /// outcome (Wieliczka 2023; pabutools' `exhaustion_by_budget_increase` with a step
    /// of one unit per voter and `exhaustive_stop=False`).
    Add1UntilOverspend,
}

impl Completion {
    pub fn rule_name(self) -> &'static str {
        match self {
            Completion::None => "mes",
            Completion::Add1 => "mes-add1",
            Completion::Add1ThenGreedy => "mes-add1-greedy",
            Completion::Add1UntilOverspend => "mes-add1-overspend",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MesOptions {
    pub completion: Completion,
    pub tie_break: TieBreak,
    /// The score the greedy completion ranks by.
    pub completion_score: Score,
}

impl Default for MesOptions {
    fn default() -> Self {
        MesOptions { completion: Completion::Add1, tie_break: TieBreak::ProjectId, completion_score: Score::Points }
    }
}

/// One purchase in a run.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub project: usize,
    /// Supporters who paid everything they had left (less than `max_payment`, or exactly it).
    pub paying_everything: u64,
    // Kept unreduced: add1 discards most runs, and reducing long fractions is costly.
    rho: Fraction,
    max_payment: Fraction,
}

impl Purchase {
    /// Price per unit of utility.
    pub fn rho(&self) -> BigRational {
        BigRational::new(self.rho.numerator.clone(), self.rho.denominator.clone())
    }

    /// The most any supporter paid (`ρ × cost`).
    pub fn max_payment(&self) -> BigRational {
        BigRational::new(self.max_payment.numerator.clone(), self.max_payment.denominator.clone())
    }
}

/// One run of equal shares at a fixed share per voter.
#[derive(Debug, Clone)]
pub struct Run {
    pub voter_budget: BigRational,
    /// Supported projects that cost nothing: selected before any purchase.
    pub free: Vec<usize>,
    pub purchases: Vec<Purchase>,
    /// Each ballot group's class.
    class_of: Vec<u32>,
    class_money: Vec<BigInt>,
    scale: BigInt,
}

impl Run {
    pub fn selected(&self) -> Vec<usize> {
        self.free.iter().copied().chain(self.purchases.iter().map(|p| p.project)).collect()
    }

    /// How many classes of voters (equal money left) the run created.
    pub fn classes(&self) -> usize {
        self.class_money.len()
    }

    fn group_money(&self, group: usize) -> BigRational {
        BigRational::new(self.class_money[self.class_of[group] as usize].clone(), self.scale.clone())
    }
}

/// Equal shares prepared for one election: voters with identical ballots grouped
/// (they always have the same money left), supporters per project as groups, and
/// exact costs. Reusable across runs, which add1 needs.
pub struct EqualShares<'a> {
    election: &'a Election,
    /// Each voter's ballot group.
    group_of: Vec<u32>,
    /// Voters per group.
    weight: Vec<u32>,
    /// The projects each group's ballot names.
    group_ballots: Vec<&'a [u32]>,
    /// The groups supporting each project.
    supporters: Vec<Vec<u32>>,
    approvals: Vec<u64>,
    /// Decimal places that make the budget and every cost an integer.
    places: u32,
}

/// Per-class tallies reused between pricing calls, so pricing allocates little.
#[derive(Default)]
struct Histogram {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Histogram {
    fn fill(&mut self, supporters: &[u32], weight: &[u32], class_of: &[u32], classes: usize) {
        self.counts.resize(classes, 0);
        for &k in &self.touched {
            self.counts[k as usize] = 0;
        }
        self.touched.clear();
        for &g in supporters {
            let k = class_of[g as usize];
            if self.counts[k as usize] == 0 {
                self.touched.push(k);
            }
            self.counts[k as usize] += weight[g as usize];
        }
    }
}

/// An exact non-negative fraction compared by cross-multiplication, never reduced:
/// prices are compared far more often than they are shown.
#[derive(Debug, Clone)]
struct Fraction {
    numerator: BigInt,
    denominator: BigInt,
}

impl Fraction {
    fn cmp(&self, other: &Fraction) -> Ordering {
        (&self.numerator * &other.denominator).cmp(&(&other.numerator * &self.denominator))
    }

    /// The value as a float, accurate to about 1e-15 relative, however long the
    /// integers grow.
    fn approx(&self) -> f64 {
        // The top two 64-bit digits carry all of an f64's precision; the rest only
        // scale it. No allocation, however long the integers grow.
        let top = |n: &BigInt| {
            let digits = n.magnitude().iter_u64_digits();
            let count = digits.len() as i32;
            let mut top_two = digits.rev().take(2);
            let high = top_two.next().unwrap_or(0) as f64;
            let low = top_two.next().unwrap_or(0) as f64;
            ((high * 2f64.powi(64) + low), 64 * (count - 2).max(0) - if count >= 2 { 0 } else { 64 })
        };
        let ((n, n_shift), (d, d_shift)) = (top(&self.numerator), top(&self.denominator));
        n / d * 2f64.powi(n_shift - d_shift)
    }
}

/// The price of a project in the current round: each supporter pays at most
/// `numerator / (remaining × scale)`.
struct Cap {
    numerator: BigInt,
    remaining: u64,
}

impl<'a> EqualShares<'a> {
    /// Prepared with identical ballots grouped: it costs a hash per ballot once and
    /// saves work in every run (choose-1 elections collapse to one group per project).
    pub fn new(election: &'a Election) -> EqualShares<'a> {
        let mut group_by_ballot: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut group_ballots: Vec<&'a [u32]> = Vec::new();
        let mut group_of = Vec::with_capacity(election.voters.len());
        let mut key = Vec::new();
        for voter in &election.voters {
            key.clear();
            key.extend_from_slice(&voter.ballot);
            key.sort_unstable();
            let group = match group_by_ballot.get(key.as_slice()) {
                Some(&group) => group,
                None => {
                    let group = group_ballots.len() as u32;
                    group_by_ballot.insert(key.clone(), group);
                    group_ballots.push(&voter.ballot);
                    group
                }
            };
            group_of.push(group);
        }
        Self::with_groups(election, group_of, group_ballots)
    }

    fn with_groups(election: &'a Election, group_of: Vec<u32>, group_ballots: Vec<&'a [u32]>) -> EqualShares<'a> {
        let mut weight = vec![0u32; group_ballots.len()];
        for &g in &group_of {
            weight[g as usize] += 1;
        }
        let mut supporters = vec![Vec::new(); election.projects.len()];
        let mut approvals = vec![0u64; election.projects.len()];
        for (g, ballot) in group_ballots.iter().enumerate() {
            for &p in *ballot {
                supporters[p as usize].push(g as u32);
                approvals[p as usize] += u64::from(weight[g]);
            }
        }
        let places =
            election.projects.iter().map(|p| p.cost.scale()).chain([election.budget.scale()]).max().unwrap_or(0);
        EqualShares { election, group_of, weight, group_ballots, supporters, approvals, places }
    }

    /// Projects equal shares can buy: named on some ballot and not free.
    fn candidates(&self) -> Vec<usize> {
        (0..self.supporters.len())
            .filter(|&p| !self.supporters[p].is_empty() && !self.election.projects[p].cost.is_zero())
            .collect()
    }

    /// The share of each voter without completion: budget ÷ number of ballots.
    pub fn base_voter_budget(&self) -> Option<BigRational> {
        let n = self.election.voters.len();
        (n > 0).then(|| self.election.budget.to_rational() / BigInt::from(n))
    }

    /// Runs equal shares with `voter_budget` for every voter.
    pub fn run(&self, voter_budget: &BigRational, tie_break: TieBreak) -> Run {
        let mut state = RunState::new(self, voter_budget);
        let mut active = self.candidates();
        // ρ never falls as money is spent, so a project's last price is a lower bound;
        // 1 / supporters is the price when everyone has enough.
        let mut lower_bound: Vec<Fraction> = self
            .approvals
            .iter()
            .map(|&a| Fraction { numerator: BigInt::one(), denominator: BigInt::from(a.max(1)) })
            .collect();
        // Sorting by exact fractions would dominate the run; their floating-point
        // approximations order the work, and only clear gaps (far beyond rounding
        // error) end a round early.
        let mut lower_approx: Vec<f64> = lower_bound.iter().map(Fraction::approx).collect();
        // A price stays exact until one of the project's supporters pays for something.
        let mut exact = vec![false; self.supporters.len()];
        let mut purchases = Vec::new();
        loop {
            active.sort_unstable_by(|&a, &b| lower_approx[a].total_cmp(&lower_approx[b]));
            let mut best: Option<(Fraction, f64)> = None;
            let mut tied: Vec<(usize, Option<Cap>)> = Vec::new();
            let mut still_active = Vec::with_capacity(active.len());
            for (i, &p) in active.iter().enumerate() {
                if let Some((best, best_approx)) = &best {
                    if lower_approx[p] > best_approx * (1.0 + 1e-9) {
                        still_active.extend_from_slice(&active[i..]);
                        break;
                    }
                    if lower_bound[p].cmp(best) == Ordering::Greater {
                        still_active.push(p);
                        continue;
                    }
                }
                let cap = if exact[p] {
                    None
                } else {
                    let Some(cap) = state.price(self, p) else { continue };
                    lower_bound[p] = Fraction {
                        numerator: cap.numerator.clone(),
                        denominator: &state.cost[p] * BigInt::from(cap.remaining),
                    };
                    lower_approx[p] = lower_bound[p].approx();
                    exact[p] = true;
                    Some(cap)
                };
                still_active.push(p);
                let rho = &lower_bound[p];
                match best.as_ref().map(|(b, _)| rho.cmp(b)) {
                    None | Some(Ordering::Less) => {
                        best = Some((rho.clone(), lower_approx[p]));
                        tied = vec![(p, cap)];
                    }
                    Some(Ordering::Equal) => tied.push((p, cap)),
                    Some(Ordering::Greater) => {}
                }
            }
            active = still_active;
            let Some((rho, _)) = best else { break };
            let (project, cap) = tied
                .into_iter()
                .min_by(|a, b| tie_break.compare(self.election, &self.approvals, a.0, b.0))
                .expect("a best project exists");
            let cap = cap.unwrap_or_else(|| state.price(self, project).expect("an exact price is affordable"));
            active.retain(|&p| p != project);
            let max_payment =
                Fraction { numerator: cap.numerator.clone(), denominator: &state.scale * BigInt::from(cap.remaining) };
            let paying_everything = state.pay(self, project, cap);
            for &g in &self.supporters[project] {
                for &other in self.group_ballots[g as usize] {
                    exact[other as usize] = false;
                }
            }
            purchases.push(Purchase { project, rho, max_payment, paying_everything });
        }
        let free = (0..self.supporters.len())
            .filter(|&p| !self.supporters[p].is_empty() && self.election.projects[p].cost.is_zero())
            .collect();
        Run {
            voter_budget: voter_budget.clone(),
            free,
            purchases,
            class_of: state.class_of,
            class_money: state.money,
            scale: state.scale,
        }
    }

    /// What voter `voter` has left at the end of `run`.
    pub fn money_left(&self, run: &Run, voter: usize) -> BigRational {
        run.group_money(self.group_of[voter] as usize)
    }

    /// Total money a project's supporters have left at the end of `run`.
    pub fn supporters_money(&self, run: &Run, project: usize) -> BigRational {
        let mut histogram = Histogram::default();
        histogram.fill(&self.supporters[project], &self.weight, &run.class_of, run.class_money.len());
        let total: BigInt = histogram
            .touched
            .iter()
            .map(|&k| &run.class_money[k as usize] * BigInt::from(histogram.counts[k as usize]))
            .sum();
        BigRational::new(total, run.scale.clone())
    }

    fn total_cost(&self, projects: &[usize]) -> Decimal {
        self.election.total_cost(projects)
    }

    /// No candidate left out of `selected` fits in what is left of the budget.
    fn is_exhaustive(&self, selected: &[usize]) -> bool {
        let spent = self.total_cost(selected);
        self.candidates()
            .into_iter()
            .filter(|p| !selected.contains(p))
            .all(|p| spent + self.election.projects[p].cost > self.election.budget)
    }
}

/// A run in progress. All money is kept as integers over one common denominator
/// (`scale`): sums and comparisons then need no fraction arithmetic, and a payment
/// that does not divide evenly multiplies the scale by the number of payers.
struct RunState {
    scale: BigInt,
    /// Each project's cost × scale.
    cost: Vec<BigInt>,
    class_of: Vec<u32>,
    /// Each class's money left × scale.
    money: Vec<BigInt>,
    population: Vec<u32>,
    /// Live classes (with voters), poorest first, and each class's position there.
    order: Vec<u32>,
    rank: Vec<u32>,
    zero_class: Option<u32>,
    histogram: Histogram,
    /// Scratch for `pay`: old class → new class.
    remap: Vec<u32>,
}

impl RunState {
    fn new(engine: &EqualShares, voter_budget: &BigRational) -> RunState {
        let to_integer = BigInt::from(10).pow(engine.places);
        let scale = voter_budget.denom() * &to_integer;
        let cost =
            engine.election.projects.iter().map(|p| p.cost.units_at(engine.places) * voter_budget.denom()).collect();
        RunState {
            scale,
            cost,
            class_of: vec![0; engine.weight.len()],
            money: vec![voter_budget.numer() * &to_integer],
            population: vec![engine.election.voters.len() as u32],
            order: vec![0],
            rank: vec![0],
            zero_class: None,
            histogram: Histogram::default(),
            remap: Vec::new(),
        }
    }

    /// Fills the histogram with `project`'s supporters per class, poorest class first.
    fn tally(&mut self, engine: &EqualShares, project: usize) {
        self.histogram.fill(&engine.supporters[project], &engine.weight, &self.class_of, self.money.len());
        let rank = &self.rank;
        self.histogram.touched.sort_unstable_by_key(|&k| rank[k as usize]);
    }

    /// The smallest per-supporter cap `q` with Σ min(money, q) = cost, or `None` if the
    /// supporters together have less than the cost.
    fn price(&mut self, engine: &EqualShares, project: usize) -> Option<Cap> {
        self.tally(engine, project);
        let mut unpaid = self.cost[project].clone();
        let mut remaining = engine.approvals[project];
        for &k in &self.histogram.touched {
            let money = &self.money[k as usize];
            // q = unpaid / remaining; this class pays q in full iff q ≤ money.
            if unpaid <= money * BigInt::from(remaining) {
                return Some(Cap { numerator: unpaid, remaining });
            }
            let count = self.histogram.counts[k as usize];
            unpaid -= money * BigInt::from(count);
            remaining -= u64::from(count);
        }
        None
    }

    /// Charges `project`'s supporters (each `min(money, cap)`) and moves them to the
    /// class of their new amount. Returns how many paid everything they had.
    fn pay(&mut self, engine: &EqualShares, project: usize, cap: Cap) -> u64 {
        let divisor = BigInt::from(cap.remaining);
        let (quotient, remainder) = num_integer::Integer::div_rem(&cap.numerator, &divisor);
        let q = if remainder.is_zero() {
            quotient
        } else {
            self.rescale(&divisor);
            cap.numerator
        };
        self.tally(engine, project);
        let touched = std::mem::take(&mut self.histogram.touched);
        let zero_was_live = self.zero_class.is_some_and(|k| self.population[k as usize] > 0);
        let mut paying_everything = 0;
        let mut created = Vec::new();
        let mut new_class = std::mem::take(&mut self.remap);
        new_class.resize(self.money.len(), u32::MAX);
        for &k in &touched {
            let count = self.histogram.counts[k as usize];
            let money = &self.money[k as usize];
            let target = if *money <= q {
                if !money.is_zero() {
                    paying_everything += u64::from(count);
                }
                self.zero_class()
            } else {
                let left = money - &q;
                self.money.push(left);
                self.population.push(0);
                created.push((self.money.len() - 1) as u32);
                (self.money.len() - 1) as u32
            };
            self.population[k as usize] -= count;
            self.population[target as usize] += count;
            new_class[k as usize] = target;
        }
        for &g in &engine.supporters[project] {
            let class = &mut self.class_of[g as usize];
            *class = new_class[*class as usize];
        }
        for &k in &touched {
            new_class[k as usize] = u32::MAX;
        }
        self.remap = new_class;
        self.histogram.touched = touched;
        if let Some(zero) = self.zero_class.filter(|&k| !zero_was_live && self.population[k as usize] > 0) {
            created.insert(0, zero);
        }
        self.rerank(created);
        paying_everything
    }

    fn zero_class(&mut self) -> u32 {
        *self.zero_class.get_or_insert_with(|| {
            self.money.push(BigInt::zero());
            self.population.push(0);
            (self.money.len() - 1) as u32
        })
    }

    /// Multiplies the common denominator (and so every amount) by `factor`.
    fn rescale(&mut self, factor: &BigInt) {
        self.scale *= factor;
        for cost in &mut self.cost {
            *cost *= factor;
        }
        for (money, &population) in self.money.iter_mut().zip(&self.population) {
            if population > 0 {
                *money *= factor;
            }
        }
    }

    /// Updates the poorest-first order: the surviving classes keep their order, the
    /// `created` ones (already poorest-first: the same payment came off each, and
    /// nothing is below zero) are merged in.
    fn rerank(&mut self, created: Vec<u32>) {
        let population = &self.population;
        let money = &self.money;
        let surviving: Vec<u32> = self.order.iter().copied().filter(|&k| population[k as usize] > 0).collect();
        // Few classes are created per purchase; find each one's place by binary search
        // (comparing long integers is the costly part) and copy the rest in bulk.
        let mut merged = Vec::with_capacity(surviving.len() + created.len());
        let mut from = 0;
        for c in created {
            let at = from + surviving[from..].partition_point(|&k| money[k as usize] <= money[c as usize]);
            merged.extend_from_slice(&surviving[from..at]);
            merged.push(c);
            from = at;
        }
        merged.extend_from_slice(&surviving[from..]);
        self.rank.resize(self.money.len(), u32::MAX);
        for (position, &k) in merged.iter().enumerate() {
            self.rank[k as usize] = position as u32;
        }
        self.order = merged;
    }
}

/// Equal shares with the chosen completion.
pub fn equal_shares(election: &Election, options: &MesOptions) -> Outcome {
    let engine = EqualShares::new(election);
    let Some(base) = engine.base_voter_budget() else {
        return no_voters(election, options);
    };
    let (run, increments, stop) = match options.completion {
        Completion::None => (engine.run(&base, options.tie_break), 0, Stop::NoCompletion),
        Completion::Add1 | Completion::Add1ThenGreedy => add1(&engine, &base, options.tie_break, true),
        Completion::Add1UntilOverspend => add1(&engine, &base, options.tie_break, false),
    };
    let mut selected = run.selected();
    let mut explanations = explain(&engine, &run);
    if options.completion == Completion::Add1ThenGreedy {
        let completion =
            GreedyOptions { score: options.completion_score, tie_break: options.tie_break, ..Default::default() };
        let (added, reasons) = greedy::complete(election, &selected, &completion);
        for (explanation, reason) in explanations.iter_mut().zip(reasons) {
            if let Some(reason) = reason {
                explanation.selected |= matches!(reason, Reason::CompletedByGreedy { .. });
                explanation.reasons.push(reason);
            }
        }
        selected.extend(added);
    }
    Outcome {
        rule: options.completion.rule_name().into(),
        total_cost: election.total_cost(&selected),
        selected,
        explanations,
        equal_shares: Some(EqualSharesSummary {
            voter_budget: rational_to_string(&run.voter_budget, 6),
            increments,
            stop,
        }),
    }
}

/// add1: raise every voter's share by one unit until the outcome is exhaustive (if
/// `stop_when_exhaustive`) or the next raise overspends.
fn add1(engine: &EqualShares, base: &BigRational, tie_break: TieBreak, stop_when_exhaustive: bool) -> (Run, u64, Stop) {
    let budget = engine.election.budget;
    if !stop_when_exhaustive {
        let candidates = engine.candidates();
        if engine.total_cost(&candidates) <= budget {
            // Raising can never overspend; pabutools raises up to its bound of
            // budget × (voters + 1) in total, i.e. `floor(budget)` units per voter.
            let units = budget.to_rational().floor().to_integer();
            let voter_budget = base + BigRational::from_integer(units.clone());
            let increments = u64::try_from(units).unwrap_or(u64::MAX);
            return (engine.run(&voter_budget, tie_break), increments, Stop::EverythingFits);
        }
    }
    let mut voter_budget = base.clone();
    let mut increments = 0;
    let mut previous: Option<Run> = None;
    loop {
        let run = engine.run(&voter_budget, tie_break);
        let selected = run.selected();
        if engine.total_cost(&selected) > budget {
            let previous = previous.expect("a share of budget ÷ voters never overspends");
            return (previous, increments - 1, Stop::NextOverspends);
        }
        if stop_when_exhaustive && engine.is_exhaustive(&selected) {
            return (run, increments, Stop::Exhaustive);
        }
        previous = Some(run);
        voter_budget += BigRational::one();
        increments += 1;
    }
}

fn explain(engine: &EqualShares, run: &Run) -> Vec<Explanation> {
    let election = engine.election;
    let mut reasons: Vec<Option<Reason>> = vec![None; election.projects.len()];
    for &p in &run.free {
        reasons[p] = Some(Reason::Free);
    }
    for (step, purchase) in run.purchases.iter().enumerate() {
        reasons[purchase.project] = Some(Reason::Bought {
            step: step + 1,
            rho: rational_to_string(&purchase.rho(), 9),
            max_payment: rational_to_string(&purchase.max_payment(), 2),
            supporters: engine.approvals[purchase.project],
            paying_everything: purchase.paying_everything,
        });
    }
    election
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| {
            let selected = reasons[p].is_some();
            let reason = reasons[p].take().unwrap_or_else(|| {
                if engine.supporters[p].is_empty() {
                    return Reason::NoSupporters;
                }
                let money = engine.supporters_money(run, p);
                let shortfall = election.projects[p].cost.to_rational() - &money;
                Reason::Unaffordable {
                    supporters: engine.approvals[p],
                    money_left: rational_to_string(&money, 2),
                    shortfall: rational_to_string(&shortfall, 2),
                }
            });
            Explanation { project: project.id.clone(), selected, reasons: vec![reason] }
        })
        .collect()
}

fn no_voters(election: &Election, options: &MesOptions) -> Outcome {
    let explanations = election
        .projects
        .iter()
        .map(|p| Explanation { project: p.id.clone(), selected: false, reasons: vec![Reason::NoSupporters] })
        .collect();
    Outcome {
        rule: options.completion.rule_name().into(),
        selected: Vec::new(),
        total_cost: Decimal::ZERO,
        explanations,
        equal_shares: None,
    }
}
