//! The demo installation: a fictional province, 한가람도, with its city 한빛시 (a real-
//! looking organisation chart), a neighbouring county and a district, and one account
//! per role. Each module adds its own demo content in a file of this folder
//! (`commitments`: the city's plans and their quarters, written by `stories`, with
//! photos and PDFs made by `files`).

pub mod budgeting;
pub mod commitments;
mod complaints;
mod files;
mod stories;
pub mod voice;

use crate::passwords::hash_password;
use sotong_core::org::NewOrg;
use sotong_core::role::Role;
use sotong_core::user::Email;
use sotong_store::{Actor, Store, StoreError};

/// The password of every demo account (printed by `sotong demo`).
pub const DEMO_PASSWORD: &str = "sotong-demo-2026";

/// A demo account as printed for the newcomer.
pub struct DemoAccount {
    pub email: &'static str,
    pub display_name: &'static str,
    /// Role key, or `superadmin` for the installation administrator.
    pub role: &'static str,
    pub org_slug: &'static str,
}

/// 한빛시's units: (bureau or `""` for the mayor's own offices, slug, kind, Korean, English).
const HANBIT_UNITS: &[(&str, &str, &str, &str, &str)] = &[
    ("", "planning-budget", "department", "기획예산담당관", "Planning and Budget Officer"),
    ("", "audit-legal", "department", "감사법무담당관", "Audit and Legal Affairs Officer"),
    ("", "communication", "department", "홍보소통담당관", "Public Relations and Communication Officer"),
    ("admin-bureau", "self-governance", "department", "자치행정과", "Local Autonomy Division"),
    ("admin-bureau", "civil-service", "department", "민원봉사과", "Civil Service Division"),
    ("admin-bureau", "tax", "department", "세무과", "Taxation Division"),
    ("economy-bureau", "jobs-economy", "department", "일자리경제과", "Jobs and Economy Division"),
    ("economy-bureau", "sustainability", "department", "지속가능발전담당관", "Sustainable Development Officer"),
    ("economy-bureau", "environment", "department", "환경정책과", "Environmental Policy Division"),
    ("welfare-bureau", "culture-tourism", "department", "문화관광과", "Culture and Tourism Division"),
    ("welfare-bureau", "lifelong-learning", "department", "평생학습과", "Lifelong Learning Division"),
    ("welfare-bureau", "women-family", "department", "여성가족과", "Women and Family Division"),
    ("welfare-bureau", "social-welfare", "department", "사회복지과", "Social Welfare Division"),
    ("welfare-bureau", "sports", "department", "체육진흥과", "Sports Promotion Division"),
    ("safety-bureau", "safety", "department", "안전총괄과", "Safety Management Division"),
    ("safety-bureau", "transport", "department", "교통정책과", "Transport Policy Division"),
    ("safety-bureau", "urban-planning", "department", "도시계획과", "Urban Planning Division"),
    ("", "health-centre", "office", "보건소", "Public Health Centre"),
    ("", "water", "office", "상하수도사업소", "Water and Sewerage Office"),
];

const HANBIT_BUREAUS: &[(&str, &str, &str)] = &[
    ("admin-bureau", "자치행정국", "Autonomous Administration Bureau"),
    ("economy-bureau", "경제환경국", "Economy and Environment Bureau"),
    ("welfare-bureau", "복지문화국", "Welfare and Culture Bureau"),
    ("safety-bureau", "안전건설국", "Safety and Construction Bureau"),
];

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "operator@sotong.example", display_name: "운영 관리자", role: "superadmin", org_slug: ""
    },
    DemoAccount { email: "admin@hanbit.example", display_name: "정관리", role: "administrator", org_slug: "hanbit" },
    DemoAccount {
        email: "coordinator@hanbit.example",
        display_name: "한기획",
        role: "coordinator",
        org_slug: "hanbit",
    },
    DemoAccount { email: "officer@hanbit.example", display_name: "문담당", role: "officer", org_slug: "hanbit" },
    DemoAccount {
        email: "secretary@hanbit.example",
        display_name: "서간사",
        role: "council_secretary",
        org_slug: "hanbit",
    },
    DemoAccount {
        email: "evaluator@hangaram.example",
        display_name: "도평가",
        role: "evaluator",
        org_slug: "hangaram",
    },
    DemoAccount { email: "citizen@hanbit.example", display_name: "김시민", role: "citizen", org_slug: "" },
];

fn org(kind: &str, slug: &str, name_ko: &str, name_en: &str, admin_code: &str) -> NewOrg {
    // Demo data is written here, so a parse failure is a defect in this file.
    NewOrg::parse(kind, slug, name_ko, name_en, admin_code).expect("valid demo organisation")
}

/// Fills an empty, migrated database with the demo installation.
pub async fn populate(store: &Store) -> Result<(), StoreError> {
    let cli = Actor { label: "demo".into(), ..Actor::cli() };
    let province =
        store.create_org(&cli, None, &org("province", "hangaram", "한가람도", "Hangaram Province", "")).await?;
    let city = store.create_org(&cli, Some(province.id), &org("city", "hanbit", "한빛시", "Hanbit City", "")).await?;
    store.create_org(&cli, Some(province.id), &org("county", "solmoe", "솔뫼군", "Solmoe County", "")).await?;
    store
        .create_org(&cli, None, &org("metropolitan_city", "dalbit", "달빛광역시", "Dalbit Metropolitan City", ""))
        .await?;

    // Bureaus are created when their first unit comes, so the chart keeps the order of
    // HANBIT_UNITS: the mayor's own offices, then each bureau, then the field offices.
    let mut bureau_ids = std::collections::HashMap::new();
    let mut unit_ids = std::collections::HashMap::new();
    for (bureau, slug, kind, ko, en) in HANBIT_UNITS {
        let parent = match HANBIT_BUREAUS.iter().find(|(b, _, _)| b == bureau) {
            None => city.id,
            Some((b_slug, b_ko, b_en)) => match bureau_ids.get(b_slug) {
                Some(id) => *id,
                None => {
                    let created = store.create_org(&cli, Some(city.id), &org("bureau", b_slug, b_ko, b_en, "")).await?;
                    bureau_ids.insert(*b_slug, created.id);
                    created.id
                }
            },
        };
        let unit = store.create_org(&cli, Some(parent), &org(kind, slug, ko, en, "")).await?;
        // Each office its own extension line, as a city's directory lists them.
        let phone = format!("041-360-{}", 3100 + unit_ids.len() * 10);
        store.set_contact(&cli, unit.id, "", &phone).await?;
        unit_ids.insert(*slug, unit.id);
    }
    store.set_contact(&cli, city.id, "(31787) 한가람도 한빛시 시청로 1 (한빛동)", "041-360-3114").await?;
    for (slug, ko, en) in [
        ("planning", "기획조정실", "Planning and Coordination Office"),
        ("evaluation", "평가담당관", "Evaluation Officer"),
    ] {
        store.create_org(&cli, Some(province.id), &org("department", slug, ko, en, "")).await?;
    }

    // One hash serves every demo account: they share the printed password.
    let hash = hash_password(DEMO_PASSWORD)
        .map_err(|_| StoreError::Invalid(sotong_core::FieldError::new("password", "hash")))?;
    for account in ACCOUNTS {
        let email = Email::parse(account.email).expect("valid demo e-mail");
        let user = store.create_user(&cli, &email, account.display_name, &hash, account.role == "superadmin").await?;
        let Ok(role) = Role::parse(account.role) else { continue };
        if role == Role::Citizen {
            continue;
        }
        let body_id = if account.org_slug == "hangaram" { province.id } else { city.id };
        let department = match role {
            Role::Officer => unit_ids.get("culture-tourism").copied(),
            _ => None,
        };
        store.grant_role(&cli, user.id, body_id, role, department).await?;
    }
    Ok(())
}
