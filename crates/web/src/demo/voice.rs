//! The demo city's citizen voice: residents' accounts, about forty policy proposals
//! over the past months (supported, commented, assigned, answered, some overdue, one
//! withdrawn, one hidden after reports, some with a photo of the place) and twenty
//! city notices (the public notices and tenders with their document). Everything goes
//! through the same store functions as the pages; only the dates are moved into the
//! past afterwards (`shift_proposal_history`).

use sotong_core::files::FileKind;
use sotong_core::user::Email;
use sotong_core::voice::notices::NewNotice;
use sotong_core::voice::proposals::{Answer, NewProposal, ProposalRules};
use sotong_store::files::NewFile;
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::moderation::{Decision, Subject};
use sotong_store::{now, Actor, Store, StoreError};

const DAY: i64 = 86_400;

/// What became of a demo proposal.
enum Outcome {
    /// Waiting for a coordinator.
    Received,
    /// Assigned to a department (its slug) this many days after submission (the
    /// answer is due 14 days later: some are overdue).
    Assigned(&'static str, i64),
    /// Assigned, then answered: department, result, answer text.
    Answered(&'static str, &'static str, &'static str),
    /// The author took it back.
    Withdrawn,
}

/// One proposal: days ago it was submitted, category, title, text, place, how many
/// residents support it, comments, and what became of it.
struct DemoProposal {
    days_ago: i64,
    category: &'static str,
    title: &'static str,
    text: &'static str,
    location: &'static str,
    supports: usize,
    comments: &'static [&'static str],
    outcome: Outcome,
}

const fn p(
    days_ago: i64,
    category: &'static str,
    title: &'static str,
    text: &'static str,
    location: &'static str,
    supports: usize,
    comments: &'static [&'static str],
    outcome: Outcome,
) -> DemoProposal {
    DemoProposal { days_ago, category, title, text, location, supports, comments, outcome }
}

use Outcome::*;

const PROPOSALS: &[DemoProposal] = &[
    p(3, "transport", "한빛공원 주변 공영주차장 확충", "주말마다 한빛공원 주변 도로가 주차 차량으로 막힙니다. 공원 이용객은 늘었는데 공영주차장은 80면뿐입니다.\n\n공원 서쪽 유휴부지에 공영주차장을 더 만들고, 주차 안내 전광판을 설치해 주세요.", "한빛공원 서쪽 유휴부지", 12, &["주말 오후에는 30분 넘게 주차 자리를 찾습니다.", "공원 옆 학교 운동장을 주말에 개방하는 방법도 있을 것 같습니다."], Received),
    p(40, "transport", "공원 인근 불법 주차 단속 강화", "한빛공원 정문 앞 횡단보도 주변에 불법 주차가 많아 아이들이 차 사이로 길을 건넙니다.\n\n주말 단속을 늘리고 횡단보도 앞에 주정차 금지 표지와 CCTV를 설치해 주세요.", "한빛공원 정문 앞", 61, &["어린이 보호를 위해 꼭 필요합니다.", "단속 카메라가 있으면 바로 줄어듭니다."], Answered("transport", "accepted", "한빛공원 정문 앞 횡단보도 양쪽 20m를 주정차 금지 구역으로 지정하고, 12월 중 고정형 단속 카메라 2대를 설치합니다.\n\n주말에는 오전 10시부터 오후 6시까지 이동 단속을 하겠습니다.")),
    p(65, "transport", "시내버스 배차 간격 단축(12번 노선)", "12번 버스가 출퇴근 시간에도 25분 간격이라 한빛역까지 가기가 어렵습니다.\n\n출퇴근 시간만이라도 15분 간격으로 늘려 주세요.", "", 57, &["신도시 입주가 끝나면 더 붐빌 것입니다."], Answered("transport", "partially_accepted", "운수업체와 협의해 내년 1월부터 평일 오전 7~9시에 2대를 증차해 배차 간격을 25분에서 17분으로 줄입니다.\n\n퇴근 시간 증차는 이용 실태를 조사한 뒤 상반기에 다시 검토하겠습니다.")),
    p(18, "transport", "한빛역 자전거 보관대 지붕 설치", "한빛역 자전거 보관대에 지붕이 없어 비나 눈이 오면 자전거가 녹슬고 안장이 젖습니다.\n\n보관대에 지붕과 조명을 설치해 주세요.", "한빛역 2번 출구", 23, &[], Assigned("transport", 8)),
    p(34, "transport", "스쿨존 과속 방지턱 추가 설치", "한빛초등학교 후문 앞 도로에서 차들이 빠르게 달립니다. 과속 방지턱이 하나뿐이라 효과가 적습니다.\n\n후문 진입로에 과속 방지턱과 노란 신호등을 추가해 주세요.", "한빛초등학교 후문", 44, &["아침마다 아찔한 장면을 봅니다."], Assigned("transport", 3)),
    p(8, "transport", "전통시장 공영주차장 요금 30분 무료", "한빛중앙시장 공영주차장은 처음부터 요금을 받아 장을 보러 가기가 부담됩니다.\n\n시장 이용객에게 30분 무료 주차를 해 주면 시장도 살고 도로 주차도 줄 것입니다.", "한빛중앙시장", 19, &[], Received),
    p(120, "environment", "하천 산책로 가로등 밝기 개선", "한빛천 산책로의 가로등이 어둡고 간격이 넓어 저녁 산책이 무섭습니다.\n\nLED 가로등으로 바꾸고 어두운 구간에 조명을 더해 주세요.", "한빛천 산책로 2km 구간", 73, &["특히 다리 밑이 어둡습니다.", "여성 안심 귀갓길로 지정해 주세요."], Answered("safety", "accepted", "한빛천 산책로 가로등 86개를 LED로 교체하고, 다리 밑 3곳에 보조 조명을 설치했습니다(11월 완료).\n\n여성 안심 귀갓길 지정은 경찰서와 협의해 내년 상반기에 추진합니다.")),
    p(52, "environment", "공원 내 반려견 놀이터 조성", "반려견을 키우는 가구가 늘었지만 목줄을 풀고 놀 수 있는 곳이 없습니다.\n\n한빛공원 북쪽 잔디밭 일부에 울타리를 친 반려견 놀이터를 만들어 주세요.", "한빛공원 북쪽 잔디밭", 58, &["배변 봉투함도 함께 설치해 주세요.", "반려견이 없는 시민을 위해 경계를 확실히 해 주세요."], Answered("environment", "long_term", "반려견 놀이터는 소음·위생 문제로 인근 주민 의견 수렴이 필요합니다.\n\n내년 공원 조성계획 변경 때 후보지 세 곳을 두고 주민설명회를 열어 결정하겠습니다.")),
    p(11, "environment", "아파트 단지 재활용 분리배출 안내 강화", "투명 페트병 분리배출 요일과 방법을 모르는 주민이 많아 재활용이 잘 안 됩니다.\n\n단지마다 그림으로 된 안내판을 붙이고 외국어 안내도 함께 해 주세요.", "", 9, &[], Received),
    p(26, "environment", "한빛산 등산로 쉼터와 음수대 설치", "한빛산 등산로 정상까지 쉴 곳과 물 마실 곳이 없습니다.\n\n중간 지점에 쉼터와 음수대를 설치해 주세요.", "한빛산 제2등산로", 31, &[], Assigned("environment", 16)),
    p(75, "environment", "미세먼지 많은 날 학교 앞 살수차 운행", "미세먼지가 나쁨인 날에도 학교 앞 도로 먼지가 그대로입니다.\n\n등교 시간 전에 학교 앞 도로에 살수차를 운행해 주세요.", "", 52, &["비산먼지가 확실히 줄어듭니다."], Answered("environment", "accepted", "미세먼지 '나쁨' 예보일에는 오전 7시부터 초등학교 12곳 주변 도로에 살수차 2대를 운행합니다.\n\n운행 기록은 환경정책과 누리집에 매달 공개하겠습니다.")),
    p(14, "welfare", "경로당 냉난방비 지원 확대", "겨울철 경로당 난방비가 부족해 오후 일찍 문을 닫는 곳이 있습니다.\n\n동절기 난방비 지원을 늘려 어르신들이 오래 머무를 수 있게 해 주세요.", "", 27, &["저희 동네 경로당은 3시에 문을 닫습니다."], Assigned("social-welfare", 1)),
    p(90, "welfare", "야간·휴일 소아 진료 병원 지정", "밤이나 휴일에 아이가 아프면 한빛시에는 갈 병원이 없어 이웃 도시 응급실로 갑니다.\n\n달빛어린이병원을 지정해 야간과 휴일에도 진료받을 수 있게 해 주세요.", "", 88, &["지난주에도 새벽에 40분을 운전했습니다.", "꼭 필요한 정책입니다.", "소아과 의사 확보가 어렵다면 원격 상담이라도 해 주세요."], Answered("health-centre", "partially_accepted", "한빛병원과 협약해 내년 3월부터 평일 밤 11시, 주말·공휴일 오후 6시까지 소아 진료를 시작합니다.\n\n24시간 진료는 소아청소년과 전문의 확보가 어려워 도와 함께 인력 지원 방안을 계속 협의하겠습니다.")),
    p(30, "welfare", "장애인 콜택시 대기 시간 단축", "장애인 콜택시를 부르면 평균 1시간 넘게 기다립니다.\n\n차량을 늘리고 예약 시스템을 개선해 주세요.", "", 49, &["병원 예약 시간을 자주 놓칩니다."], Assigned("social-welfare", 5)),
    p(6, "welfare", "1인 가구 고독사 예방 안부 확인 서비스", "혼자 사는 중장년이 늘고 있습니다. 전기·수도 사용량으로 안부를 확인하는 서비스를 도입해 주세요.", "", 15, &[], Received),
    p(47, "safety", "어린이보호구역 CCTV 추가 설치", "한빛동 어린이공원 주변에 CCTV가 없어 늦은 시간 청소년 비행과 쓰레기 투기가 잦습니다.\n\n어린이공원 입구와 화장실 주변에 방범 CCTV를 설치해 주세요.", "한빛동 어린이공원", 64, &["밤에 오토바이 소음도 심합니다."], Answered("safety", "accepted", "한빛동 어린이공원 입구와 화장실 주변에 방범 CCTV 3대를 설치하고 통합관제센터와 연결했습니다.\n\n비상벨도 함께 설치했습니다.")),
    p(21, "safety", "지하차도 침수 경보 시설 설치", "여름마다 한빛 지하차도가 잠겨 차가 갇히는 사고가 납니다.\n\n수위 감지기와 진입 차단기를 설치해 주세요.", "한빛 지하차도", 55, &["작년 장마 때 직접 봤습니다."], Assigned("safety", 12)),
    p(9, "safety", "겨울철 이면도로 제설 강화", "큰길은 제설이 잘 되지만 주택가 이면도로와 언덕길은 며칠씩 얼어 있습니다.\n\n언덕길에 염화칼슘함을 늘리고 제설 순서를 공개해 주세요.", "", 21, &[], Received),
    p(80, "economy", "청년 창업 공유 오피스 운영 시간 연장", "청년 창업 지원센터 공유 오피스가 오후 6시에 문을 닫아 직장 다니며 창업을 준비하는 청년은 쓸 수 없습니다.\n\n평일 밤 10시까지 운영해 주세요.", "청년 창업 지원센터", 51, &["주말 운영도 부탁드립니다."], Answered("jobs-economy", "accepted", "내년 1월부터 공유 오피스를 평일 밤 10시, 토요일 오후 6시까지 운영합니다.\n\n출입은 회원 카드로 하며 야간 관리 인력 1명을 배치합니다.")),
    p(24, "economy", "전통시장 온라인 장보기 배송 지원", "한빛중앙시장 상인들이 온라인 주문을 받고 싶어도 배송 인력이 없습니다.\n\n공동 배송센터를 만들어 주세요.", "한빛중앙시장", 33, &[], Assigned("jobs-economy", 15)),
    p(58, "economy", "지역화폐 할인율 연중 유지", "한빛사랑상품권 할인율이 명절에만 10%라 평소에는 쓰는 사람이 적습니다.\n\n연중 7%라도 유지해 주세요.", "", 47, &["소상공인에게 큰 도움이 됩니다."], Answered("jobs-economy", "rejected", "할인율은 국비 지원 비율에 따라 정해지며, 내년 국비가 줄어 연중 7% 유지에 필요한 시비 42억 원을 확보하기 어렵습니다.\n\n대신 설·추석과 5월 가정의 달에 10% 할인 판매를 하겠습니다.")),
    p(16, "culture", "작은도서관 주말 운영", "동네 작은도서관이 주말에 문을 닫아 맞벌이 가정 아이들은 이용하기 어렵습니다.\n\n토요일만이라도 열어 주세요.", "", 29, &["자원봉사로 돕고 싶습니다."], Assigned("lifelong-learning", 3)),
    p(70, "culture", "한빛천 야간 문화 공연 정례화", "올여름 한빛천 음악회가 좋았습니다. 봄부터 가을까지 매달 한 번씩 열어 주세요.", "한빛천 수변무대", 54, &["지역 예술인에게도 기회가 됩니다."], Answered("culture-tourism", "accepted", "내년 4월부터 10월까지 매달 둘째 토요일 저녁에 '한빛천 달빛 음악회'를 엽니다.\n\n출연진의 절반은 지역 예술인 공모로 뽑겠습니다.")),
    p(5, "culture", "공공체육관 개방 시간 확대", "시민체육관이 평일 저녁 9시에 문을 닫아 퇴근 후 운동하기 어렵습니다. 밤 10시까지 열어 주세요.", "한빛시민체육관", 11, &[], Received),
    p(38, "culture", "역사 유적지 안내판 다국어 표기", "한빛읍성 안내판이 한글로만 되어 있어 외국인 관광객이 이해하지 못합니다.\n\n영어·중국어·일본어 안내와 QR 음성 안내를 추가해 주세요.", "한빛읍성", 26, &[], Assigned("culture-tourism", 7)),
    p(44, "education", "청소년 방과후 공부방 확대", "한빛동에는 청소년이 방과 후 머물 곳이 없습니다. 주민센터 2층을 공부방으로 열어 주세요.", "한빛동 주민센터", 38, &["학원에 못 가는 아이들에게 꼭 필요합니다."], Assigned("women-family", 9)),
    p(100, "education", "시립도서관 열람실 좌석 예약제", "시험 기간마다 열람실 자리를 맡아 두고 오지 않는 사람이 많습니다.\n\n모바일 좌석 예약제를 도입해 주세요.", "한빛시립도서관", 66, &["타 도시 도서관은 이미 하고 있습니다."], Answered("lifelong-learning", "accepted", "9월부터 시립도서관 열람실 240석에 모바일 좌석 예약제를 도입했습니다.\n\n30분 안에 입실하지 않으면 예약이 취소됩니다.")),
    p(12, "education", "초등학생 생존수영 교육 확대", "생존수영 교육이 3·4학년 10시간뿐입니다. 5·6학년도 받을 수 있게 해 주세요.", "", 17, &[], Received),
    p(60, "urban", "노후 주택가 보행로 정비", "한빛1동 주택가 보도블록이 깨지고 턱이 높아 유모차와 휠체어가 다니기 어렵습니다.\n\n보행로를 평탄하게 정비해 주세요.", "한빛1동 주택가", 50, &["어르신들이 자주 넘어집니다."], Answered("urban-planning", "partially_accepted", "한빛1동 주요 보행로 1.2km는 내년 상반기에 정비합니다.\n\n나머지 골목길은 도시재생 뉴딜사업 계획에 넣어 2028년까지 단계별로 정비하겠습니다.")),
    p(28, "urban", "빈집 정비 후 주민 쉼터 조성", "마을에 오래 방치된 빈집이 흉물이 되었습니다. 정비해서 작은 쉼터나 텃밭으로 만들어 주세요.", "한빛3동", 22, &[], Assigned("urban-planning", 20)),
    p(2, "urban", "신도시 공원 화장실 추가 설치", "한빛신도시 근린공원에 화장실이 한 곳뿐이라 멀리서 오면 이용하기 어렵습니다.", "한빛신도시 근린공원", 6, &[], Received),
    p(85, "administration", "민원서류 무인발급기 야간 이용", "주민센터 무인발급기가 청사 안에 있어 밤에는 쓸 수 없습니다.\n\n청사 밖에서도 24시간 쓸 수 있게 옮겨 주세요.", "", 53, &[], Answered("civil-service", "accepted", "무인발급기 3대를 청사 밖 24시간 이용 공간으로 옮겼습니다. 위치는 민원봉사과 누리집에 안내되어 있습니다.")),
    p(19, "administration", "시의회 회의 온라인 생중계와 자막", "시의회 본회의는 생중계되지만 상임위원회는 영상이 없습니다. 자막과 함께 생중계해 주세요.", "", 14, &[], Assigned("communication", 10)),
    p(35, "administration", "시 누리집 모바일 화면 개선", "휴대전화로 시 누리집을 보면 글자가 작고 메뉴가 잘 안 눌립니다.", "", 8, &[], Withdrawn),
    p(7, "other", "시청 광장 겨울 스케이트장 운영", "겨울방학에 아이들이 놀 곳이 없습니다. 시청 광장에 작은 스케이트장을 열어 주세요.", "시청 광장", 13, &[], Received),
    p(15, "transport", "한빛공원 주차장 확충 요청", "한빛공원 주변은 주말마다 주차할 곳이 없어 도로가 막힙니다.\n\n공원 근처에 공영주차장을 더 만들어 주세요.", "", 4, &[], Received),
    p(4, "transport", "심야 시간 안심 귀가 버스", "밤 11시 이후에는 신도시로 가는 버스가 없습니다. 심야 안심 귀가 버스를 운행해 주세요.", "", 7, &[], Received),
    p(1, "environment", "공원 음악분수 운영 시간 조정", "여름밤 음악분수 소리가 늦게까지 들려 인근 아파트 주민이 잠을 설칩니다. 운영을 밤 9시까지로 줄여 주세요.", "한빛공원 음악분수", 3, &[], Received),
];

/// Twenty notices: (days ago, category, pinned, title, text, days on display or 0).
const NOTICES: &[(i64, &str, bool, &str, &str, i64)] = &[
    (1, "public_notice", true, "2027년도 주민참여예산 시민 제안 공모", "2027년도 예산에 반영할 주민 제안을 받습니다.\n\n기간: 12월 1일 ~ 12월 31일\n방법: 소통 누리집 정책제안 또는 주민센터 방문\n\n채택된 제안은 주민참여예산위원회 심의를 거쳐 예산에 반영됩니다.", 30),
    (2, "general", true, "한빛공원 공영주차장 공사에 따른 임시 폐쇄 안내", "한빛공원 제1공영주차장 확장 공사로 12월 8일부터 2월 28일까지 주차장을 임시 폐쇄합니다.\n\n공사 기간에는 한빛초등학교 운동장(주말)과 시청 주차장을 이용해 주세요.", 90),
    (3, "event", false, "한빛천 달빛 음악회 겨울 특별 공연", "12월 20일(토) 오후 6시 한빛천 수변무대에서 겨울 특별 공연을 엽니다. 누구나 무료로 볼 수 있습니다.", 20),
    (4, "recruitment", false, "2027년 상반기 시민 안전 모니터단 모집", "생활 속 위험 요소를 찾아 신고하는 시민 안전 모니터단 50명을 모집합니다. 활동비를 드립니다.", 25),
    (5, "press", false, "한빛시, 어린이보호구역 단속 카메라 12대 추가 설치", "시는 어린이보호구역 교통사고를 줄이기 위해 단속 카메라 12대를 추가로 설치했다고 밝혔습니다.", 0),
    (6, "tender", false, "한빛천 산책로 조명 개선 공사 입찰 공고", "한빛천 산책로 조명 개선 공사 입찰을 공고합니다. 입찰서 제출 마감은 12월 15일입니다.", 14),
    (8, "general", false, "겨울철 제설 대책 안내", "시는 12월부터 3월까지 제설 대책 기간을 운영합니다. 언덕길 염화칼슘함 위치는 안전총괄과 누리집에서 볼 수 있습니다.", 120),
    (10, "event", false, "평생학습 박람회 개최", "12월 13일 시민체육관에서 평생학습 박람회를 엽니다. 60여 개 강좌를 체험할 수 있습니다.", 15),
    (12, "public_notice", false, "도시관리계획(도로) 결정 변경 열람 공고", "한빛3동 일대 도시관리계획 변경안을 14일간 공람합니다. 의견이 있으면 도시계획과로 제출해 주세요.", 14),
    (14, "press", false, "한빛시 공약 이행률 2026년 2분기 공개", "시는 민선8기 공약 2026년 2분기 추진 실적을 소통 누리집에 공개했습니다.", 0),
    (16, "recruitment", false, "청년 창업 지원센터 입주 기업 모집", "청년 창업 지원센터 공유 오피스에 입주할 창업 기업 15곳을 모집합니다.", 30),
    (18, "general", false, "불법 주정차 단속 강화 안내", "12월부터 한빛공원과 전통시장 주변 불법 주정차 단속을 강화합니다. 주말에도 이동 단속을 합니다.", 60),
    (20, "event", false, "어르신 건강 걷기 대회", "보건소와 함께하는 어르신 건강 걷기 대회가 한빛천 산책로에서 열립니다.", 0),
    (22, "general", false, "주민센터 무인발급기 24시간 운영 안내", "주민센터 무인발급기를 청사 밖으로 옮겨 24시간 이용할 수 있습니다.", 0),
    (25, "tender", false, "시립도서관 좌석 예약 시스템 구축 용역 결과", "시립도서관 좌석 예약 시스템 구축 용역 계약 결과를 알립니다.", 0),
    (28, "public_notice", false, "2026년 하반기 지방세 체납자 명단 공개", "지방세기본법에 따라 고액·상습 체납자 명단을 공개합니다.", 0),
    (32, "press", false, "달빛어린이병원 지정 협약 체결", "시와 한빛병원이 야간·휴일 소아 진료를 위한 협약을 맺었습니다.", 0),
    (35, "recruitment", false, "시민 소통 서포터즈 2기 모집 마감", "시민 소통 서포터즈 2기 모집이 마감되었습니다. 지원해 주신 분들께 감사드립니다.", 0),
    (40, "event", false, "한빛읍성 가을 문화제 사진 공모 결과", "한빛읍성 가을 문화제 사진 공모 수상작을 발표합니다.", 0),
    (45, "general", false, "상수도 요금 고지서 모바일 발송 시작", "상수도 요금 고지서를 카카오톡·문자로 받아 볼 수 있습니다. 상하수도사업소에 신청해 주세요.", 0),
];

/// Korean names for the demo residents: surname × given name, as many as needed.
fn resident_name(i: usize) -> String {
    const SURNAMES: [&str; 10] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
    const GIVEN: [&str; 10] = ["민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지민", "현우", "채원"];
    format!("{}{}", SURNAMES[i % 10], GIVEN[(i / 10) % 10])
}

/// How many residents the demo has (enough for the 답변 대상 threshold of 50).
pub const RESIDENTS: usize = 90;

pub async fn populate(store: &Store) -> Result<(), StoreError> {
    let demo = Actor { label: "demo".into(), ..Actor::cli() };
    let city = store.public_body("hanbit").await?.ok_or(StoreError::NotFound)?;
    let units = store.units(city.id).await?;
    let unit = |slug: &str| units.iter().find(|u| u.slug == slug).map(|u| u.id).ok_or(StoreError::NotFound);
    let citizen = store.user_by_email("citizen@hanbit.example").await?.ok_or(StoreError::NotFound)?;
    let hash = crate::passwords::hash_password(super::DEMO_PASSWORD)
        .map_err(|_| StoreError::Invalid(sotong_core::FieldError::new("password", "hash")))?;
    let mut residents = Vec::with_capacity(RESIDENTS);
    for i in 0..RESIDENTS {
        let email = Email::parse(&format!("resident{:02}@hanbit.example", i + 1)).expect("valid demo e-mail");
        residents.push(store.create_user(&demo, &email, &resident_name(i), &hash, false).await?);
    }
    let coordinator = store.user_by_email("coordinator@hanbit.example").await?.ok_or(StoreError::NotFound)?;
    let rules = ProposalRules::default();
    let at = now();
    for (n, demo_proposal) in PROPOSALS.iter().enumerate() {
        let new =
            NewProposal::parse(demo_proposal.title, demo_proposal.text, demo_proposal.category, demo_proposal.location)
                .map_err(|e| StoreError::Invalid(e[0].clone()))?;
        // The demo citizen wrote two of them (their account page shows them).
        let author = if n == 0 || n == 12 { &citizen } else { &residents[n % RESIDENTS] };
        let mut proposal = store.create_proposal(&demo, city.id, author.id, &new).await?;
        // Some residents add a photo of the place they write about.
        if !demo_proposal.location.is_empty() && n % 3 == 0 {
            let bytes = super::files::site_photo(320, 240, (n * 53 % 256) as u8);
            let name = format!("{} 현장 사진.png", demo_proposal.location);
            let file = NewFile { name, kind: FileKind::Png, bytes: &bytes };
            let by = Actor { user_id: Some(author.id), label: author.email.clone(), ..demo.clone() };
            store.attach_voice_file(&by, city.id, Owner::Proposal(proposal.id), &file).await?;
        }
        // The supports happen within the window, before the history is moved back.
        let supporters = residents.iter().filter(|r| r.id != author.id).take(demo_proposal.supports);
        for supporter in supporters {
            store.support_proposal(&demo, &proposal, supporter.id, &rules).await?;
        }
        for (c, text) in demo_proposal.comments.iter().enumerate() {
            let commenter = &residents[(n * 7 + c * 13 + 5) % RESIDENTS];
            store.add_comment(&demo, &proposal, commenter.id, text).await?;
        }
        proposal = store.proposal(city.id, proposal.id).await?.ok_or(StoreError::NotFound)?;
        let staff = Actor { user_id: Some(coordinator.id), label: coordinator.email.clone(), ..demo.clone() };
        let submitted_at = at - demo_proposal.days_ago * DAY;
        let (assigned_at, answered_at) = match &demo_proposal.outcome {
            Received => (None, None),
            Withdrawn => {
                store.withdraw_proposal(&demo, &proposal).await?;
                (None, None)
            }
            Assigned(slug, after_days) => {
                store.assign_proposal(&staff, "hanbit", &proposal, unit(slug)?, &rules).await?;
                (Some(submitted_at + after_days * DAY), None)
            }
            Answered(slug, result, text) => {
                let assigned = store.assign_proposal(&staff, "hanbit", &proposal, unit(slug)?, &rules).await?;
                let phone = units.iter().find(|u| u.slug == *slug).map(|u| u.phone.clone()).unwrap_or_default();
                let answer =
                    Answer::parse(result, text, "박주무관", &phone).map_err(|e| StoreError::Invalid(e[0].clone()))?;
                store.answer_proposal(&staff, "hanbit", &assigned, &answer).await?;
                // Assigned two days after submission, answered within the deadline.
                (Some(submitted_at + 2 * DAY), Some(submitted_at + 11 * DAY))
            }
        };
        let proposal = store.proposal(city.id, proposal.id).await?.ok_or(StoreError::NotFound)?;
        store.backdate_proposal(&demo, &proposal, submitted_at, assigned_at, answered_at, &rules).await?;
    }
    // One proposal was reported by three residents and hidden by a moderator.
    let spam = NewProposal::parse(
        "한빛시 최저가 인테리어 업체 소개",
        "아파트 인테리어 최저가 견적을 받아 보세요. 상담 전화 010-0000-0000, 지금 연락 주시면 할인해 드립니다.",
        "other",
        "",
    )
    .map_err(|e| StoreError::Invalid(e[0].clone()))?;
    let spam = store.create_proposal(&demo, city.id, residents[RESIDENTS - 1].id, &spam).await?;
    for reporter in &residents[..3] {
        store.report_content(&demo, city.id, Subject::Proposal(spam.id), reporter.id, "advertising").await?;
    }
    let reason = "상업 광고라 운영 원칙에 따라 숨깁니다.".to_string();
    store.moderate(&demo, city.id, Subject::Proposal(spam.id), &Decision::Hide { reason }).await?;
    populate_notices(store, &demo, city.id).await?;
    super::complaints::populate(store, &residents, &citizen).await?;
    Ok(())
}

async fn populate_notices(store: &Store, demo: &Actor, body_id: i64) -> Result<(), StoreError> {
    let at = now();
    let today = sotong_core::format::kst_date_after(at, 0);
    // Oldest first, so the newest has the highest id.
    for (days_ago, category, pinned, title, text, shown_days) in NOTICES.iter().rev() {
        let publish_on = sotong_core::format::kst_date_after(at, -days_ago);
        let expires_on = if *shown_days > 0 {
            sotong_core::format::kst_date_after(at, shown_days - days_ago)
        } else {
            String::new()
        };
        let notice = NewNotice::parse(title, text, category, *pinned, &publish_on, &expires_on, &today)
            .map_err(|e| StoreError::Invalid(e[0].clone()))?;
        let created = store.create_notice(demo, body_id, &notice).await?;
        // Public notices and tenders come with the notice document itself.
        if matches!(*category, "public_notice" | "tender") {
            let lines = ["Hanbit City public notice", "Full text of the notice as published", "Hanbit City Hall"];
            let bytes = super::files::report_pdf(&lines);
            let name = format!("{title} 공고문.pdf");
            let file = NewFile { name, kind: FileKind::Pdf, bytes: &bytes };
            store.attach_voice_file(demo, body_id, Owner::Notice(created.id), &file).await?;
        }
    }
    Ok(())
}
