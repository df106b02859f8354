//! The demo city's complaints board (시장에게 바란다): eleven categories with their
//! kind and department, about 150 complaints over the past half year — received,
//! assigned, extended, answered and rated, some private, some overdue, three
//! transferred to the province — plus one 다수인 case of twelve residents, and two
//! repeated-complaint chains, one closed under 법 제23조. The demo citizen filed one
//! about a crossing last month, answered: filing it again shows that answer first.
//! Everything goes through the store's own moves; only the handling is moved back in
//! time afterwards (`backdate_complaint_handling`), the deadlines as filed.

use sotong_core::voice::complaints::{ComplaintAnswer, NewComplaint, Place};
use sotong_core::workdays::Holidays;
use sotong_store::orgs::Org;
use sotong_store::users::User;
use sotong_store::voice::complaints::categories::NewCategory;
use sotong_store::voice::complaints::{Complaint, ComplaintCategory, Filer, FilingLinks, Source};
use sotong_store::{now, Actor, Store, StoreError};

const DAY: i64 = 86_400;

/// (code, name, what belongs there, kind, department slug, keywords)
const CATEGORIES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "roads",
        "도로·보도 파손",
        "움푹 팬 도로, 깨진 보도블록, 맨홀 덮개",
        "grievance",
        "urban-planning",
        "도로 보도 포트홀 맨홀",
    ),
    ("parking", "불법 주정차", "횡단보도·소화전·어린이보호구역의 주정차", "grievance", "transport", "주차 주정차 단속"),
    (
        "transit",
        "버스·교통 신호",
        "버스 노선과 정류장, 신호등과 횡단보도",
        "suggestion",
        "transport",
        "버스 정류장 신호등",
    ),
    ("lights", "가로등·보안등 고장", "꺼지거나 깜빡이는 가로등과 보안등", "grievance", "safety", "가로등 보안등"),
    (
        "waste",
        "쓰레기·무단투기",
        "수거되지 않은 쓰레기, 무단투기, 대형폐기물",
        "grievance",
        "environment",
        "쓰레기 무단투기 수거",
    ),
    ("noise", "소음·악취", "공사장 소음, 악취, 생활 소음", "grievance", "environment", "소음 악취 공사"),
    ("parks", "공원·놀이터", "공원 시설과 놀이터, 가로수", "suggestion", "urban-planning", "공원 놀이터 가로수"),
    ("water", "상하수도", "누수, 하수구 막힘과 악취, 수도 요금", "grievance", "water", "수도 하수구 누수"),
    (
        "welfare",
        "복지 서비스 문의",
        "돌봄, 기초연금, 바우처 같은 복지 서비스의 안내",
        "inquiry",
        "social-welfare",
        "복지 돌봄 연금",
    ),
    ("tax", "지방세 법령 질의", "취득세·재산세·자동차세의 법령 해석", "inquiry_law", "tax", "지방세 재산세 취득세"),
    ("suggestion", "시정 건의", "시정 전반에 대한 제안과 건의", "suggestion", "planning-budget", "건의 제안"),
];

/// One kind of matter residents write about: category, title, the text with `{}`
/// for the place, the answer with `{}` for the place, and where it happens.
struct Topic {
    category: &'static str,
    title: &'static str,
    text: &'static str,
    answer: &'static str,
    places: &'static [&'static str],
}

const fn topic(
    category: &'static str,
    title: &'static str,
    text: &'static str,
    answer: &'static str,
    places: &'static [&'static str],
) -> Topic {
    Topic { category, title, text, answer, places }
}

const TOPICS: &[Topic] = &[
    topic("roads", "도로에 움푹 팬 곳이 있습니다", "{} 도로 한가운데가 움푹 패어 있어 차가 지날 때마다 덜컹거립니다. 비가 오면 물이 고여 보이지 않아 더 위험합니다.", "{} 도로 파손 부위를 현장 확인 후 아스팔트로 긴급 보수했습니다. 같은 구간은 내년 포장 정비 계획에 넣어 전면 재포장하겠습니다.", &["한빛로 245 앞", "새솔동 가람초 사거리", "누리동 시장길 입구", "한빛역 동광장 진입로"]),
    topic("roads", "보도블록이 깨져 걸려 넘어질 뻔했습니다", "{} 보도블록 여러 장이 깨지고 들떠 있습니다. 유모차와 휠체어가 지나가기 어렵고 어르신이 걸려 넘어질 뻔했습니다.", "{} 보도블록 24장을 교체하고 들뜬 구간의 기초를 다시 다졌습니다. 불편을 드려 죄송합니다.", &["한빛동 행정복지센터 앞", "새솔중학교 정문 앞", "가람동 우체국 옆", "중앙공원 남문"]),
    topic("roads", "맨홀 뚜껑이 흔들립니다", "{} 맨홀 뚜껑이 헐거워 차가 지날 때마다 큰 소리가 나고 뚜껑이 들썩입니다. 밤에는 잠을 깰 정도입니다.", "{} 맨홀 뚜껑의 받침을 교체하고 높이를 맞췄습니다. 소음이 계속되면 다시 알려 주십시오.", &["한빛로 88 앞", "새솔동 3단지 후문", "누리동 119안전센터 앞"]),
    topic("parking", "횡단보도 앞 불법 주차를 단속해 주세요", "{} 횡단보도 바로 앞에 매일 차들이 주차되어 있어 길을 건너는 아이들이 보이지 않습니다. 단속을 부탁드립니다.", "{} 일대를 주정차 집중 단속 구역으로 지정하고 11월부터 오전 8시~9시, 오후 5시~7시에 이동 단속을 하고 있습니다. 고정형 단속 카메라 설치도 검토하겠습니다.", &["한빛초등학교 정문", "새솔동 학원가", "가람동 먹자골목 입구", "한빛병원 응급실 앞"]),
    topic("parking", "소화전 앞에 상습 주차하는 차량이 있습니다", "{} 소화전 바로 앞에 같은 차량이 며칠째 세워져 있습니다. 불이 나면 어떻게 하나 걱정됩니다.", "{} 소화전 앞 주차 차량에 과태료를 부과하고, 소화전 주변 5m에 적색 노면 표시를 새로 칠했습니다.", &["누리동 다세대주택가", "한빛동 빌라 골목", "새솔동 상가 뒤편"]),
    topic("transit", "버스 정류장에 의자와 가림막을 설치해 주세요", "{} 버스 정류장에 의자도 비 가림막도 없어 어르신들이 서서 오래 기다립니다. 겨울에는 바람도 심합니다.", "{} 정류장에 비 가림막과 의자를 설치하기로 하고 내년 1분기 정류장 정비 사업에 포함했습니다. 설치 전까지 임시 의자를 두겠습니다.", &["가람동 주민센터", "한빛천 둔치 입구", "새솔동 종점", "누리동 보건지소"]),
    topic("transit", "보행 신호가 너무 짧습니다", "{} 횡단보도 보행 신호가 짧아 어르신이 다 건너기 전에 빨간불로 바뀝니다. 신호 시간을 늘려 주세요.", "{} 횡단보도 보행 신호를 경찰서와 협의해 22초에서 30초로 늘렸습니다. 남은 시간 표시기도 설치했습니다.", &["한빛시장 앞", "누리동 경로당 앞", "가람역 사거리"]),
    topic("lights", "가로등이 꺼져 밤길이 어둡습니다", "{} 가로등이 일주일째 꺼져 있어 밤에 지나가기 무섭습니다. 빨리 고쳐 주세요.", "{} 가로등의 안정기를 교체해 다시 켜졌습니다. 고장 난 가로등은 기둥에 붙은 번호와 함께 신고해 주시면 더 빨리 고칠 수 있습니다.", &["한빛천 산책로 다리 밑", "새솔동 3단지 뒤 골목", "누리동 언덕길", "가람초 후문", "한빛공원 북문"]),
    topic("lights", "보안등이 계속 깜빡입니다", "{} 보안등이 밤새 깜빡여 창문으로 불빛이 들어와 잠을 잘 수 없습니다.", "{} 보안등을 LED 등기구로 교체했습니다.", &["가람동 빌라 골목", "한빛동 원룸촌", "누리동 교회 옆"]),
    topic("waste", "쓰레기 무단투기가 계속됩니다", "{} 골목에 밤마다 종량제 봉투가 아닌 쓰레기가 버려져 악취가 나고 고양이들이 봉투를 찢습니다. CCTV 설치나 단속을 부탁드립니다.", "{} 무단투기 지역에 이동식 CCTV를 설치하고 경고 현수막을 걸었습니다. 적발된 2건에는 과태료를 부과했습니다.", &["누리동 원룸촌", "한빛동 시장 뒷골목", "가람동 공원 입구", "새솔동 상가 주차장"]),
    topic("waste", "재활용 쓰레기가 수거되지 않았습니다", "{} 재활용 쓰레기가 수거일이 지났는데도 그대로 쌓여 있습니다.", "{} 재활용품을 수거하고, 수거 업체에 누락 경위를 확인해 같은 일이 없도록 조치했습니다.", &["새솔동 단독주택가", "가람동 2통", "한빛동 5통"]),
    topic("noise", "공사장 소음이 새벽부터 납니다", "{} 공사장에서 아침 6시부터 굴착기 소리가 납니다. 공사 시간을 지키는지 확인해 주세요.", "{} 공사 현장을 점검해 소음 기준 초과를 확인하고 개선 명령을 내렸습니다. 작업은 오전 7시 이후에만 하도록 했습니다.", &["한빛역 앞 오피스텔", "새솔동 상가 신축", "누리동 재개발 구역"]),
    topic("noise", "음식점 배기구 악취가 심합니다", "{} 음식점 배기구가 주택 창문을 향해 있어 하루 종일 기름 냄새가 들어옵니다.", "{} 음식점에 배기구 방향 변경과 필터 설치를 권고했고, 업주가 12월까지 설치하기로 했습니다.", &["가람동 먹자골목", "한빛동 상가 2층"]),
    topic("parks", "놀이터 놀이기구가 부서졌습니다", "{} 놀이터 미끄럼틀 옆 손잡이가 부서져 날카로운 부분이 드러나 있습니다. 아이들이 다칠까 걱정됩니다.", "{} 놀이터의 부서진 손잡이를 철거하고 새 부품으로 교체했습니다. 놀이터 안전점검을 분기마다 하고 있습니다.", &["새솔동 어린이공원", "한빛동 근린공원", "누리동 소공원"]),
    topic("parks", "가로수 가지가 전선에 닿아 있습니다", "{} 가로수 가지가 전선과 간판에 닿아 바람이 불면 불꽃이 튈까 걱정됩니다.", "{} 가로수 가지치기를 마쳤습니다. 전선과 닿은 가지는 한국전력과 함께 정리했습니다.", &["한빛로 가로수길", "가람동 중앙로", "새솔동 학교길"]),
    topic("parks", "공원 화장실을 밤에도 열어 주세요", "{} 공원 화장실이 저녁 6시에 잠겨 저녁 운동을 하는 시민들이 불편합니다.", "{} 공원 화장실을 밤 10시까지 열기로 하고 관리 인력 근무 시간을 조정했습니다.", &["한빛공원", "한빛천 둔치"]),
    topic("water", "수돗물에서 녹물이 나옵니다", "{} 아침에 수돗물을 틀면 한동안 누런 물이 나옵니다. 아이가 있어 걱정입니다.", "{} 수질을 검사한 결과 기준에는 맞았으나 노후 배관에서 녹이 나오는 것으로 확인되어 배관 세척을 했습니다. 노후 옥내 배관 교체 지원 사업도 안내드립니다.", &["누리동 오래된 빌라", "한빛동 2단지", "가람동 연립주택"]),
    topic("water", "도로에서 물이 새어 나옵니다", "{} 도로 틈에서 며칠째 맑은 물이 흘러나옵니다. 상수도관 누수 같습니다.", "{} 상수도관 이음부 누수를 확인해 관을 교체했습니다. 신고해 주셔서 감사합니다.", &["새솔동 사거리", "한빛로 120 앞", "누리동 주유소 앞"]),
    topic("welfare", "기초연금 신청 자격을 알고 싶습니다", "{}에 사는 어머니(66세)가 기초연금을 받을 수 있는지, 어떤 서류가 필요한지 알고 싶습니다.", "기초연금은 만 65세 이상으로 소득인정액이 선정기준액 이하인 분이 받을 수 있습니다. 신분증과 통장 사본을 가지고 {} 행정복지센터에 오시면 신청하실 수 있고, 복지로 누리집에서도 신청하실 수 있습니다.", &["한빛동", "누리동", "새솔동"]),
    topic("welfare", "맞벌이 가정 초등 돌봄 자리가 있나요", "{}에 사는 맞벌이 부부입니다. 초등학교 1학년 아이가 방과 후에 갈 수 있는 돌봄 기관이 있는지 알려 주세요.", "{}에는 다함께돌봄센터 2곳과 지역아동센터 1곳이 있습니다. 현재 한 곳에 빈자리가 있어 담당자가 신청 방법을 전화로 안내해 드렸습니다.", &["새솔동", "가람동"]),
    topic("tax", "주택 취득세 감면 대상인지 궁금합니다", "{} 아파트를 생애 처음 구입하려 합니다. 생애최초 주택 구입 취득세 감면을 받을 수 있는지, 배우자 명의 주택이 있으면 어떻게 되는지 알고 싶습니다.", "「지방세특례제한법」 제36조의3에 따라 본인과 배우자 모두 주택을 소유한 적이 없어야 생애최초 감면을 받을 수 있습니다. 배우자가 주택을 소유한 적이 있으면 감면 대상이 아닙니다. {} 아파트의 취득가액과 면적을 알려 주시면 세액을 미리 계산해 드리겠습니다.", &["새솔동", "한빛동"]),
    topic("tax", "재산세 고지서 금액이 작년보다 많이 올랐습니다", "{} 주택의 재산세가 작년보다 크게 올랐습니다. 어떤 기준으로 계산되었는지 알고 싶습니다.", "재산세는 공시가격에 공정시장가액비율을 곱한 과세표준으로 계산합니다. {} 주택의 공시가격이 올라 세액이 늘었으며, 세부담상한 규정(「지방세법」 제122조)이 적용되어 전년 대비 증가는 법정 한도 안입니다.", &["가람동", "누리동"]),
    topic("suggestion", "시청 민원실 점심시간 운영을 건의합니다", "직장인들은 점심시간에만 시청에 갈 수 있는데 {} 창구가 점심시간에 닫혀 있습니다. 교대 근무로 열어 주세요.", "{} 창구를 내년 1월부터 점심시간에도 교대 근무로 운영합니다. 건의해 주셔서 감사합니다.", &["시청 민원실", "한빛동 행정복지센터"]),
    topic("suggestion", "공공 와이파이를 늘려 주세요", "{}에 공공 와이파이가 없어 학생들이 데이터 걱정을 합니다. 공공 와이파이를 설치해 주세요.", "{}에 공공 와이파이 설치를 내년 정보통신 사업에 포함했습니다. 설치되면 시 누리집에 알리겠습니다.", &["한빛천 둔치", "새솔동 버스 종점", "가람동 도서관 앞"]),
];

/// The province's own categories: where the city sends what is the province's work.
const PROVINCE_CATEGORIES: &[(&str, &str, &str, &str, &str, &str)] =
    &[("provincial-roads", "지방도·국지도", "도가 관리하는 지방도와 국지도", "grievance", "", "지방도 국지도")];

/// Complaints about roads the province manages, filed with the city: transferred.
const TRANSFERRED: &[(&str, &str, &str)] = &[
    (
        "지방도 615호선 중앙분리대 파손",
        "한빛시에서 가람면으로 가는 지방도 615호선 중앙분리대가 부서져 반대 차선으로 넘어올 것 같습니다.",
        "지방도 615호선 가람면 방향 3km",
    ),
    (
        "국지도 32호선 낙석 위험",
        "국지도 32호선 한빛고개 구간 비탈면에서 돌이 굴러 떨어져 있습니다. 큰 사고가 날까 걱정됩니다.",
        "국지도 32호선 한빛고개",
    ),
    (
        "지방도 도로 표지판이 쓰러졌습니다",
        "지방도 607호선 누리교차로의 방향 표지판이 태풍에 쓰러져 길을 잘못 드는 차가 많습니다.",
        "지방도 607호선 누리교차로",
    ),
];

/// Answering officers, one per department (shown with the unit's phone).
fn officer(slug: &str) -> &'static str {
    match slug {
        "urban-planning" => "도시계획과 주무관 오세훈",
        "transport" => "교통정책과 주무관 한지민",
        "safety" => "안전총괄과 주무관 배성우",
        "environment" => "환경정책과 주무관 최유리",
        "water" => "상하수도사업소 주무관 양동근",
        "social-welfare" => "사회복지과 주무관 노하영",
        "tax" => "세무과 주무관 남궁민",
        _ => "기획예산담당관 주무관 서지우",
    }
}

struct Demo {
    store: Store,
    staff: Actor,
    calendar: Holidays,
    categories: Vec<ComplaintCategory>,
    units: Vec<Org>,
    at: i64,
}

fn invalid(errors: Vec<sotong_core::FieldError>) -> StoreError {
    StoreError::Invalid(errors[0].clone())
}

fn filer(user: &User) -> Filer {
    Filer { user_id: Some(user.id), name: Some(user.display_name.clone()), email: Some(user.email.clone()) }
}

impl Demo {
    fn category(&self, code: &str) -> Result<&ComplaintCategory, StoreError> {
        self.categories.iter().find(|c| c.code == code).ok_or(StoreError::NotFound)
    }

    fn unit_of(&self, category: &ComplaintCategory) -> Option<&Org> {
        category.department_id.and_then(|id| self.units.iter().find(|u| u.id == id))
    }

    /// Files a complaint `days_ago` days back at a plausible hour (09–17 KST).
    #[allow(clippy::too_many_arguments)]
    async fn file(
        &self,
        code: &str,
        by: &User,
        title: &str,
        text: &str,
        address: &str,
        public: bool,
        days_ago: i64,
        links: &FilingLinks,
    ) -> Result<Complaint, StoreError> {
        let new = NewComplaint::parse(title, text, public, Place::parse(address, "", ""), "010-2345-6789")
            .map_err(invalid)?;
        let hour = (days_ago * 7 % 9) * 3600;
        let at = self.at - days_ago * DAY - (self.at % DAY) + 9 * 3600 - sotong_core::format::KST_OFFSET_SECONDS + hour;
        let at = at.min(self.at - 600);
        let by_actor = Actor { user_id: Some(by.id), label: by.email.clone(), ..Actor::cli() };
        self.store
            .file_complaint_at(
                &by_actor,
                self.category(code)?,
                &filer(by),
                &new,
                links,
                Source::Web,
                at,
                &self.calendar,
            )
            .await
    }

    async fn assign(&self, complaint: &Complaint) -> Result<Complaint, StoreError> {
        let department = complaint.department_id.ok_or(StoreError::NotFound)?;
        let assigned = self.store.assign_complaint(&self.staff, complaint, department, None).await?;
        self.store.start_complaint(&self.staff, &assigned).await
    }

    async fn answer(&self, complaint: &Complaint, text: &str) -> Result<Complaint, StoreError> {
        let category = self.categories.iter().find(|c| c.id == complaint.category_id).ok_or(StoreError::NotFound)?;
        let unit = self.unit_of(category);
        let slug = unit.map(|u| u.slug.as_str()).unwrap_or("");
        let phone = unit.map(|u| u.phone.as_str()).filter(|p| !p.is_empty()).unwrap_or("041-360-3000");
        let answer = ComplaintAnswer::parse("resolved", text, officer(slug), phone, "", "").map_err(invalid)?;
        self.store.answer_complaint(&self.staff, complaint, &answer).await
    }

    /// Moves the handling back: received a few hours after filing, settled
    /// `settle_days` working-ish days later.
    async fn backdate(&self, complaint: &Complaint, settle_days: Option<i64>) -> Result<Complaint, StoreError> {
        let handled = complaint.created_at + 3 * 3600;
        let settled = settle_days.map(|d| (complaint.created_at + d * DAY).min(self.at - 300));
        self.store.backdate_complaint_handling(&self.staff, complaint, handled.min(self.at - 600), settled).await
    }
}

pub async fn populate(store: &Store, residents: &[User], citizen: &User) -> Result<(), StoreError> {
    let cli = Actor { label: "demo".into(), ..Actor::cli() };
    let city = store.public_body("hanbit").await?.ok_or(StoreError::NotFound)?;
    let province = store.public_body("hangaram").await?.ok_or(StoreError::NotFound)?;
    let units = store.units(city.id).await?;
    for (code, name, description, kind, slug, keywords) in CATEGORIES {
        let department = units.iter().find(|u| u.slug == *slug).map(|u| u.id);
        let new = NewCategory::parse(code, name, description, kind, department, keywords).map_err(invalid)?;
        store.add_complaint_category(&cli, city.id, &new).await?;
    }
    for (code, name, description, kind, _, keywords) in PROVINCE_CATEGORIES {
        let new = NewCategory::parse(code, name, description, kind, None, keywords).map_err(invalid)?;
        store.add_complaint_category(&cli, province.id, &new).await?;
    }
    let coordinator = store.user_by_email("coordinator@hanbit.example").await?.ok_or(StoreError::NotFound)?;
    let demo = Demo {
        store: store.clone(),
        staff: Actor { user_id: Some(coordinator.id), label: coordinator.email.clone(), ..cli.clone() },
        calendar: store.calendar().await?,
        categories: store.complaint_categories(city.id).await?,
        units,
        at: now(),
    };
    for (title, body) in ANSWER_TEMPLATES {
        store.create_complaint_template(&demo.staff, city.id, title, body).await?;
    }
    everyday_complaints(&demo, residents).await?;
    transfers(&demo, residents, province.id).await?;
    multi_person_case(&demo, residents).await?;
    repeat_chains(&demo, residents, citizen).await?;
    Ok(())
}

/// The answers the city's officers start from for matters that come up every week.
const ANSWER_TEMPLATES: &[(&str, &str)] = &[
    (
        "불법 주정차 단속 요청",
        "먼저 한빛시정에 관심을 가져 주셔서 감사합니다.\n\n말씀하신 구간은 불법 주정차 단속 구역으로, 주정차단속팀이 현장을 확인하고 출퇴근 시간대에 집중 단속을 하겠습니다. 단속 뒤에도 같은 일이 이어지면 안전신문고 앱으로 신고해 주시면 바로 조치하겠습니다.\n\n답변 내용에 대한 추가 문의는 담당자에게 연락해 주시기 바랍니다.",
    ),
    (
        "가로등·보안등 고장",
        "불편을 드려 죄송합니다.\n\n신고하신 가로등(보안등)은 현장을 확인한 결과 등기구가 고장 나 있어, 유지보수 업체를 통해 근무일 3일 안에 교체하겠습니다. 교체가 끝나면 다시 알려 드리겠습니다.\n\n답변 내용에 대한 추가 문의는 담당자에게 연락해 주시기 바랍니다.",
    ),
    (
        "도로 파손(포트홀) 보수",
        "도로 파손을 알려 주셔서 감사합니다.\n\n현장을 확인하고 임시 포장으로 먼저 응급 복구를 했으며, 기온이 오르는 대로 해당 구간을 다시 포장하겠습니다. 그사이 파손이 커지면 도로관리팀으로 바로 연락해 주십시오.\n\n답변 내용에 대한 추가 문의는 담당자에게 연락해 주시기 바랍니다.",
    ),
];

/// The board's everyday traffic: every topic at each of its places, by different
/// residents, spread over half a year.
async fn everyday_complaints(demo: &Demo, residents: &[User]) -> Result<(), StoreError> {
    let mut n: i64 = 0;
    for topic in TOPICS {
        for place in topic.places {
            for round in 0..2 {
                n += 1;
                // The second round is a later filing about the same kind of trouble
                // elsewhere in the same place: a different detail, a different resident.
                let (title, text) = if round == 0 {
                    (topic.title.to_string(), topic.text.replace("{}", place))
                } else {
                    (
                        format!("{} ({place})", topic.title),
                        format!("{}\n\n{}", topic.text.replace("{}", place), DETAILS[n as usize % DETAILS.len()]),
                    )
                };
                let days_ago = (n * 37) % 170 + 1;
                let by = &residents[(n as usize * 11) % residents.len()];
                let public = n % 5 != 0;
                let filed = demo
                    .file(topic.category, by, &title, &text, place, public, days_ago, &FilingLinks::default())
                    .await?;
                settle(demo, &filed, topic, place, n, days_ago).await?;
                if n >= 128 {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// Second sentences residents add, so that two filings about one kind of trouble
/// read as two people's.
const DETAILS: &[&str] = &[
    "지난달에도 비슷한 일이 있었는데 그대로입니다.",
    "아침 출근길마다 보게 되어 신고합니다.",
    "주변 상인들도 같은 불편을 이야기합니다.",
    "사진을 찍어 두었으니 필요하면 보내 드리겠습니다.",
    "아이들이 자주 다니는 길이라 더 걱정됩니다.",
    "빠른 확인 부탁드립니다.",
    "동네 주민 단체 대화방에서도 여러 번 이야기가 나왔습니다.",
];

/// What became of an everyday complaint, by how old it is: the newest wait for
/// receipt, most older ones are answered (some extended first, some rated), a few
/// sit past their deadline.
async fn settle(
    demo: &Demo,
    filed: &Complaint,
    topic: &Topic,
    place: &str,
    n: i64,
    days_ago: i64,
) -> Result<(), StoreError> {
    if days_ago <= 3 {
        return Ok(());
    }
    let mut c = demo.assign(filed).await?;
    let overdue = (9..30).contains(&days_ago) && n % 2 == 1;
    let extended = n % 11 == 0 && days_ago > 6;
    if extended {
        let new_due = sotong_store::voice::complaints::deadline(
            &demo.calendar,
            c.due_at,
            sotong_core::workdays::Period::Days(5),
        )?;
        c = demo
            .store
            .extend_complaint(
                &demo.staff,
                &c,
                new_due,
                "현장 조사와 관계 부서 협의에 시간이 더 필요합니다.",
                false,
                &demo.calendar,
            )
            .await?;
    }
    if overdue || days_ago <= 6 {
        demo.backdate(&c, None).await?;
        return Ok(());
    }
    c = demo.answer(&c, &topic.answer.replace("{}", place)).await?;
    let filer_actor = Actor { user_id: c.filer_id, label: c.filer_email.clone().unwrap_or_default(), ..Actor::cli() };
    if n % 3 != 0 {
        let rating = [5, 4, 5, 3, 4, 2, 5][n as usize % 7];
        demo.store.rate_complaint(&filer_actor, &c, rating).await?;
    }
    let settle_days = if extended { 12 } else { 2 + n % 5 };
    demo.backdate(&c, Some(settle_days)).await?;
    Ok(())
}

/// Complaints about the province's roads, sent on to 한가람도 (이송).
async fn transfers(demo: &Demo, residents: &[User], province: i64) -> Result<(), StoreError> {
    let target =
        demo.store.complaint_category_by_code(province, "provincial-roads").await?.ok_or(StoreError::NotFound)?;
    for (i, (title, text, place)) in TRANSFERRED.iter().enumerate() {
        let by = &residents[60 + i];
        let filed =
            demo.file("roads", by, title, text, place, true, 20 + 9 * i as i64, &FilingLinks::default()).await?;
        let c = demo
            .store
            .transfer_complaint(
                &demo.staff,
                &filed,
                &target,
                "도가 관리하는 도로라 한가람도 도로관리과로 이송합니다.",
                &demo.calendar,
            )
            .await?;
        demo.backdate(&c, Some(1)).await?;
    }
    Ok(())
}

/// Twelve residents of 누리동 write about the same smell from the 한빛천 outfall
/// within a week: one case (다수인관련민원), answered once, every filer told.
async fn multi_person_case(demo: &Demo, residents: &[User]) -> Result<(), StoreError> {
    let text = "한빛천 누리교 아래 하수 방류구에서 며칠째 심한 악취가 납니다. 산책로를 걷기 힘들 정도이고 창문을 열 수가 없습니다. 원인을 찾아 조치해 주세요.";
    let mut first: Option<Complaint> = None;
    for i in 0..12 {
        let by = &residents[20 + i];
        let links = FilingLinks { repeat_of: None, same_matter: first.iter().map(|c| c.id).collect() };
        let title = if i % 3 == 0 {
            "한빛천 누리교 아래 악취"
        } else {
            "한빛천 누리교 하수 방류구 악취 민원"
        };
        let c = demo.file("noise", by, title, text, "한빛천 누리교", i % 4 != 3, 14 - i as i64 / 2, &links).await?;
        first.get_or_insert(c);
    }
    let first = first.ok_or(StoreError::NotFound)?;
    let first = demo.store.complaint(first.body_id, first.id).await?.ok_or(StoreError::NotFound)?;
    let c = demo.assign(&first).await?;
    let answered = demo
        .answer(
            &c,
            "누리교 아래 방류구를 조사한 결과, 상류 우수관에 생활하수가 잘못 연결된 건물 3곳을 찾았습니다. 12월 10일까지 연결을 바로잡도록 명령했고, 그때까지 매일 방류구 주변을 세척하고 탈취제를 뿌리겠습니다.\n\n같은 내용으로 민원을 주신 주민 열두 분께 이 답변을 함께 드립니다.",
        )
        .await?;
    for member in demo.store.case_members(answered.case_id.unwrap_or_default()).await? {
        demo.backdate(&member, Some(5)).await?;
    }
    Ok(())
}

/// Two residents who write about the same thing again and again, and the demo
/// citizen's crossing, answered last month.
async fn repeat_chains(demo: &Demo, residents: &[User], citizen: &User) -> Result<(), StoreError> {
    // Filed three times, answered twice: closed under 법 제23조.
    let by = &residents[45];
    let title = "집 앞 하수구 악취를 해결해 주세요";
    let text = "누리동 빌라 앞 하수구에서 여름 내내 악취가 올라옵니다. 지난번에 청소했다고 했지만 달라진 것이 없습니다. 하수구를 막아 주세요.";
    let mut earlier: Option<i64> = None;
    for (round, days_ago) in [150_i64, 100, 50].into_iter().enumerate() {
        let links = FilingLinks { repeat_of: earlier, same_matter: Vec::new() };
        let filed = demo.file("water", by, title, text, "누리동 빌라 앞", true, days_ago, &links).await?;
        earlier.get_or_insert(filed.id);
        let c = demo.assign(&filed).await?;
        if round < 2 {
            let answer = "하수구 준설을 마쳤고 악취 방지 장치(트랩)를 설치했습니다. 빗물받이는 도로 배수를 위해 막을 수 없는 점 양해 부탁드립니다.";
            let c = demo.answer(&c, answer).await?;
            demo.backdate(&c, Some(4)).await?;
        } else {
            let officer = officer("water");
            let c = demo.store.close_repeated(&demo.staff, &c, officer, "041-360-3800", None).await?;
            demo.backdate(&c, Some(3)).await?;
        }
    }
    // Filed twice, the first answered, the second being worked on.
    let by = &residents[52];
    let text =
        "새솔동 3단지 앞 도로에서 밤마다 오토바이 배달 차량이 굉음을 내며 달립니다. 단속 카메라를 설치해 주세요.";
    let first = demo
        .file("noise", by, "밤마다 오토바이 굉음이 납니다", text, "새솔동 3단지 앞", true, 60, &FilingLinks::default())
        .await?;
    let c = demo.assign(&first).await?;
    let c = demo.answer(&c, "경찰서와 합동으로 야간 이륜차 소음 단속을 세 차례 했습니다. 소음 단속 카메라 설치는 경찰청 시범사업에 신청했습니다.").await?;
    demo.backdate(&c, Some(6)).await?;
    let links = FilingLinks { repeat_of: Some(first.id), same_matter: Vec::new() };
    let again = demo.file("noise", by, "오토바이 굉음이 여전합니다", text, "새솔동 3단지 앞", true, 5, &links).await?;
    let c = demo.assign(&again).await?;
    demo.backdate(&c, None).await?;
    // The demo citizen's crossing, answered last month (filing it again shows this).
    let text = "한빛동 행정복지센터 앞 횡단보도의 보행 신호가 짧아 어르신들이 건너는 도중에 신호가 바뀝니다. 보행 신호 시간을 늘려 주세요.";
    let mine = demo
        .file(
            "transit",
            citizen,
            "행정복지센터 앞 횡단보도 신호가 짧습니다",
            text,
            "한빛동 행정복지센터 앞",
            true,
            33,
            &FilingLinks::default(),
        )
        .await?;
    let c = demo.assign(&mine).await?;
    let c = demo
        .answer(&c, "한빛동 행정복지센터 앞 횡단보도 보행 신호를 경찰서와 협의해 20초에서 28초로 늘렸습니다(11월 9일부터). 남은 시간 표시기는 내년 상반기에 설치합니다.")
        .await?;
    demo.backdate(&c, Some(6)).await?;
    // And a private one of theirs, still open.
    let text = "아버지(82세)가 혼자 사시는데 요즘 식사를 거르십니다. 한빛동에서 받을 수 있는 도시락 배달이나 방문 돌봄 서비스가 있는지 알고 싶습니다.";
    let private = demo
        .file("welfare", citizen, "홀로 사시는 아버지 돌봄 서비스 문의", text, "", false, 2, &FilingLinks::default())
        .await?;
    let c = demo.assign(&private).await?;
    demo.backdate(&c, None).await?;
    Ok(())
}
