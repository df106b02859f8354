//! The demo city's 민선8기 pledge plan: 100 pledges in 6 sectors, four published
//! quarters (2025-Q3 … 2026-Q2) and an open quarter (2026-Q3) whose reports are in
//! every state of the workflow. Statuses are a fixed function of the pledge and the
//! quarter, so the demo is the same on every run.

use sotong_core::commitment::Taxonomy;
use sotong_core::org::Slug;
use sotong_core::period::{Cadence, Period};
use sotong_exchange::commitments_csv::Row;
use sotong_store::import::ImportFailure;
use sotong_store::plans::NewPlan;
use sotong_store::reports::ReportInput;
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

fn rows_for(quarter: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut n = 0;
    for (s, (sector, departments, pledges)) in SECTORS.iter().enumerate() {
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

/// Adds the pledge plan to the demo city (after `demo::populate`).
pub async fn populate(store: &Store) -> Result<(), StoreError> {
    let demo = Actor { label: "demo".into(), ..Actor::cli() };
    let city = store.public_body("hanbit").await?.ok_or(StoreError::NotFound)?;
    let new = NewPlan {
        slug: Slug::parse("pledges-8").expect("valid slug"),
        kind: "pledges",
        title_ko: "민선8기 시장 공약".into(),
        title_en: "Mayor's pledges, 8th elected term".into(),
        term_start: "2022-07-01".into(),
        term_end: "2026-06-30".into(),
        cadence: Cadence::Quarterly,
        taxonomy: Taxonomy::default(),
    };
    let plan = store.create_plan(&demo, city.id, &new).await?;
    for (quarter, code) in PUBLISHED_QUARTERS.iter().enumerate() {
        let period = Period::parse(code).expect("valid period");
        let (_, last_month) = period.months();
        let due =
            format!("{}-{:02}-10", if last_month == 12 { period.year + 1 } else { period.year }, last_month % 12 + 1);
        let open = store.open_period(&demo, &plan, period, &due).await?;
        store.import_commitments(&demo, &plan, &rows_for(quarter), Some(&open), false).await.map_err(import_error)?;
        store.close_period(&demo, &plan, &open).await?;
    }
    // 1-01 is on hold: the change and its reason are on record and public.
    let on_hold = store.commitment_by_code(plan.id, "1-01").await?.ok_or(StoreError::NotFound)?;
    let request =
        store.request_change(&demo, &plan, &on_hold, "hold", "입주 예정 부지의 토양 오염 정밀조사로 착공 지연").await?;
    store.decide_change(&demo, &plan, request.id, true, "정밀조사 결과가 나오는 2026년 하반기까지 보류").await?;
    // The open quarter: the culture department's reports in every state.
    let open = store.open_period(&demo, &plan, Period::parse(OPEN_QUARTER).expect("valid"), "2026-10-10").await?;
    let commitments = store.commitments(plan.id).await?;
    let culture = store.unit(city.id, "culture-tourism").await?.ok_or(StoreError::NotFound)?;
    let mine: Vec<_> = commitments.iter().filter(|c| c.lead_department_id == culture.id).collect();
    let report = |status: &str, progress: i64, achievements: &str| ReportInput {
        status: status.into(),
        progress,
        achievements: achievements.into(),
        problems: String::new(),
        next_steps: "다음 분기에 계속 추진".into(),
        budget_executed: 120_000_000,
        links: String::new(),
    };
    for (i, c) in mine.iter().enumerate() {
        match i % 4 {
            0 => {
                store
                    .save_report(
                        &demo,
                        &plan,
                        c,
                        &open,
                        &report("on_track", c.progress.min(95), "기본계획 수립 중"),
                        false,
                    )
                    .await?;
            }
            1 => {
                store
                    .save_report(&demo, &plan, c, &open, &report("on_track", c.progress.min(95), "실시설계 완료"), true)
                    .await?;
            }
            2 => {
                let sent = store.save_report(&demo, &plan, c, &open, &report("completed", 100, "준공"), true).await?;
                store.review_report(&demo, &plan, sent.id, false, "준공 검사 결과를 첨부해 주세요").await?;
            }
            _ => {}
        }
    }
    Ok(())
}
