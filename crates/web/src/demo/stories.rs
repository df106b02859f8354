//! What the demo's commitments say: a summary, a term target with yearly steps, a
//! budget split across 국비·도비·시비, and each quarter's achievements, problems and
//! next steps, written the way a Korean city's quarterly review (분기별 추진실적)
//! reads. Generated from the pledge's title, sector and progress, so the same on
//! every run and consistent with the status.

/// What each sector's pledges are for, ending a summary sentence.
fn sector_goal(sector: &str) -> &'static str {
    match sector {
        s if s.contains("경제") || s.contains("산업") => "지역 경제에 활력을 더하고 좋은 일자리를 늘립니다",
        s if s.contains("복지") || s.contains("보건") => "누구나 필요한 때 돌봄과 의료를 누리는 도시를 만듭니다",
        s if s.contains("교육") || s.contains("청년") => "아이와 청년이 배우고 도전하기 좋은 환경을 만듭니다",
        s if s.contains("문화") || s.contains("관광") => {
            "일상에서 문화를 즐기고 관광객이 다시 찾는 도시를 만듭니다"
        }
        s if s.contains("환경") || s.contains("안전") => "깨끗하고 안전한 생활환경을 지킵니다",
        s if s.contains("교통") || s.contains("도시") => "편리하게 오가고 살기 좋은 생활권을 만듭니다",
        s if s.contains("소통") || s.contains("행정") => "시민과 함께 결정하고 투명하게 알리는 시정을 만듭니다",
        _ => "시민의 삶을 더 낫게 바꿉니다",
    }
}

/// The summary shown under a commitment's title.
pub fn summary(title: &str, sector: &str) -> String {
    format!("{title} 추진으로 {}.", sector_goal(sector))
}

/// The target for the whole term.
pub fn term_target(title: &str, end_year: i64) -> String {
    format!("{end_year}년까지 {title} 완료 및 안정적 운영")
}

/// One target per year of the term: plan, design, build, run.
pub fn yearly_targets(start_year: i64, end_year: i64) -> Vec<(i64, String)> {
    let steps =
        ["기본계획 수립 및 재원 확보", "실시설계 및 착공", "공사·사업 추진 및 중간 점검", "완료 및 운영 안정화"];
    let years = (end_year - start_year + 1).max(1) as usize;
    (0..years)
        .map(|i| {
            let step = steps[(i * steps.len() / years).min(steps.len() - 1)];
            (start_year + i as i64, step.to_string())
        })
        .collect()
}

/// The budget in won split as Korean projects are funded: national subsidy (국비),
/// provincial (도비) and the city's own share (시비), varying by pledge; rounded to
/// 100만 원 with the city taking the remainder.
pub fn budget_split(total: i64, n: usize) -> (i64, i64, i64) {
    let (national, provincial) = match n % 4 {
        0 => (50, 20),
        1 => (30, 15),
        2 => (0, 30),
        _ => (40, 10),
    };
    let round = |share: i64| total * share / 100 / 1_000_000 * 1_000_000;
    let (national, provincial) = (round(national), round(provincial));
    (national, provincial, total - national - provincial)
}

/// A quarter's report text: (achievements, problems, next steps).
pub fn report(title: &str, status: &str, progress: i64, n: usize, period_label: &str) -> (String, String, String) {
    let meetings = n % 3 + 2;
    let (achievements, next_steps) = match (status, progress) {
        ("completed", _) => (
            format!("{title} 완료({period_label}), 시민 이용 개시 및 운영 점검 {meetings}회 실시"),
            "운영 실적 분석과 시민 만족도 조사 후 개선 사항 반영".to_string(),
        ),
        ("continuing", _) => (
            format!("{title} 목표 달성 후 계속 추진, 이용 시민 만족도 {}점(100점 만점)", 80 + n % 15),
            "사업 규모 확대 여부 검토 및 다음 연도 예산 편성".to_string(),
        ),
        ("on_hold", _) => (
            format!("{title} 사업 일시 보류, 관계기관 협의 {meetings}회 진행"),
            "보류 사유 해소 후 사업 재개 일정 확정".to_string(),
        ),
        (_, p) if p < 35 => (
            format!("{title} 기본계획 수립 용역 착수, 관계부서·전문가 자문회의 {meetings}회 개최"),
            "실시설계 발주 및 국·도비 공모 신청".to_string(),
        ),
        (_, p) if p < 60 => (
            format!("{title} 실시설계 완료, 주민설명회 {meetings}회 개최로 의견 {}건 반영", 10 + n % 40),
            "공사(사업) 착수 및 분기별 공정 점검".to_string(),
        ),
        (_, p) => (
            format!("{title} 공정률 {p}%, 현장 점검 {meetings}회 및 시민 모니터링단 운영"),
            "준공(완료) 준비와 운영 방안 마련".to_string(),
        ),
    };
    let problems = match status {
        "partial" => "자재비 상승으로 사업비 재산정 필요, 추가 재원 확보 협의 중".to_string(),
        "on_hold" => "부지 보상 협의 지연으로 착수 일정 조정 필요".to_string(),
        _ => String::new(),
    };
    (achievements, problems, next_steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_split_without_losing_a_won() {
        for n in 0..8 {
            let (national, provincial, city) = budget_split(1_050_000_000, n);
            assert_eq!(national + provincial + city, 1_050_000_000);
            assert!(city > 0 && national % 1_000_000 == 0);
        }
    }

    #[test]
    fn reports_follow_the_status() {
        let (done, problems, _) = report("공공 산후조리원 설립", "completed", 100, 1, "2026년 2분기");
        assert!(done.contains("완료(2026년 2분기)") && problems.is_empty());
        let (_, problems, _) = report("노인 일자리 확대", "partial", 50, 2, "2026년 1분기");
        assert!(problems.contains("사업비"));
        assert_eq!(yearly_targets(2023, 2026).len(), 4);
        assert_eq!(yearly_targets(2023, 2026)[3].1, "완료 및 운영 안정화");
    }
}
