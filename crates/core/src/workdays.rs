//! The working calendar of Korean public offices, for deadlines counted the way the
//! law counts them (REFERENCE "Complaints": 민원 처리에 관한 법률 제19조, 시행령 제19조).
//!
//! - Working days: Monday to Friday, except the public holidays of 관공서의 공휴일에
//!   관한 규정 (`data/holidays-kr.csv`, 2020–2030, lunar and substitute holidays
//!   included). Saturdays and holidays are not counted.
//! - Working hours: 09:00–12:00 and 13:00–18:00 KST (국가공무원 복무규정 제9조), so one
//!   day is 8 working hours.
//! - A period of up to 5 days is counted in working hours from the moment of receipt;
//!   one of 6 days or more in working days, the day of receipt counted as the first
//!   (when it is a working day), ending at the close of the last day.
//!
//! Everything is in Unix seconds; a date outside the table's years is an error rather
//! than a guess, so that a missing year is noticed before a deadline is wrong.

use crate::format::{civil_from_days, days_from_civil, KST_OFFSET_SECONDS};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DAY: i64 = 86_400;
const HOUR: i64 = 3600;
/// The two working stretches of a day, in seconds after KST midnight.
const STRETCHES: [(i64, i64); 2] = [(9 * HOUR, 12 * HOUR), (13 * HOUR, 18 * HOUR)];
/// The close of a working day (18:00), when a period counted in days ends.
const CLOSE: i64 = 18 * HOUR;
/// The holidays on fixed dates (관공서의 공휴일에 관한 규정 제2조): 1월 1일, 삼일절,
/// 어린이날, 현충일, 광복절, 개천절, 한글날, 기독탄신일. A year added to the table
/// must list at least these.
pub const FIXED_DATES: [&str; 8] = ["01-01", "03-01", "05-05", "06-06", "08-15", "10-03", "10-09", "12-25"];
/// Working hours in a day (시행령 제19조: 1일은 8시간).
pub const HOURS_PER_DAY: i64 = 8;

/// A processing period as the law states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Counted in working hours (기타민원 "즉시" = 3 hours; receipt within 8 hours).
    Hours(i64),
    /// Counted in days: up to 5 in working hours (8 a day), 6 or more in working days.
    Days(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The holiday table has no entries for this year: add it before counting in it.
    #[error("no holidays known for {0}")]
    YearNotCovered(i64),
    /// A year added to the table without what makes it a counted year.
    #[error("{0}: {1}")]
    YearIncomplete(i64, &'static str),
    /// A line of a holiday table that is not `YYYY-MM-DD,name`.
    #[error("line {line}: {reason}")]
    BadLine { line: usize, reason: &'static str },
}

/// Public holidays by day number (days since 1970-01-01), and the years they cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holidays {
    days: BTreeMap<i64, String>,
    first_year: i64,
    last_year: i64,
}

impl Holidays {
    /// The shipped table, `data/holidays-kr.csv`.
    pub fn official() -> &'static Holidays {
        static OFFICIAL: OnceLock<Holidays> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            Holidays::parse(include_str!("../data/holidays-kr.csv")).expect("the shipped holiday table parses")
        })
    }

    /// A table of `YYYY-MM-DD,name` lines ([`entries`]). Covers every year from its
    /// first date's to its last date's.
    pub fn parse(text: &str) -> Result<Holidays, CalendarError> {
        let mut days = BTreeMap::new();
        for (line, date, name) in entries(text)? {
            let day = day_of(&date).ok_or(CalendarError::BadLine { line, reason: "not a date (YYYY-MM-DD)" })?;
            if days.insert(day, name).is_some() {
                return Err(CalendarError::BadLine { line, reason: "the date is listed twice" });
            }
        }
        let year = |day: Option<(&i64, &String)>| day.map(|(d, _)| civil_from_days(*d).0);
        let (Some(first_year), Some(last_year)) = (year(days.first_key_value()), year(days.last_key_value())) else {
            return Err(CalendarError::BadLine { line: 0, reason: "no holidays" });
        };
        Ok(Holidays { days, first_year, last_year })
    }

    /// This table with holidays added after it was shipped (`YYYY-MM-DD`, name): a
    /// holiday the government declares, or a whole year beyond the table. A year new
    /// to the table must come right after its last and list at least its fixed-date
    /// holidays ([`FIXED_DATES`]), so that a year with one temporary holiday alone is
    /// never taken for a counted year. Errors name the entry (1 = the first).
    pub fn with_added(&self, added: &[(String, String)]) -> Result<Holidays, CalendarError> {
        let mut merged = self.clone();
        let mut new_years = std::collections::BTreeSet::new();
        for (n, (date, name)) in added.iter().enumerate() {
            let bad = |reason| CalendarError::BadLine { line: n + 1, reason };
            let day = day_of(date).ok_or(bad("not a date (YYYY-MM-DD)"))?;
            if name.trim().is_empty() {
                return Err(bad("the holiday has no name"));
            }
            if merged.days.insert(day, name.trim().to_string()).is_some() {
                return Err(bad("the date is already a holiday"));
            }
            let year = civil_from_days(day).0;
            if year < self.first_year {
                return Err(bad("before the years the table covers"));
            }
            if year > self.last_year {
                new_years.insert(year);
            }
        }
        for (i, year) in new_years.iter().enumerate() {
            if *year != self.last_year + 1 + i as i64 {
                return Err(CalendarError::YearIncomplete(*year, "years must be added in order"));
            }
            let fixed =
                FIXED_DATES.iter().all(|md| merged.days.contains_key(&day_of(&format!("{year}-{md}")).unwrap_or(-1)));
            if !fixed {
                return Err(CalendarError::YearIncomplete(*year, "a new year lists at least its fixed-date holidays"));
            }
            merged.last_year = *year;
        }
        Ok(merged)
    }

    /// The holidays of one year, in order (`YYYY-MM-DD`, name).
    pub fn of_year(&self, year: i64) -> Vec<(String, &str)> {
        let (from, until) = (days_from_civil(year, 1, 1), days_from_civil(year, 12, 31));
        self.days.range(from..=until).map(|(day, name)| (crate::format::iso_date_of_day(*day), name.as_str())).collect()
    }

    /// The first and last year the table covers.
    pub fn years(&self) -> (i64, i64) {
        (self.first_year, self.last_year)
    }

    /// The holiday's name on a day (days since 1970-01-01), if it is one.
    pub fn holiday(&self, day: i64) -> Option<&str> {
        self.days.get(&day).map(String::as_str)
    }

    /// Whether public offices work on this day; an error outside the table's years.
    pub fn is_working_day(&self, day: i64) -> Result<bool, CalendarError> {
        let year = civil_from_days(day).0;
        if year < self.first_year || year > self.last_year {
            return Err(CalendarError::YearNotCovered(year));
        }
        // 1970-01-01 was a Thursday: 0 = Thursday … 2 = Saturday, 3 = Sunday.
        let weekday = day.rem_euclid(7);
        Ok(weekday != 2 && weekday != 3 && !self.days.contains_key(&day))
    }

    /// When a period that starts at `from` (Unix seconds) ends.
    pub fn due(&self, from: i64, period: Period) -> Result<i64, CalendarError> {
        match period {
            Period::Hours(hours) => self.after_working_hours(from, hours),
            Period::Days(days) if days <= 5 => self.after_working_hours(from, days * HOURS_PER_DAY),
            Period::Days(days) => self.close_of_working_day(from, days),
        }
    }

    /// The moment `hours` working hours after `from` have passed.
    fn after_working_hours(&self, from: i64, hours: i64) -> Result<i64, CalendarError> {
        let mut left = hours * HOUR;
        let (mut day, mut at) = kst_day_and_second(from);
        loop {
            if self.is_working_day(day)? {
                for (start, end) in STRETCHES {
                    let begin = at.max(start);
                    if begin >= end {
                        continue;
                    }
                    if begin + left <= end {
                        return Ok(unix_of(day, begin + left));
                    }
                    left -= end - begin;
                }
            }
            day += 1;
            at = 0;
        }
    }

    /// The close (18:00) of the `days`-th working day from `from`'s day, that day
    /// counted as the first when it is a working day.
    fn close_of_working_day(&self, from: i64, days: i64) -> Result<i64, CalendarError> {
        let (mut day, _) = kst_day_and_second(from);
        let mut counted = 0;
        loop {
            if self.is_working_day(day)? {
                counted += 1;
                if counted == days {
                    return Ok(unix_of(day, CLOSE));
                }
            }
            day += 1;
        }
    }
}

/// The lines of a holiday file: `YYYY-MM-DD,name`, after an optional `date,name`
/// header; `#` lines and blank lines are skipped. Each with its line number.
pub fn entries(text: &str) -> Result<Vec<(usize, String, String)>, CalendarError> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line == "date,name" {
            continue;
        }
        let bad = |reason| CalendarError::BadLine { line: n + 1, reason };
        let (date, name) = line.split_once(',').ok_or(bad("expected date,name"))?;
        day_of(date).ok_or(bad("not a date (YYYY-MM-DD)"))?;
        if name.trim().is_empty() {
            return Err(bad("the holiday has no name"));
        }
        found.push((n + 1, date.trim().to_string(), name.trim().to_string()));
    }
    Ok(found)
}

/// Days since 1970-01-01 of `YYYY-MM-DD`, checked.
fn day_of(iso: &str) -> Option<i64> {
    let mut parts = iso.trim().splitn(3, '-');
    let (year, month, day) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    let n = days_from_civil(year, month, day);
    (civil_from_days(n) == (year, month, day)).then_some(n)
}

/// The KST day (days since 1970-01-01) of a moment and the seconds since its midnight.
fn kst_day_and_second(unix: i64) -> (i64, i64) {
    let local = unix + KST_OFFSET_SECONDS;
    (local.div_euclid(DAY), local.rem_euclid(DAY))
}

fn unix_of(day: i64, second: i64) -> i64 {
    day * DAY + second - KST_OFFSET_SECONDS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A KST moment: `kst("2026-09-21", 10, 0)`.
    fn kst(date: &str, hour: i64, minute: i64) -> i64 {
        unix_of(day_of(date).unwrap(), hour * HOUR + minute * 60)
    }

    fn due(from: i64, period: Period) -> i64 {
        Holidays::official().due(from, period).unwrap()
    }

    #[test]
    fn the_shipped_table_covers_2020_to_2030_with_lunar_and_substitute_holidays() {
        let table = Holidays::official();
        assert_eq!((table.first_year, table.last_year), (2020, 2030));
        assert_eq!(table.holiday(day_of("2026-09-25").unwrap()), Some("추석"));
        assert_eq!(table.holiday(day_of("2026-10-05").unwrap()), Some("개천절 대체 휴일"));
        assert_eq!(table.holiday(day_of("2026-05-25").unwrap()), Some("부처님오신날 대체 휴일"));
        assert_eq!(table.holiday(day_of("2026-06-03").unwrap()), Some("지방선거일"));
        assert!(!table.is_working_day(day_of("2026-09-26").unwrap()).unwrap(), "a Saturday");
        assert!(!table.is_working_day(day_of("2026-09-27").unwrap()).unwrap(), "a Sunday");
        assert!(table.is_working_day(day_of("2026-09-28").unwrap()).unwrap(), "a Monday after 추석");
        assert_eq!(table.is_working_day(day_of("2031-01-02").unwrap()), Err(CalendarError::YearNotCovered(2031)));
    }

    // Hand-computed, day by day, from the 2026 and 2025 calendars.

    #[test]
    fn fourteen_days_across_chuseok_and_a_substitute_holiday() {
        // 건의민원 14일, received Monday 2026-09-21: 21, 22, 23 (1–3); 24–26 추석; 28, 29,
        // 30, 10-01, 10-02 (4–8); 10-05 개천절 대체 휴일; 6, 7, 8 (9–11); 10-09 한글날;
        // 12, 13, 14 (12–14).
        assert_eq!(due(kst("2026-09-21", 10, 0), Period::Days(14)), kst("2026-10-14", 18, 0));
    }

    #[test]
    fn seven_days_across_a_substitute_holiday() {
        // 고충민원 7일, received Friday 2026-05-22: 22 (1); 25 부처님오신날 대체 휴일;
        // 26, 27, 28, 29 (2–5); 06-01, 06-02 (6, 7). The election day after is not reached.
        assert_eq!(due(kst("2026-05-22", 15, 0), Period::Days(7)), kst("2026-06-02", 18, 0));
    }

    #[test]
    fn a_period_begun_on_a_holiday_counts_from_the_next_working_day() {
        // Received on 광복절, a Saturday, 2026-08-15; 08-17 is its substitute holiday:
        // 18, 19, 20, 21 (1–4), 24–28 (5–9), 31, 09-01–09-04 (10–14).
        assert_eq!(due(kst("2026-08-15", 11, 0), Period::Days(14)), kst("2026-09-04", 18, 0));
    }

    #[test]
    fn three_working_hours_across_the_chuseok_weekend() {
        // 기타민원 즉시 (3 hours), received Wednesday 2026-09-23 16:30: 1.5 hours that day,
        // then 24–27 are holidays and the weekend; 1.5 hours on Monday from 09:00.
        assert_eq!(due(kst("2026-09-23", 16, 30), Period::Hours(3)), kst("2026-09-28", 10, 30));
    }

    #[test]
    fn five_days_are_forty_working_hours_across_a_long_holiday() {
        // Received Thursday 2025-10-02 11:00: 6 hours that day (11–12, 13–18); 10-03
        // 개천절, the weekend, 10-06–10-08 추석 and its substitute, 10-09 한글날; then
        // 10-10, 13, 14, 15 (8 hours each: 38) and 2 hours on 10-16.
        assert_eq!(due(kst("2025-10-02", 11, 0), Period::Days(5)), kst("2025-10-16", 11, 0));
    }

    #[test]
    fn receipt_within_eight_working_hours_across_seollal() {
        // Arrived Friday 2026-02-13 17:00: 1 hour that day; 16–18 설날; 7 hours on
        // Thursday 19: 09–12 and 13–17.
        assert_eq!(due(kst("2026-02-13", 17, 0), Period::Hours(8)), kst("2026-02-19", 17, 0));
    }

    #[test]
    fn lunch_and_the_evening_are_not_working_hours() {
        // Received at 12:30 on Tuesday 2026-12-01: counting starts at 13:00.
        assert_eq!(due(kst("2026-12-01", 12, 30), Period::Hours(2)), kst("2026-12-01", 15, 0));
        // Received at 20:00: counting starts at 09:00 the next working day.
        assert_eq!(due(kst("2026-12-01", 20, 0), Period::Hours(3)), kst("2026-12-02", 12, 0));
        // Exactly a full day: 8 hours from 09:00 end at 18:00 that day.
        assert_eq!(due(kst("2026-12-01", 9, 0), Period::Hours(8)), kst("2026-12-01", 18, 0));
    }

    #[test]
    fn a_period_past_the_table_is_an_error_not_a_guess() {
        let late = kst("2030-12-20", 10, 0);
        assert_eq!(Holidays::official().due(late, Period::Days(14)), Err(CalendarError::YearNotCovered(2031)));
    }

    fn entries(lines: &[(&str, &str)]) -> Vec<(String, String)> {
        lines.iter().map(|(d, n)| (d.to_string(), n.to_string())).collect()
    }

    #[test]
    fn a_year_is_added_whole_and_a_declared_holiday_counts() {
        let official = Holidays::official();
        let fixed: Vec<(String, String)> =
            FIXED_DATES.iter().map(|md| (format!("2031-{md}"), "고정 공휴일".to_string())).collect();
        let mut year = fixed.clone();
        year.push(("2031-01-22".into(), "설날 전날".into()));
        let added = official.with_added(&year).unwrap();
        assert_eq!(added.years(), (2020, 2031));
        // Friday 2030-12-20 (1); 23, 24 (2, 3); 25 기독탄신일; 26, 27, 30, 31 (4–7);
        // 2031-01-01; 2, 3 (8, 9); 6–10 (10–14).
        assert_eq!(added.due(kst("2030-12-20", 10, 0), Period::Days(14)), Ok(kst("2031-01-10", 18, 0)));
        assert_eq!(added.of_year(2031).len(), 9);
        // A temporary holiday declared in a covered year moves deadlines across it.
        let declared = official.with_added(&entries(&[("2026-12-21", "임시공휴일")])).unwrap();
        // 7 days from Friday 2026-12-18: 18, 21–24, (25 기독탄신일), 28, 29; with 21 off, 30.
        assert_eq!(due(kst("2026-12-18", 10, 0), Period::Days(7)), kst("2026-12-29", 18, 0));
        assert_eq!(declared.due(kst("2026-12-18", 10, 0), Period::Days(7)), Ok(kst("2026-12-30", 18, 0)));
        // A year with a single holiday is not a counted year; years come in order.
        assert_eq!(
            official.with_added(&entries(&[("2031-01-02", "임시공휴일")])),
            Err(CalendarError::YearIncomplete(2031, "a new year lists at least its fixed-date holidays"))
        );
        let later: Vec<(String, String)> =
            FIXED_DATES.iter().map(|md| (format!("2032-{md}"), "고정 공휴일".to_string())).collect();
        assert!(matches!(official.with_added(&later), Err(CalendarError::YearIncomplete(2032, _))));
        assert_eq!(
            official.with_added(&entries(&[("2026-09-25", "추석")])),
            Err(CalendarError::BadLine { line: 1, reason: "the date is already a holiday" })
        );
    }

    #[test]
    fn a_bad_table_names_its_line() {
        assert_eq!(
            Holidays::parse("date,name\n2026-02-30,없는 날\n").unwrap_err(),
            CalendarError::BadLine { line: 2, reason: "not a date (YYYY-MM-DD)" }
        );
        assert_eq!(
            Holidays::parse("2026-01-01,1월 1일\n2026-01-01,신정\n").unwrap_err(),
            CalendarError::BadLine { line: 2, reason: "the date is listed twice" }
        );
    }
}
