//! Properties of the domain rules, over generated inputs.

use proptest::prelude::*;
use sotong_core::commitments::period::{Cadence, Period};
use sotong_core::commitments::{CommitmentState, Metrics, Taxonomy};
use sotong_core::format::{self, KstDateTime, Lang};
use sotong_core::org::Slug;
use sotong_core::role::{Permission, Role, RoleSet};
use sotong_core::user::Email;

proptest! {
    /// Grouping digits never changes the number.
    #[test]
    fn grouped_thousands_read_back(value in any::<i64>()) {
        let grouped = format::group_thousands(value);
        prop_assert_eq!(grouped.replace(',', "").parse::<i64>().unwrap(), value);
        // Groups after the first have exactly three digits.
        let digits = grouped.trim_start_matches('-');
        for group in digits.split(',').skip(1) {
            prop_assert_eq!(group.len(), 3);
        }
    }

    /// Won amounts keep every digit and the sign, in both languages.
    #[test]
    fn won_amounts_keep_their_value(value in -1_000_000_000_000i64..1_000_000_000_000i64) {
        let ko = format::krw(value, Lang::Ko);
        prop_assert!(ko.ends_with('원'));
        let digits: String = ko.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
        prop_assert_eq!(digits.parse::<i64>().unwrap(), value);
    }

    /// KST calendar dates agree with the `time` crate's, for any instant in 1900–2200.
    #[test]
    fn kst_dates_match_a_reference(seconds in -2_208_988_800i64..7_258_118_400i64) {
        let ours = KstDateTime::from_unix(seconds);
        let reference = time::OffsetDateTime::from_unix_timestamp(seconds).unwrap()
            .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
        prop_assert_eq!((ours.year, ours.month, ours.day), (i64::from(reference.year()), u32::from(u8::from(reference.month())), u32::from(reference.day())));
        prop_assert_eq!((ours.hour, ours.minute), (u32::from(reference.hour()), u32::from(reference.minute())));
    }

    /// Parsing is idempotent: a parsed value parses to itself.
    #[test]
    fn parsed_values_parse_to_themselves(raw in "[A-Za-z0-9._+-]{1,20}@[a-z0-9-]{1,10}\\.[a-z]{2,5}", slug in "[a-zA-Z0-9-]{0,45}") {
        if let Ok(email) = Email::parse(&raw) {
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email.clone());
            prop_assert_eq!(email.as_str(), raw.to_lowercase());
        }
        if let Ok(parsed) = Slug::parse(&slug) {
            prop_assert_eq!(Slug::parse(parsed.as_str()).unwrap(), parsed.clone());
            prop_assert!(!parsed.as_str().starts_with('-') && (2..=40).contains(&parsed.as_str().len()));
        }
    }

    /// Holding more roles never takes a permission away.
    #[test]
    fn permissions_grow_with_roles(mask in 0u8..64, extra in 0usize..6) {
        let roles: Vec<Role> = Role::ALL.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, r)| *r).collect();
        let mut more = roles.clone();
        more.push(Role::ALL[extra]);
        let (fewer, more) = (RoleSet::new(roles), RoleSet::new(more));
        for permission in [Permission::UseStaffWorkspace, Permission::ManageDepartments, Permission::ManageMembers,
            Permission::ViewAuditLog, Permission::ReportProgress, Permission::ReviewReports, Permission::ManagePlans,
            Permission::AnswerCitizens, Permission::AssignCitizenCases, Permission::ModerateContent,
            Permission::PublishNotices, Permission::RunCouncils, Permission::Evaluate] {
            prop_assert!(!fewer.allows(permission) || more.allows(permission));
        }
    }

    /// Metrics: statuses add up to the total; 0 ≤ implementation ≤ goal achievement ≤ 1;
    /// the result does not depend on the order of commitments.
    #[test]
    fn metrics_are_consistent(items in proptest::collection::vec((0usize..6, 0u8..=100, 0i64..1_000_000_000), 0..300)) {
        let taxonomy = Taxonomy::default();
        let states: Vec<CommitmentState> = items.iter().map(|(s, p, b)| CommitmentState {
            status: &taxonomy.statuses[*s].key, progress: *p, budget_secured: *b, budget_executed: b / 2,
        }).collect();
        let m = Metrics::compute(&taxonomy, states.clone());
        prop_assert_eq!(m.by_status.values().sum::<i64>(), m.total);
        prop_assert_eq!(m.total, items.len() as i64);
        prop_assert!(m.implementation.numerator <= m.goal_achievement.numerator);
        prop_assert!((0.0..=1.0).contains(&m.goal_achievement.fraction()));
        prop_assert!((0.0..=100.0).contains(&m.average_progress));
        let mut reversed = states;
        reversed.reverse();
        prop_assert_eq!(Metrics::compute(&taxonomy, reversed), m);
    }

    /// Period codes round-trip, and `next` walks through a year in order.
    #[test]
    fn periods_round_trip(year in 1900i32..9999, month in 1u32..=12, cadence in 0usize..3) {
        let cadence = Cadence::ALL[cadence];
        let period = Period::containing(cadence, year, month);
        prop_assert_eq!(Period::parse(&period.code()).unwrap(), period);
        let (first, last) = period.months();
        prop_assert!(first <= month && month <= last);
        prop_assert!(period.next() > period || period.next().year == year + 1);
    }
}
