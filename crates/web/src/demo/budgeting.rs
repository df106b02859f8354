//! The demo city's participatory budgeting (주민참여예산): a roster of residents (kept
//! as keyed hashes under the demo's verification key), the finished 2026 process —
//! ideas reviewed, a committee's scores, web and paper ballots, results published
//! (resident votes 70% + committee 30%) and the funded projects under way as
//! commitments of a plan — and the 2027 process in its voting phase, with a
//! city-wide pot and one per 동, and voting codes printed by `sotong demo`.

use crate::security::{hmac_sha256_hex, sha256_hex};
use sotong_core::budgeting::ballot::{Ballot, BallotKind, BallotRules, CheckedBallot};
use sotong_core::budgeting::score::ScoreFormula;
use sotong_core::budgeting::{FeasibilityReview, NewPot, NewProcess, NewProject, OutcomeRule, Phase, ProjectInput, ProjectState};
use sotong_core::org::Slug;
use sotong_core::verification::{voting_code, Basis, Eligibility, PersonDetails};
use sotong_store::budgeting::projects::{Project, Submitter};
use sotong_store::budgeting::{PhaseNote, Process, ProcessSetup};
use sotong_store::verification::{IssuedCode, RosterEntry};
use sotong_store::{now, Actor, Store, StoreError};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The city's 동 (neighbourhoods), each with its own pot in 2027.
pub const DISTRICTS: [&str; 4] = ["중앙동", "새빛동", "한울동", "푸른동"];
/// People on the demo roster.
const ROSTER: usize = 1_200;
/// Voting codes printed for the demo, five per 동.
pub const CODES: usize = 20;

/// A printed voting code and the 동 it was issued for.
pub struct DemoCode {
    pub code: String,
    pub district: &'static str,
}

/// The demo's voting codes: the same in every demo (made from a fixed text, not from
/// randomness), so the browser tests can use them; a real city issues random ones.
pub fn voting_codes() -> Vec<DemoCode> {
    (0..CODES)
        .map(|n| {
            let digest = sha256_hex(&format!("hanbit-demo-voting-code-{n}"));
            let bytes: Vec<u8> = (0..12).map(|i| u8::from_str_radix(&digest[i * 2..i * 2 + 2], 16).unwrap_or(0)).collect();
            let random: [u8; 12] = bytes.try_into().unwrap_or([0; 12]);
            DemoCode { code: voting_code(&random), district: DISTRICTS[n % DISTRICTS.len()] }
        })
        .collect()
}

/// A small deterministic generator: the demo's ballots are the same on every start.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One person of the roster: their details (as the city holds them) and 동.
struct Person {
    details: PersonDetails,
    basis: Basis,
    district: &'static str,
}

fn person(i: usize) -> Person {
    const SURNAMES: [&str; 12] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오"];
    const GIVEN: [&str; 20] = [
        "민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지민", "현우", "채원", "영수", "순자", "정호", "미경",
        "성민", "은지", "태희", "경숙", "재훈", "유진",
    ];
    let name = format!("{}{}", SURNAMES[i % 12], GIVEN[(i / 12) % 20]);
    let year = 1945 + (i * 7) % 67;
    let born = format!("{year}-{:02}-{:02}", 1 + i % 12, 1 + (i * 3) % 28);
    let phone = format!("010-{:04}-{:04}", 2000 + i % 8000, (i * 37) % 10_000);
    let details = PersonDetails::parse(&name, &born, &phone).expect("valid demo resident");
    let basis = match i % 20 {
        0 => Basis::Worker,
        1 => Basis::Student,
        _ => Basis::Resident,
    };
    Person { details, basis, district: DISTRICTS[i % DISTRICTS.len()] }
}

fn demo_actor() -> Actor {
    Actor { label: "demo".into(), ..Actor::cli() }
}

/// Fills the demo's budgeting; `key` is the verification key the server will use.
pub async fn populate(store: &Store, key: &[u8]) -> Result<Vec<DemoCode>, StoreError> {
    let demo = demo_actor();
    let city = store.public_body("hanbit").await?.ok_or(StoreError::NotFound)?;
    let people: Vec<Person> = (0..ROSTER).map(person).collect();
    let keys: Vec<String> = people.iter().map(|p| hmac_sha256_hex(key, p.details.keyed_message().as_bytes())).collect();
    let entries: Vec<RosterEntry> = people
        .iter()
        .zip(&keys)
        .map(|(p, k)| RosterEntry { person_key: k.clone(), basis: p.basis, district: Some(p.district.to_string()) })
        .collect();
    store.import_roster(&demo, city.id, "2026년 11월 주민참여예산 투표 명부", &entries).await?;
    let codes = voting_codes();
    let issued: Vec<IssuedCode> = codes
        .iter()
        .map(|c| IssuedCode {
            code: c.code.clone(),
            digest: sha256_hex(&c.code),
            person_key: None,
            basis: Basis::Resident,
            district: Some(c.district.to_string()),
        })
        .collect();
    store.issue_codes(&demo, city.id, "2027 우편 발송분", &issued).await?;
    finished_2026(store, city.id, &people, &keys).await?;
    voting_2027(store, city.id, &people, &keys).await?;
    Ok(codes)
}

async fn unit(store: &Store, body_id: i64, slug: &str) -> Result<i64, StoreError> {
    store.unit(body_id, slug).await?.map(|u| u.id).ok_or(StoreError::NotFound)
}

/// (title, description, cost, category index, department slug, location)
type Idea = (Cow<'static, str>, &'static str, i64, Option<usize>, &'static str, &'static str);

const IDEAS_2026_CITY: &[Idea] = &[
    (Cow::Borrowed("한빛천 산책로 야간 조명 설치"), "한빛천 산책로는 해가 지면 어두워 저녁 운동을 하는 주민들이 불안해합니다. 3.2km 구간에 보행등을 설치해 주세요.", 480_000_000, Some(0), "safety", "한빛천 산책로"),
    (Cow::Borrowed("어린이 보호구역 옐로카펫 확대"), "초등학교 12곳 앞 횡단보도에 옐로카펫과 노란 발자국을 설치해 아이들이 안전하게 기다리게 해 주세요.", 120_000_000, Some(0), "transport", "시내 초등학교 12곳"),
    (Cow::Borrowed("공원 그늘막과 쿨링포그 설치"), "여름 한낮에 근린공원 놀이터를 쓸 수 없습니다. 그늘막과 쿨링포그를 설치해 주세요.", 350_000_000, Some(0), "environment", "근린공원 8곳"),
    (Cow::Borrowed("경로당 공기청정기 보급"), "미세먼지가 심한 날 어르신들이 경로당에서 편히 쉬실 수 있도록 공기청정기를 보급해 주세요.", 90_000_000, Some(1), "social-welfare", "시내 경로당 60곳"),
    (Cow::Borrowed("작은도서관 주말 운영 지원"), "동네 작은도서관이 주말에 문을 닫아 아이들이 갈 곳이 없습니다. 주말 운영 인력을 지원해 주세요.", 160_000_000, Some(1), "lifelong-learning", "작은도서관 15곳"),
    (Cow::Borrowed("전통시장 공영 자전거 보관대"), "전통시장에 자전거 보관대가 없어 인도가 막힙니다. 보관대를 설치해 주세요.", 60_000_000, Some(1), "jobs-economy", "한빛중앙시장"),
    (Cow::Borrowed("반려견 놀이터 조성"), "반려견과 함께 쉴 수 있는 놀이터를 한빛체육공원에 만들어 주세요.", 420_000_000, Some(1), "environment", "한빛체육공원"),
];

const IDEAS_2026_CENTRAL: &[Idea] = &[
    (Cow::Borrowed("중앙동 골목길 보안등 교체"), "중앙동 주택가 골목의 낡은 보안등을 LED로 바꿔 밤길을 밝혀 주세요.", 70_000_000, Some(0), "safety", "중앙동 주택가"),
    (Cow::Borrowed("중앙동 주민쉼터 벤치 설치"), "버스 정류장과 골목 곳곳에 어르신들이 쉬어 갈 벤치를 놓아 주세요.", 30_000_000, Some(1), "urban-planning", "중앙동 일대"),
    (Cow::Borrowed("중앙동 마을 벽화 거리"), "낡은 담장에 주민과 함께 벽화를 그려 걷고 싶은 골목을 만들어 주세요.", 80_000_000, Some(1), "culture-tourism", "중앙동 3길"),
    (Cow::Borrowed("중앙동 지하주차장 신축"), "주차난이 심해 공영 지하주차장을 지어 주세요.", 4_500_000_000, None, "transport", "중앙동 공영주차장 부지"),
];

/// Each phase's dates (from, to) and the rules citizens read.
fn notes(dates: [(String, String); 6]) -> Vec<(Phase, String, String, &'static str)> {
    const RULES: [&str; 6] = [
        "한빛시에 살거나 일하거나 공부하는 사람은 누구나 사업을 제안할 수 있습니다. 사업비는 1건에 최대 5억 원입니다.",
        "담당 부서가 법령·예산·부지 여건을 검토해 실현 가능, 조건부 가능, 실현 불가로 판단하고 이유를 공개합니다.",
        "주민참여예산위원회가 검토를 마친 사업 가운데 주민 투표에 올릴 사업을 정합니다.",
        "만 14세 이상 주민은 온라인이나 행정복지센터 현장 투표소에서 한 번 투표할 수 있습니다. 시 전체 예산에서 최대 3개, 동 예산에서는 동 예산 안에서 고릅니다.",
        "투표 결과를 발표합니다. 사업마다 선정되거나 선정되지 않은 이유를 함께 공개합니다.",
        "선정 사업은 시의회 예산 심의를 거쳐 집행하며, 추진 상황을 분기마다 공개합니다.",
    ];
    Phase::ALL.iter().zip(dates).zip(RULES).map(|((phase, (from, to)), rules)| (*phase, from, to, rules)).collect()
}

fn dates(list: [(&str, &str); 6]) -> [(String, String); 6] {
    list.map(|(from, to)| (from.to_string(), to.to_string()))
}

async fn set_notes(store: &Store, process: &Process, dates: [(String, String); 6]) -> Result<(), StoreError> {
    for (phase, starts, ends, rules) in notes(dates) {
        let note = PhaseNote { process_id: process.id, phase, starts_on: Some(starts), ends_on: Some(ends), rules: rules.into() };
        store.set_phase_note(&demo_actor(), process, &note).await?;
    }
    Ok(())
}

async fn submit(
    store: &Store,
    process: &Process,
    pot: i64,
    categories: &[i64],
    ideas: &[Idea],
    proposer: Option<i64>,
) -> Result<Vec<(Project, &'static str)>, StoreError> {
    let mut out = Vec::new();
    for (n, (title, description, cost, category, department, location)) in ideas.iter().enumerate() {
        let input = ProjectInput {
            title: title.as_ref(),
            description,
            pot_id: Some(pot),
            category_id: category.map(|c| categories[c]),
            cost: Some(*cost),
            location,
            show_proposer: n % 2 == 0,
        };
        let new = NewProject::parse(&input).map_err(|e| StoreError::Invalid(e[0].clone()))?;
        let who = match proposer {
            Some(user) if n % 3 == 0 => Submitter::Citizen(user),
            _ => Submitter::Staff,
        };
        out.push((store.submit_project(&demo_actor(), process, who, &new).await?, *department));
    }
    Ok(out)
}

/// Feasibility by each project's department, then the committee's selection: what is
/// not feasible stays off the ballot.
async fn review_and_select(
    store: &Store,
    body_id: i64,
    process: Process,
    projects: Vec<(Project, &'static str)>,
) -> Result<(Process, Vec<Project>), StoreError> {
    let demo = demo_actor();
    let process = store.advance_phase(&demo, &process, Phase::Feasibility).await?;
    let mut reviewed = Vec::new();
    for (project, department) in projects {
        let review = if project.cost > 1_000_000_000 {
            FeasibilityReview::parse("infeasible", "사업비가 주민참여예산 한도(1건 5억 원)를 넘고, 부지가 도시계획시설로 결정되어 있지 않아 올해 추진할 수 없습니다.", None)
        } else if project.title.contains("반려견") {
            FeasibilityReview::parse("conditional", "체육공원 안 부지는 가능하나 소음 민원을 줄이도록 주거지에서 100m 이상 떨어진 곳에 조성하는 조건입니다.", Some(380_000_000))
        } else {
            FeasibilityReview::parse("feasible", "", None)
        }
        .map_err(|e| StoreError::Invalid(e[0].clone()))?;
        let department = unit(store, body_id, department).await?;
        reviewed.push(store.review_project(&demo, &process, &project, Some(department), &review).await?);
    }
    let process = store.advance_phase(&demo, &process, Phase::Committee).await?;
    let mut selected = Vec::new();
    for project in reviewed {
        let on_ballot = project.feasibility() != Some(sotong_core::budgeting::Feasibility::Infeasible);
        selected.push(store.select_project(&demo, &process, &project, on_ballot).await?);
    }
    Ok((process, selected))
}

/// A voter's picks: each project of a pot by its popularity (`weights`, in percent),
/// dropped again while the pot's rules are broken (too many, over budget, quota).
fn picks(
    dice: &mut Dice,
    setup: &ProcessSetup,
    projects: &[Project],
    district: &str,
    weights: &BTreeMap<i64, u64>,
) -> Option<CheckedBallot> {
    let mut ballot = Ballot::default();
    for pot in setup.pots.iter().filter(|p| p.open_to(Some(district))) {
        let mut chosen: BTreeMap<i64, i64> = projects
            .iter()
            .filter(|p| p.pot_id == pot.id && p.state == ProjectState::OnBallot)
            .filter(|p| dice.below(100) < weights.get(&p.id).copied().unwrap_or(30))
            .map(|p| (p.id, 1))
            .collect();
        let fits = |chosen: &BTreeMap<i64, i64>| {
            let cost: i64 = chosen.keys().filter_map(|id| projects.iter().find(|p| p.id == *id)).map(|p| p.ballot_cost()).sum();
            let over = pot.ballot_kind == BallotKind::Knapsack && cost > pot.budget;
            !over && pot.max_picks.is_none_or(|max| chosen.len() as i64 <= max)
        };
        while !fits(&chosen) {
            let drop = *chosen.keys().nth(dice.below(chosen.len() as u64) as usize).expect("something to drop");
            chosen.remove(&drop);
        }
        if !chosen.is_empty() {
            ballot.pots.insert(pot.id, chosen);
        }
    }
    for _ in 0..4 {
        if let Ok(ok) = setup.ballot_sheet(projects).check(Some(district), ballot.clone()) {
            return Some(ok);
        }
        // A category quota broken: drop one pick of the city-wide pot and try again.
        let city_pot = setup.pots.iter().find(|p| p.district.is_none())?.id;
        let picks = ballot.pots.get_mut(&city_pot)?;
        let first = *picks.keys().next()?;
        picks.remove(&first);
    }
    None
}

fn weights(projects: &[Project], popular: &[u64]) -> BTreeMap<i64, u64> {
    projects.iter().zip(popular.iter().cycle()).map(|(p, w)| (p.id, *w)).collect()
}

async fn finished_2026(store: &Store, body_id: i64, people: &[Person], keys: &[String]) -> Result<(), StoreError> {
    let demo = demo_actor();
    let new = NewProcess {
        slug: Slug::parse("2026").expect("slug"),
        title: "2026년 주민참여예산".into(),
        description: "2026년 한빛시 주민참여예산은 시 전체 사업 15억 원과 중앙동 사업 2억 원을 주민이 직접 정했습니다.\n\n최종 점수는 주민 투표 70%와 주민참여예산위원회 심사 30%를 합산했습니다(지방재정법 제39조, 한빛시 주민참여예산제 운영 조례).".into(),
        rule: OutcomeRule::GreedyCombined,
        formula: ScoreFormula { resident_percent: 70, committee_percent: 30, ..ScoreFormula::default() },
        eligibility: Eligibility::default(),
        committee_max_score: 100,
        voting_opens_at: None,
        voting_closes_at: None,
    };
    let process = store.create_process(&demo, body_id, &new).await?;
    let schedule = dates([
        ("2025-06-02", "2025-07-15"),
        ("2025-07-16", "2025-08-31"),
        ("2025-09-01", "2025-10-17"),
        ("2025-10-20", "2025-11-07"),
        ("2025-11-20", "2025-11-20"),
        ("2026-01-01", "2026-12-31"),
    ]);
    set_notes(store, &process, schedule).await?;
    let city_pot = NewPot { name: "시 전체".into(), district: None, budget: 1_500_000_000, rules: BallotRules::approval(3) };
    let city_pot = store.add_pot(&demo, &process, &city_pot).await?;
    let central = NewPot {
        name: "중앙동".into(),
        district: Some("중앙동".into()),
        budget: 200_000_000,
        rules: BallotRules { kind: BallotKind::Knapsack, max_picks: None, ..BallotRules::approval(1) },
    };
    let central = store.add_pot(&demo, &process, &central).await?;
    let safety = store.add_category(&demo, &process, "안전·환경", Some(2)).await?;
    let welfare = store.add_category(&demo, &process, "복지·문화", None).await?;
    let categories = [safety.id, welfare.id];
    let citizen = store.user_by_email("citizen@hanbit.example").await?.map(|u| u.id);
    let mut ideas = submit(store, &process, city_pot.id, &categories, IDEAS_2026_CITY, citizen).await?;
    ideas.extend(submit(store, &process, central.id, &categories, IDEAS_2026_CENTRAL, citizen).await?);
    let (process, projects) = review_and_select(store, body_id, process, ideas).await?;

    // Five committee members score every project on the ballot.
    let hash = crate::passwords::hash_password(super::DEMO_PASSWORD)
        .map_err(|_| StoreError::Invalid(sotong_core::FieldError::new("password", "hash")))?;
    let mut members = Vec::new();
    for (n, name) in ["권위원", "남위원", "도위원", "류위원", "마위원"].into_iter().enumerate() {
        let email = sotong_core::user::Email::parse(&format!("committee{}@hanbit.example", n + 1)).expect("e-mail");
        let member = store.create_user(&demo, &email, name, &hash, false).await?;
        store.set_committee_member(&demo, &process, member.id, true).await?;
        members.push(member.id);
    }
    for (p, project) in projects.iter().filter(|p| p.state == ProjectState::OnBallot).enumerate() {
        for (m, member) in members.iter().enumerate() {
            let points = 55 + ((p * 17 + m * 11) % 45) as i64;
            store.score_project(&demo, &process, project.id, *member, points).await?;
        }
    }
    let process = store.advance_phase(&demo, &process, Phase::Voting).await?;
    let setup = store.process_setup(process.clone()).await?;
    let popularity = weights(&projects, &[70, 55, 45, 60, 35, 25, 40, 65, 50, 45, 0]);
    let mut dice = Dice(2026);
    for (person, key) in people.iter().zip(keys).take(560) {
        if let Some(ballot) = picks(&mut dice, &setup, &projects, person.district, &popularity) {
            store.cast_ballot(&demo, &process, key, &ballot).await?;
        }
    }
    // Two polling stations; each sheet keyed in by two officers.
    let officers = [
        store.user_by_email("officer@hanbit.example").await?.ok_or(StoreError::NotFound)?.id,
        store.user_by_email("coordinator@hanbit.example").await?.ok_or(StoreError::NotFound)?.id,
    ];
    for (s, (name, place)) in
        [("중앙동 행정복지센터", "한빛시 중앙로 10"), ("새빛동 행정복지센터", "한빛시 새빛로 25")].into_iter().enumerate()
    {
        let station = store.add_station(&demo, &process, name, place).await?;
        let walk_ins = people.iter().zip(keys).skip(600 + s * 40).take(40);
        for (sheet, (person, key)) in walk_ins.enumerate() {
            store.check_in(&demo, &process, station.id, key).await?;
            if let Some(ballot) = picks(&mut dice, &setup, &projects, person.district, &popularity) {
                for officer in officers {
                    store.enter_paper_ballot(&demo, &process, &station, &(sheet + 1).to_string(), officer, &ballot).await?;
                }
            }
        }
    }
    let process = store.advance_phase(&demo, &process, Phase::Results).await?;
    store.publish_results(&demo, &process).await?;
    let process = store.advance_phase(&demo, &process, Phase::Implementation).await?;
    implement(store, body_id, &process).await
}

/// The funded projects of 2026 as the commitments of a plan of their own, reported on
/// every quarter like the mayor's pledges.
async fn implement(store: &Store, body_id: i64, process: &Process) -> Result<(), StoreError> {
    use sotong_store::commitments::plans::NewPlan;
    let demo = demo_actor();
    let new = NewPlan::parse(
        "participatory-2026",
        "department_plan",
        "2026년 주민참여예산 선정 사업",
        "Participatory budgeting projects 2026",
        "2026-10-01",
        "2027-12-31",
        "quarterly",
    )
    .map_err(|e| StoreError::Invalid(e[0].clone()))?;
    let plan = store.create_plan_with_sectors(&demo, body_id, &new, &["주민참여예산 선정 사업".to_string()]).await?;
    let sector = store.sectors(plan.id).await?.first().map(|s| s.id).ok_or(StoreError::NotFound)?;
    let planning = unit(store, body_id, "planning-budget").await?;
    store.implement_funded_projects(&demo, process, &plan, sector, planning, "PB26").await?;
    Ok(())
}

const IDEAS_2027_CITY: &[Idea] = &[
    (Cow::Borrowed("버스 정류장 온열의자 설치"), "겨울철 버스를 기다리는 어르신과 학생들을 위해 주요 정류장 40곳에 온열의자를 설치해 주세요.", 240_000_000, Some(1), "transport", "주요 버스 정류장 40곳"),
    (Cow::Borrowed("도시숲 미세먼지 차단 숲길"), "산업단지와 주거지 사이에 나무를 심어 미세먼지를 막는 숲길을 만들어 주세요.", 900_000_000, Some(0), "environment", "한빛산업단지 경계"),
    (Cow::Borrowed("하천 생태 관찰 데크"), "한빛천 습지에 아이들이 생태를 관찰할 수 있는 나무 데크를 설치해 주세요.", 380_000_000, Some(0), "environment", "한빛천 습지"),
    (Cow::Borrowed("공공 와이파이 전통시장 확대"), "전통시장 세 곳에 공공 와이파이를 설치해 상인과 손님 모두 편하게 해 주세요.", 150_000_000, Some(1), "jobs-economy", "전통시장 3곳"),
    (Cow::Borrowed("스마트 횡단보도 설치"), "사고가 잦은 교차로 10곳에 보행자 감지 신호와 바닥 신호등을 설치해 주세요.", 500_000_000, Some(0), "transport", "사고 다발 교차로 10곳"),
    (Cow::Borrowed("청소년 자율 공간 조성"), "청소년이 방과 후 모여 공부하고 쉴 공간을 평생학습관 1층에 만들어 주세요.", 300_000_000, Some(1), "lifelong-learning", "한빛평생학습관"),
];

fn district_ideas(district: &'static str, n: usize) -> Vec<Idea> {
    let all: [(&'static str, &'static str, i64, Option<usize>, &'static str); 3] = [
        ("골목 방범 CCTV 설치", "밤늦게 귀가하는 주민이 안심할 수 있도록 골목 입구에 방범 CCTV를 설치해 주세요.", 90_000_000, Some(0), "safety"),
        ("주민 공동 텃밭 조성", "빈 공터에 주민 공동 텃밭을 만들어 이웃이 함께 가꾸게 해 주세요.", 60_000_000, Some(1), "environment"),
        ("경로당 안마의자·운동기구", "경로당 어르신들이 쓰실 안마의자와 실내 운동기구를 갖춰 주세요.", 120_000_000, Some(1), "social-welfare"),
    ];
    all.iter()
        .enumerate()
        .map(|(i, (title, description, cost, category, department))| {
            let cost = cost + ((n + i) as i64 % 3) * 10_000_000;
            (Cow::Owned(format!("{district} {title}")), *description, cost, *category, *department, district)
        })
        .collect()
}

async fn voting_2027(store: &Store, body_id: i64, people: &[Person], keys: &[String]) -> Result<(), StoreError> {
    let demo = demo_actor();
    let at = now();
    let new = NewProcess {
        slug: Slug::parse("2027").expect("slug"),
        title: "2027년 주민참여예산".into(),
        description: "2027년 한빛시 주민참여예산 주민 투표가 진행 중입니다. 시 전체 사업 20억 원과 동별 사업 각 3억 원을 주민이 직접 정합니다.\n\n투표는 만 14세 이상 한빛시 주민과 한빛시에서 일하거나 공부하는 사람이 한 번 할 수 있습니다. 득표가 많은 사업부터 예산 안에서 선정합니다.".into(),
        rule: OutcomeRule::GreedyVotes,
        formula: ScoreFormula::default(),
        eligibility: Eligibility::default(),
        committee_max_score: 100,
        voting_opens_at: Some(at - 7 * 86_400),
        voting_closes_at: Some(at + 14 * 86_400),
    };
    let process = store.create_process(&demo, body_id, &new).await?;
    let day = |at: i64| sotong_core::format::kst_date_after(at, 0);
    let (opens, closes) = (at - 7 * 86_400, at + 14 * 86_400);
    let schedule = [
        ("2026-06-01".to_string(), "2026-07-15".to_string()),
        ("2026-07-16".to_string(), "2026-08-31".to_string()),
        ("2026-09-01".to_string(), day(opens - 86_400)),
        (day(opens), day(closes)),
        (day(closes + 7 * 86_400), day(closes + 7 * 86_400)),
        ("2027-01-01".to_string(), "2027-12-31".to_string()),
    ];
    set_notes(store, &process, schedule).await?;
    let rules = BallotRules { min_picks: None, ..BallotRules::approval(3) };
    let city_pot = NewPot { name: "시 전체".into(), district: None, budget: 2_000_000_000, rules };
    let city_pot = store.add_pot(&demo, &process, &city_pot).await?;
    let environment = store.add_category(&demo, &process, "환경·안전", Some(2)).await?;
    let living = store.add_category(&demo, &process, "생활·복지", None).await?;
    let categories = [environment.id, living.id];
    let citizen = store.user_by_email("citizen@hanbit.example").await?.map(|u| u.id);
    let mut ideas = submit(store, &process, city_pot.id, &categories, IDEAS_2027_CITY, citizen).await?;
    for (n, district) in DISTRICTS.iter().enumerate() {
        let pot = NewPot {
            name: district.to_string(),
            district: Some(district.to_string()),
            budget: 300_000_000,
            rules: BallotRules { kind: BallotKind::Knapsack, max_picks: None, ..BallotRules::approval(1) },
        };
        let pot = store.add_pot(&demo, &process, &pot).await?;
        let local = district_ideas(district, n);
        ideas.extend(submit(store, &process, pot.id, &categories, &local, None).await?);
    }
    let (process, projects) = review_and_select(store, body_id, process, ideas).await?;
    let process = store.advance_phase(&demo, &process, Phase::Voting).await?;
    let setup = store.process_setup(process.clone()).await?;
    let popularity = weights(&projects, &[60, 35, 45, 30, 55, 40, 50, 35, 45]);
    let mut dice = Dice(2027);
    for (person, key) in people.iter().zip(keys).skip(100).take(320) {
        if let Some(ballot) = picks(&mut dice, &setup, &projects, person.district, &popularity) {
            store.cast_ballot(&demo, &process, key, &ballot).await?;
        }
    }
    let station = store.add_station(&demo, &process, "중앙동 행정복지센터", "한빛시 중앙로 10").await?;
    for key in keys.iter().skip(900).take(12) {
        store.check_in(&demo, &process, station.id, key).await?;
    }
    Ok(())
}
