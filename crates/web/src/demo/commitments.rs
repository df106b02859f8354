//! The demo city's 민선8기 pledge plan: 100 pledges in 6 sectors, four published
//! quarters (2025-Q3 … 2026-Q2) and an open quarter (2026-Q3) whose reports are in
//! every state of the workflow. Statuses are a fixed function of the pledge and the
//! quarter, so the demo is the same on every run.

use super::{files, stories};
use sotong_core::commitments::period::{Cadence, Period};
use sotong_core::commitments::report::{ReportFields, ReportInput};
use sotong_core::commitments::states::{ChangeKind, PlanKind};
use sotong_core::commitments::Taxonomy;
use sotong_core::files::FileKind;
use sotong_core::org::Slug;
use sotong_exchange::commitments_csv::Row;
use sotong_store::commitments::import::ImportFailure;
use sotong_store::commitments::plans::NewPlan;
use sotong_store::files::NewFile;
use sotong_store::{Actor, Store, StoreError};

/// (sector, lead departments, pledges)
const SECTORS: [(&str, [&str; 2], &[&str]); 6] = [
    (
        "경제·일자리",
        ["jobs-economy", "sustainability"],
        &[
            "청년 창업 지원센터 설립",
            "전통시장 시설 현대화",
            "지역화폐 한빛사랑카드 발행 확대",
            "스마트 산업단지 조성",
            "중소기업 육성자금 확대",
            "청년 일자리 1만 개 창출",
            "농산물 공공급식 지원센터 운영",
            "소상공인 경영안정 자금 지원",
            "로컬푸드 직매장 확대",
            "신재생에너지 기업 유치",
            "일자리 박람회 정례화",
            "여성 재취업 지원 확대",
            "사회적경제 통합지원센터 설립",
            "스마트팜 혁신밸리 조성",
            "관광 특구 상권 활성화",
            "기업 투자유치 전담팀 운영",
            "노인 일자리 확대",
        ],
    ),
    (
        "복지·보건",
        ["social-welfare", "women-family"],
        &[
            "공공 산후조리원 설립",
            "24시간 어린이 병원 지정",
            "어르신 무료 셔틀버스 운행",
            "장애인 복지관 건립",
            "치매안심센터 확충",
            "출산장려금 확대",
            "국공립 어린이집 확충",
            "1인 가구 지원센터 운영",
            "경로당 냉난방비 지원 확대",
            "공공 심야약국 운영",
            "찾아가는 방문건강관리",
            "아동 돌봄센터 확충",
            "청년 월세 지원",
            "보훈 명예수당 인상",
            "노인 복지관 분관 신설",
            "발달장애인 주간활동 지원",
            "공공의료원 유치",
        ],
    ),
    (
        "교육·문화·관광",
        ["culture-tourism", "lifelong-learning"],
        &[
            "평생학습관 건립",
            "작은도서관 확충",
            "청소년 수련관 신축",
            "지역 축제 통합 브랜드화",
            "한빛 문화예술회관 리모델링",
            "생활문화센터 조성",
            "둘레길 관광코스 개발",
            "역사문화 관광자원 복원",
            "초·중학교 교육자료 지원",
            "대학 연계 평생교육 확대",
            "공공 체육시설 확충",
            "어린이 과학관 건립",
            "야간 관광 명소 조성",
            "시민 예술단 창단",
            "관광 안내 체계 개선",
            "해양 레저 관광 거점 조성",
            "청소년 진로체험센터 운영",
        ],
    ),
    (
        "환경·안전",
        ["environment", "safety"],
        &[
            "미세먼지 저감 숲 조성",
            "하천 생태 복원",
            "생활폐기물 자원화 시설 확충",
            "전기차 충전소 확대",
            "재난 안전 통합 상황실 구축",
            "어린이 보호구역 안전시설 확충",
            "노후 상수관망 정비",
            "스마트 가로등 설치",
            "공원 녹지 확충",
            "탄소중립 실천 시민 참여 확대",
            "산업단지 악취 관리 강화",
            "폭염 대비 그늘막 확대",
            "여성 안심 귀갓길 조성",
            "자전거 도로 네트워크 확충",
            "반려동물 문화센터 건립",
            "음식물 쓰레기 감량 지원",
            "도시 침수 예방 사업",
        ],
    ),
    (
        "도시·교통",
        ["transport", "urban-planning"],
        &[
            "시내버스 노선 전면 개편",
            "공영주차장 확충",
            "도시재생 뉴딜 사업 추진",
            "광역 교통망 연계 강화",
            "수요응답형 버스 도입",
            "원도심 보행환경 개선",
            "청년·신혼부부 공공임대주택 공급",
            "스마트 버스정류장 설치",
            "노후 교량 보강",
            "농어촌 도로 확포장",
            "도시가스 공급 확대",
            "빈집 정비 사업",
            "대중교통 환승 할인 확대",
            "교차로 신호체계 개선",
            "역세권 개발",
            "공공 자전거 도입",
        ],
    ),
    (
        "소통·행정",
        ["communication", "planning-budget"],
        &[
            "시민 참여 예산 확대",
            "시장과의 열린 대화 정례화",
            "온라인 시민 제안 창구 개설",
            "민원 처리 기간 단축",
            "행정복지센터 기능 강화",
            "공약 이행 상황 분기별 공개",
            "주민자치회 전면 실시",
            "찾아가는 민원 서비스",
            "공공데이터 개방 확대",
            "적극행정 우수공무원 선발",
            "시민 감사관 제도 도입",
            "위원회 여성 참여 확대",
            "행정 서비스 디지털 전환",
            "외국인 주민 지원센터 운영",
            "청렴도 향상 종합대책",
            "시정 홍보 채널 다양화",
        ],
    ),
];

/// The core policy task force: 7 strategies of 7 tasks (as 경주시 runs them).
const STRATEGIES: [(&str, [&str; 2], &[&str]); 7] = [
    (
        "전략1 미래 신산업 육성",
        ["jobs-economy", "sustainability"],
        &[
            "수소산업 특구 지정 추진",
            "이차전지 소재 기업 유치",
            "AI 데이터센터 조성",
            "미래차 부품 기술지원센터 구축",
            "스타트업 파크 조성",
            "중소기업 디지털 전환 지원",
            "산학연 R&D 클러스터 조성",
        ],
    ),
    (
        "전략2 문화관광 도시 도약",
        ["culture-tourism", "lifelong-learning"],
        &[
            "체류형 관광 거점 조성",
            "역사문화 탐방로 정비",
            "국제 문화예술 축제 유치",
            "관광 데이터 플랫폼 구축",
            "문화도시 지정 추진",
            "지역 콘텐츠 창작 지원",
            "관광 교통 연계 셔틀 운영",
        ],
    ),
    (
        "전략3 탄소중립 녹색도시",
        ["environment", "sustainability"],
        &[
            "공공건물 태양광 설치",
            "탄소중립 지원센터 운영",
            "도시숲 100만 그루 심기",
            "친환경 차량 전환 지원",
            "자원순환 거점 확충",
            "하천 수질 개선",
            "기후위기 적응 대책 수립",
        ],
    ),
    (
        "전략4 촘촘한 돌봄 복지",
        ["social-welfare", "women-family"],
        &[
            "통합돌봄 시범사업",
            "아이돌봄 공백 해소",
            "어르신 맞춤 건강관리",
            "장애인 자립 지원 확대",
            "고독사 예방 안전망 구축",
            "청년 마음건강 지원",
            "다함께돌봄센터 확충",
        ],
    ),
    (
        "전략5 살기 좋은 정주 여건",
        ["urban-planning", "transport"],
        &[
            "생활SOC 복합화 사업",
            "원도심 빈 점포 활용",
            "대중교통 사각지대 해소",
            "주거환경 개선 사업",
            "공원 접근성 개선",
            "스마트 주차 정보 제공",
            "보행자 우선 도로 조성",
        ],
    ),
    (
        "전략6 안전한 도시",
        ["safety", "environment"],
        &[
            "재난 조기경보 체계 구축",
            "노후 시설물 안전점검",
            "CCTV 통합관제 고도화",
            "생활안전 지도 제작",
            "지진 대비 내진 보강",
            "산사태 취약지역 정비",
            "시민 안전 교육 확대",
        ],
    ),
    (
        "전략7 시민과 함께하는 행정",
        ["communication", "planning-budget"],
        &[
            "시민 정책 제안 플랫폼",
            "숙의형 시민 공론장 운영",
            "예산 과정 시민 공개",
            "규제 혁신 과제 발굴",
            "민원 빅데이터 분석",
            "행정 정보 공개 확대",
            "협업 행정 체계 구축",
        ],
    ),
];

/// The departments' communication policies, reported every half year (as 김해시
/// runs them): 38 policies of 14 departments.
const COMMUNICATION: [(&str, [&str; 2], &[&str]); 7] = [
    (
        "현장 소통",
        ["communication", "civil-service"],
        &[
            "찾아가는 현장 간담회",
            "읍·면·동 순회 민원 상담",
            "시장과 함께하는 현장 점검",
            "시민 제안 현장 설명회",
            "민원 해결 현장 회의",
            "마을 소통 방송",
        ],
    ),
    (
        "온라인 소통",
        ["jobs-economy", "sustainability"],
        &[
            "SNS 시민 기자단 운영",
            "카드뉴스 시정 소식",
            "온라인 정책 토론방",
            "시정 유튜브 채널 운영",
            "시민 설문 플랫폼 운영",
        ],
    ),
    (
        "정책 참여",
        ["planning-budget", "self-governance"],
        &[
            "주민참여예산 설명회",
            "정책 숙의 시민 패널",
            "청년 정책 참여단",
            "주민자치 역량 강화 교육",
            "위원회 시민 위원 공모",
            "정책 실명제 공개",
        ],
    ),
    (
        "복지 소통",
        ["social-welfare", "women-family"],
        &[
            "복지 사각지대 발굴단",
            "찾아가는 복지 상담",
            "다문화 가족 소통 모임",
            "어르신 말벗 서비스",
            "아동 권리 참여 위원회",
        ],
    ),
    (
        "문화·교육 소통",
        ["culture-tourism", "lifelong-learning"],
        &[
            "문화 향유 시민 모니터단",
            "평생학습 수요 조사",
            "도서관 시민 기획단",
            "축제 시민 평가단",
            "학부모 교육 간담회",
        ],
    ),
    (
        "안전·환경 소통",
        ["safety", "environment"],
        &[
            "생활안전 시민 감시단",
            "환경 지킴이 활동",
            "재난 대응 주민 훈련",
            "하천 가꾸기 주민 참여",
            "미세먼지 시민 알림",
        ],
    ),
    (
        "도시·교통 소통",
        ["transport", "urban-planning"],
        &[
            "버스 노선 시민 의견 수렴",
            "도시계획 주민 설명회",
            "교통 불편 신고 처리 공개",
            "보행 환경 시민 점검",
            "주차 정책 시민 토론",
            "도시재생 주민 협의체",
            "건축 민원 사전 상담",
        ],
    ),
];

pub const PUBLISHED_QUARTERS: [&str; 4] = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"];
pub const OPEN_QUARTER: &str = "2026-Q3";

/// The status and progress of pledge `n` (0–99) after `quarter` (0-based) quarters.
fn status_at(n: usize, quarter: usize) -> (&'static str, i64) {
    let done_in = n % 9; // a pledge is finished in quarter 0..8 of the term's second half
    if done_in <= quarter + 2 && !n.is_multiple_of(13) {
        let status = if n.is_multiple_of(5) { "continuing" } else { "completed" };
        return (status, 100);
    }
    let progress = (20 + quarter as i64 * 15 + (n % 10) as i64).min(95);
    match n {
        _ if n.is_multiple_of(29) => ("on_hold", progress / 2),
        _ if n.is_multiple_of(17) => ("partial", progress - 10),
        _ => ("on_track", progress),
    }
}

type SectorTable<'a> = &'a [(&'a str, [&'a str; 2], &'a [&'a str])];

fn rows_for(sectors: SectorTable, quarter: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut n = 0;
    for (s, (sector, departments, pledges)) in sectors.iter().enumerate() {
        for (p, title) in pledges.iter().enumerate() {
            let (status, progress) = status_at(n, quarter);
            rows.push(Row {
                line: n + 2,
                code: format!("{}-{:02}", s + 1, p + 1),
                sector: sector.to_string(),
                title: title.to_string(),
                lead_department: departments[p % 2].to_string(),
                status: status.to_string(),
                progress,
                target: String::new(),
                start_date: Some("2022-07-01".into()),
                end_date: Some("2026-06-30".into()),
                budget_krw: ((n as i64 % 7) + 1) * 350_000_000,
            });
            n += 1;
        }
    }
    rows
}

fn import_error(failure: ImportFailure) -> StoreError {
    match failure {
        ImportFailure::Store(error) => error,
        ImportFailure::Rows(errors) => StoreError::Invalid(sotong_core::FieldError::new(
            "demo",
            if errors.is_empty() { "import" } else { errors[0].code },
        )),
    }
}

/// An indicator of a demo commitment: (code, name, unit, target, actual per period).
type DemoIndicator<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [&'a str]);

/// 청년 일자리 1만 개 창출 (1-06) and 공공 산후조리원 설립 (2-01), measured.
const PLEDGE_INDICATORS: &[DemoIndicator] = &[
    ("1-06", "신규 청년 일자리", "개", "10000", &["6120", "7340", "8650", "9870"]),
    ("1-06", "청년 고용률", "%", "47", &["44.1", "44.8", "45.9", "46.7"]),
    ("2-01", "산후조리원 이용 산모", "명", "600", &["0", "0", "180", "410"]),
];

/// Milestones and decided changes of a demo plan, entered during its last published
/// period so that they are published with it (the public sees only what is published).
#[derive(Default)]
struct DemoNews<'a> {
    /// (commitment code, title, due date, done date)
    milestones: &'a [(&'a str, &'a str, &'a str, Option<&'a str>)],
    /// (commitment code, reason, decision note): put on hold, approved.
    holds: &'a [(&'a str, &'a str, &'a str)],
}

async fn record_news(
    store: &Store,
    demo: &Actor,
    plan: &sotong_store::commitments::plans::Plan,
    news: &DemoNews<'_>,
) -> Result<(), StoreError> {
    for (code, title, due, done) in news.milestones {
        let c = store.commitment_by_code(plan.id, code).await?.ok_or(StoreError::NotFound)?;
        store.add_milestone(demo, plan, &c, title, due, *done).await?;
    }
    for (code, reason, note) in news.holds {
        let c = store.commitment_by_code(plan.id, code).await?.ok_or(StoreError::NotFound)?;
        let request = store.request_change(demo, plan, &c, ChangeKind::Hold, reason).await?;
        store.decide_change(demo, plan, &c, request.id, true, note).await?;
    }
    Ok(())
}

/// Creates a plan and publishes `periods` of it, the statuses advancing each period.
/// Each commitment is described once (summary, targets, budget by source,
/// collaborators), and each period its report is written, submitted and approved as
/// an officer and a coordinator would — with indicator actuals, and a site photo or a
/// report PDF attached to some.
async fn published_plan(
    store: &Store,
    demo: &Actor,
    body_id: i64,
    new: NewPlan,
    sectors: SectorTable<'_>,
    periods: &[&str],
    indicators: &[DemoIndicator<'_>],
    news: &DemoNews<'_>,
) -> Result<sotong_store::commitments::plans::Plan, StoreError> {
    let plan = store.create_plan(demo, body_id, &new).await?;
    let mut defined: Vec<sotong_store::commitments::indicators::Indicator> = Vec::new();
    let mut commitments = Vec::new();
    for (index, code) in periods.iter().enumerate() {
        let period = Period::parse(code).expect("valid period");
        let open = store.open_period(demo, &plan, period, &period.default_due_date()).await?;
        let rows = rows_for(sectors, index);
        if index == 0 {
            // The commitments first, so their indicators exist before the first report.
            store.import_commitments(demo, &plan, &rows, None, false).await.map_err(import_error)?;
            commitments = store.commitments(plan.id).await?;
            commitments.sort_by_key(|c| rows.iter().position(|r| r.code == c.code));
            describe(store, demo, &plan, &rows, &commitments).await?;
            for (commitment_code, name, unit, target, _) in indicators {
                let c = store.commitment_by_code(plan.id, commitment_code).await?.ok_or(StoreError::NotFound)?;
                defined.push(store.add_indicator(demo, &plan, &c, name, unit, target).await?);
            }
        }
        for (indicator, (commitment_code, _, _, _, actuals)) in defined.iter().zip(indicators) {
            if let Some(actual) = actuals.get(index) {
                let c = store.commitment_by_code(plan.id, commitment_code).await?.ok_or(StoreError::NotFound)?;
                store.set_indicator_actual(demo, &plan, &c, indicator, &open, actual).await?;
            }
        }
        let last = index + 1 == periods.len();
        for (n, (row, c)) in rows.iter().zip(&commitments).enumerate() {
            report_and_approve(store, demo, &plan, &open, row, c, n, &period.label_ko(), last).await?;
        }
        if last {
            record_news(store, demo, &plan, news).await?;
        }
        let snapshot = store.close_period(demo, &plan, &open).await?;
        // Published ten days after the reports were due, as the city did each quarter.
        let due = period.default_due_date();
        let at = sotong_core::format::kst_unix(&due, 10).map(|t| t + 10 * 86_400).unwrap_or(snapshot.published_at);
        store.set_publication_time(demo, &plan, &snapshot, at).await?;
    }
    Ok(plan)
}

/// A commitment's summary, term and yearly targets, budget by source and the
/// sector's other department as collaborator.
async fn describe(
    store: &Store,
    demo: &Actor,
    plan: &sotong_store::commitments::plans::Plan,
    rows: &[Row],
    commitments: &[sotong_store::commitments::plans::Commitment],
) -> Result<(), StoreError> {
    let units = store.units(plan.body_id).await?;
    let start_year: i64 = plan.term_start[..4].parse().unwrap_or(2022);
    let end_year: i64 = plan.term_end[..4].parse().unwrap_or(2026);
    for (n, (row, c)) in rows.iter().zip(commitments).enumerate() {
        let (national, provincial, city) = stories::budget_split(row.budget_krw, n);
        let partner = units.iter().find(|u| u.id != c.lead_department_id && n % 3 == 0 && u.kind == "department");
        let edit = sotong_store::commitments::edit::CommitmentEdit {
            title: c.title.clone(),
            summary: stories::summary(&c.title, &row.sector),
            term_target: stories::term_target(&c.title, end_year),
            start_date: c.start_date.clone(),
            end_date: c.end_date.clone(),
            budget_national: national,
            budget_provincial: provincial,
            budget_city: city,
            budget_other: 0,
            collaborators: partner.map(|u| vec![u.id]).unwrap_or_default(),
            yearly_targets: stories::yearly_targets(start_year.max(end_year - 3), end_year),
            links: Vec::new(),
        };
        store.edit_commitment(demo, plan, c, &edit).await?;
    }
    Ok(())
}

/// One period's report of one commitment, written, submitted and approved; in the
/// last published period every 7th gets a site photo and every 5th a report PDF.
#[allow(clippy::too_many_arguments)]
async fn report_and_approve(
    store: &Store,
    demo: &Actor,
    plan: &sotong_store::commitments::plans::Plan,
    open: &sotong_store::commitments::reports::ReportingPeriod,
    row: &Row,
    c: &sotong_store::commitments::plans::Commitment,
    n: usize,
    period_label: &str,
    last: bool,
) -> Result<(), StoreError> {
    let (achievements, problems, next_steps) = stories::report(&c.title, &row.status, row.progress, n, period_label);
    let progress = row.progress.to_string();
    let executed = (row.budget_krw * row.progress / 100 / 1_000_000 * 1_000_000).to_string();
    let fields = |submit| ReportFields {
        status: &row.status,
        progress: &progress,
        achievements: &achievements,
        problems: &problems,
        next_steps: &next_steps,
        budget_executed: &executed,
        submit,
        ..Default::default()
    };
    let input = |submit| {
        ReportInput::parse(&plan.taxonomy(), &fields(submit)).map_err(|errors| StoreError::Invalid(errors[0].clone()))
    };
    let with_photo = last && n % 7 == 0;
    let with_pdf = last && n % 5 == 0;
    if with_photo || with_pdf {
        store.save_report(demo, plan, c, open, &input(false)?).await?;
        if with_photo {
            let bytes = files::site_photo(160, 120, (n * 37 % 256) as u8);
            let name = format!("{} 현장 사진.png", c.title);
            let file = NewFile { name, kind: FileKind::Png, bytes: &bytes };
            store.attach_to_report(demo, plan, c, open, &file).await?;
        }
        if with_pdf {
            let title = format!("Hanbit City - commitment {} - {} progress report", c.code, open.code);
            let lines = [title.as_str(), "Quarterly review of the mayor's pledges", "Status and progress as approved"];
            let bytes = files::report_pdf(&lines);
            let name = format!("{} {} 추진실적 보고서.pdf", c.code, period_label);
            let file = NewFile { name, kind: FileKind::Pdf, bytes: &bytes };
            store.attach_to_report(demo, plan, c, open, &file).await?;
        }
    }
    let submitted = store.save_report(demo, plan, c, open, &input(true)?).await?;
    store.review_report(demo, plan, submitted.id, true, "").await?;
    Ok(())
}

fn new_plan(slug: &str, kind: PlanKind, titles: (&str, &str), term: (&str, &str), cadence: Cadence) -> NewPlan {
    NewPlan {
        slug: Slug::parse(slug).expect("valid slug"),
        kind,
        title_ko: titles.0.into(),
        title_en: titles.1.into(),
        term_start: term.0.into(),
        term_end: term.1.into(),
        cadence,
        taxonomy: Taxonomy::default(),
    }
}

/// Adds the demo city's plans (after `demo::populate`): the mayor's pledges, the core
/// policy task force, and the departments' half-yearly communication plan.
pub async fn populate(store: &Store) -> Result<(), StoreError> {
    let demo = Actor { label: "demo".into(), ..Actor::cli() };
    let city = store.public_body("hanbit").await?.ok_or(StoreError::NotFound)?;
    let titles = ("민선8기 시장 공약", "Mayor's pledges, 8th elected term");
    let pledges = new_plan("pledges-8", PlanKind::Pledges, titles, ("2022-07-01", "2026-06-30"), Cadence::Quarterly);
    let news = DemoNews {
        milestones: &[
            ("1-06", "청년 일자리 지원 조례 제정", "2022-12-31", Some("2022-12-20")),
            ("1-06", "청년 창업 지원센터 개소", "2024-03-31", Some("2024-04-15")),
            ("1-06", "1만 개 달성 점검 보고회", "2026-06-30", None),
        ],
        // 1-01 is on hold: the change and its reason are on record and public.
        holds: &[(
            "1-01",
            "입주 예정 부지의 토양 오염 정밀조사로 착공 지연",
            "정밀조사 결과가 나오는 2026년 하반기까지 보류",
        )],
    };
    let plan =
        published_plan(store, &demo, city.id, pledges, &SECTORS, &PUBLISHED_QUARTERS, PLEDGE_INDICATORS, &news).await?;
    let titles = ("핵심정책 전략 T/F 과제", "Core policy task force");
    let task_force =
        new_plan("core-policy-tf", PlanKind::PolicyTasks, titles, ("2025-01-01", "2026-12-31"), Cadence::Quarterly);
    let quarters = ["2025-Q4", "2026-Q1", "2026-Q2"];
    published_plan(store, &demo, city.id, task_force, &STRATEGIES, &quarters, &[], &DemoNews::default()).await?;
    let titles = ("부서별 시민소통 시책", "Departments' citizen communication policies");
    let talk = new_plan(
        "communication-2026",
        PlanKind::DepartmentPlan,
        titles,
        ("2025-01-01", "2026-12-31"),
        Cadence::HalfYearly,
    );
    let halves = ["2025-H1", "2025-H2", "2026-H1"];
    published_plan(store, &demo, city.id, talk, &COMMUNICATION, &halves, &[], &DemoNews::default()).await?;
    // The open quarter, past its deadline: most departments have reported (approved
    // or waiting for review), some were returned, some are late; the culture
    // department's reports are in every state of the workflow.
    let open = store.open_period(&demo, &plan, Period::parse(OPEN_QUARTER).expect("valid"), "2026-10-10").await?;
    let commitments = store.commitments(plan.id).await?;
    let culture = store.unit(city.id, "culture-tourism").await?.ok_or(StoreError::NotFound)?;
    let taxonomy = plan.taxonomy().clone();
    let label = Period::parse(OPEN_QUARTER).expect("valid").label_ko();
    let report = |c: &sotong_store::commitments::plans::Commitment, n: usize, submit: bool| {
        let (status, progress) =
            if c.progress >= 100 { (c.status.clone(), 100) } else { (c.status.clone(), (c.progress + 8).min(95)) };
        let (achievements, problems, next_steps) = stories::report(&c.title, &status, progress, n, &label);
        let progress = progress.to_string();
        let fields = ReportFields {
            status: &status,
            progress: &progress,
            achievements: &achievements,
            problems: &problems,
            next_steps: &next_steps,
            budget_executed: "120,000,000",
            submit,
            ..Default::default()
        };
        ReportInput::parse(&taxonomy, &fields).map_err(|errors| StoreError::Invalid(errors[0].clone()))
    };
    let mut culture_index = 0;
    for (n, c) in commitments.iter().enumerate() {
        let state = if c.lead_department_id == culture.id {
            culture_index += 1;
            ["draft", "submitted", "returned", "missing"][(culture_index - 1) % 4]
        } else {
            // The first pledge of each ten is late (1-01 among them).
            match (n + 9) % 10 {
                0..=5 => "approved",
                6 | 7 => "submitted",
                8 => "returned",
                _ => "missing",
            }
        };
        match state {
            "draft" => {
                store.save_report(&demo, &plan, c, &open, &report(c, n, false)?).await?;
            }
            "submitted" => {
                store.save_report(&demo, &plan, c, &open, &report(c, n, true)?).await?;
            }
            "approved" => {
                let sent = store.save_report(&demo, &plan, c, &open, &report(c, n, true)?).await?;
                store.review_report(&demo, &plan, sent.id, true, "").await?;
            }
            "returned" => {
                let sent = store.save_report(&demo, &plan, c, &open, &report(c, n, true)?).await?;
                let comment = "준공 검사 결과 또는 현장 사진을 첨부해 주세요";
                store.review_report(&demo, &plan, sent.id, false, comment).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
