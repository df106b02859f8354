//! Numbers, amounts and dates the Korean way (and the English way for the switch).
//!
//! One way to write each thing, used by every page: dates `2026. 3. 1.` (also for
//! dates stored as `2026-03-01`), amounts `1,234,000원` exactly or, in headlines, as
//! people say them (`1,382억 5,000만 원`), decimals with thousands separators, periods
//! `2026년 2분기` (`commitments::period`); times are Korea Standard Time (UTC+9, no
//! daylight saving).

/// Korea Standard Time offset from UTC, in seconds.
pub const KST_OFFSET_SECONDS: i64 = 9 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An amount in won: `1,234,000원` in Korean, `₩1,234,000` in English.
pub fn krw(amount: i64, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}원", group_thousands(amount)),
        Lang::En if amount < 0 => format!("-₩{}", group_thousands(-amount)),
        Lang::En => format!("₩{}", group_thousands(amount)),
    }
}

/// A file's size as people read it: `850 B`, `12 KB`, `3.4 MB` (1 KB = 1,024 bytes,
/// one decimal below 10).
pub fn file_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    let (value, unit) = if b < KB {
        return format!("{bytes} B");
    } else if b < KB * KB {
        (b / KB, "KB")
    } else {
        (b / (KB * KB), "MB")
    };
    if value < 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{} {unit}", group_thousands(value.round() as i64))
    }
}

/// A calendar date and time of day in KST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KstDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl KstDateTime {
    pub fn from_unix(seconds: i64) -> Self {
        let local = seconds + KST_OFFSET_SECONDS;
        let days = local.div_euclid(86_400);
        let secs_of_day = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        KstDateTime { year, month, day, hour: (secs_of_day / 3600) as u32, minute: (secs_of_day % 3600 / 60) as u32 }
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The date (`2026-03-01`) `days` days after 1970-01-01 (spreadsheet date cells).
pub fn iso_date_of_day(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The KST calendar date (`2026-03-15`) `days` days after the KST day of `unix_seconds`:
/// a deadline "14 days from assignment" ends on that date.
pub fn kst_date_after(unix_seconds: i64, days: i64) -> String {
    iso_date_of_day((unix_seconds + KST_OFFSET_SECONDS).div_euclid(86_400) + days)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of `civil_from_days`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A calendar date as people and spreadsheets write it — `2026-03-01`, `2026. 3. 1.`,
/// `2026/3/1` or `20260301` — as `2026-03-01`; `None` for anything that is not a real
/// date between 1900 and 2999 (no 2월 30일). The one strict date parser.
pub fn parse_date(raw: &str) -> Option<String> {
    let text = raw.trim().trim_end_matches('.');
    let parts: Vec<&str> = if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        vec![&text[0..4], &text[4..6], &text[6..8]]
    } else {
        text.split(['-', '.', '/']).map(str::trim).filter(|p| !p.is_empty()).collect()
    };
    let [year, month, day] = parts.as_slice() else { return None };
    let (year, month, day): (i64, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(month - 1) as usize];
    if !(1..=days).contains(&day) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Whole days from today (in KST, at `now`) to a stored date (`2026-10-10`): 0 on the
/// day, negative once it has passed. `None` for text that is not such a date.
pub fn days_until(iso: &str, now_unix: i64) -> Option<i64> {
    let parts: Vec<&str> = iso.trim().split('-').collect();
    let [year, month, day] = parts.as_slice() else { return None };
    let (year, month, day) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let today = (now_unix + KST_OFFSET_SECONDS).div_euclid(86_400);
    Some(days_from_civil(year, month, day) - today)
}

/// The moment a stored date (`2026-10-20`) begins in KST, plus `hour` hours, in Unix
/// seconds; `None` for text that is not such a date.
pub fn kst_unix(iso: &str, hour: i64) -> Option<i64> {
    let days = days_until(iso, 0)? + (KST_OFFSET_SECONDS).div_euclid(86_400);
    Some(days * 86_400 - KST_OFFSET_SECONDS + hour * 3600)
}

/// A deadline as Korean offices write it: `D-12`, `D-day`, `3일 지남`.
pub fn d_day(days: i64, lang: Lang) -> String {
    match (lang, days) {
        (Lang::Ko, 0) => "D-day".into(),
        (Lang::Ko, d) if d > 0 => format!("D-{d}"),
        (Lang::Ko, d) => format!("{}일 지남", -d),
        (Lang::En, 0) => "due today".into(),
        (Lang::En, 1) => "1 day left".into(),
        (Lang::En, d) if d > 0 => format!("{d} days left"),
        (Lang::En, -1) => "1 day overdue".into(),
        (Lang::En, d) => format!("{} days overdue", -d),
    }
}

/// `2026. 11. 22.` / `22 Nov 2026`: the one way a date is written.
pub fn date(unix_seconds: i64, lang: Lang) -> String {
    let t = KstDateTime::from_unix(unix_seconds);
    calendar_date(t.year, t.month, t.day, lang)
}

fn calendar_date(year: i64, month: u32, day: u32, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{year}. {month}. {day}."),
        Lang::En => format!("{day} {} {year}", MONTHS_EN[(month - 1) as usize]),
    }
}

/// A stored date (`2026-03-01`) written as [`date`] writes one; other text as given.
pub fn iso_date(text: &str, lang: Lang) -> String {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [year, month, day] = parts.as_slice() else { return text.to_string() };
    match (year.parse::<i64>(), month.parse::<u32>(), day.parse::<u32>()) {
        (Ok(year), Ok(month @ 1..=12), Ok(day @ 1..=31)) if year.to_string().len() == 4 => {
            calendar_date(year, month, day, lang)
        }
        _ => text.to_string(),
    }
}

/// An amount as people say it, for headlines (the exact figure goes beside it, in a
/// table or a `title`): from 1억 up `1,382억 5,000만 원` (below 만 left out), whole 만
/// below that `9,000만 원`, other amounts exactly; in English `₩138.25 billion`,
/// `₩12.5 million`.
pub fn krw_readable(amount: i64, lang: Lang) -> String {
    const EOK: i64 = 100_000_000;
    const MAN: i64 = 10_000;
    let sign = if amount < 0 { "-" } else { "" };
    let value = amount.unsigned_abs() as i64;
    match lang {
        Lang::Ko if value >= EOK => {
            let (eok, man) = (value / EOK, value % EOK / MAN);
            if man == 0 {
                format!("{sign}{}억 원", group_thousands(eok))
            } else {
                format!("{sign}{}억 {}만 원", group_thousands(eok), group_thousands(man))
            }
        }
        Lang::Ko if value >= MAN && value % MAN == 0 => format!("{sign}{}만 원", group_thousands(value / MAN)),
        Lang::Ko => krw(amount, lang),
        Lang::En => {
            let (unit, size) = match value {
                v if v >= 1_000_000_000_000 => ("trillion", 1e12),
                v if v >= 1_000_000_000 => ("billion", 1e9),
                v if v >= 1_000_000 => ("million", 1e6),
                _ => return krw(amount, lang),
            };
            let scaled = format!("{:.2}", value as f64 / size);
            let scaled = scaled.trim_end_matches('0').trim_end_matches('.');
            format!("{sign}₩{scaled} {unit}")
        }
    }
}

/// A decimal as stored (`10000.5`) with thousands separators (`10,000.5`); other text
/// as given.
pub fn decimal(text: &str) -> String {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    match whole.parse::<i64>() {
        Ok(number) if fraction.bytes().all(|b| b.is_ascii_digit()) && !whole.starts_with('+') => {
            if fraction.is_empty() {
                group_thousands(number)
            } else {
                format!("{}.{fraction}", group_thousands(number))
            }
        }
        _ => text.to_string(),
    }
}

/// `2026. 11. 22. 14:05` / `22 Nov 2026 14:05` (KST), for tables and logs.
pub fn date_time(unix_seconds: i64, lang: Lang) -> String {
    let t = KstDateTime::from_unix(unix_seconds);
    match lang {
        Lang::Ko => format!("{}. {}. {}. {:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute),
        Lang::En => format!("{} {} {} {:02}:{:02}", t.day, MONTHS_EN[(t.month - 1) as usize], t.year, t.hour, t.minute),
    }
}

/// `2026-12-01T03:00:00Z`: RFC 3339 in UTC, as Atom feeds write dates.
pub fn rfc3339(unix_seconds: i64) -> String {
    let t = KstDateTime::from_unix(unix_seconds - KST_OFFSET_SECONDS);
    let seconds = unix_seconds.rem_euclid(60);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{seconds:02}Z", t.year, t.month, t.day, t.hour, t.minute)
}

/// `Tue, 01 Dec 2026 03:00:00 +0000`: RFC 822 in UTC, as RSS 2.0 writes dates.
pub fn rfc822(unix_seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let t = KstDateTime::from_unix(unix_seconds - KST_OFFSET_SECONDS);
    let weekday = DAYS[unix_seconds.div_euclid(86_400).rem_euclid(7) as usize];
    let seconds = unix_seconds.rem_euclid(60);
    let month = MONTHS_EN[(t.month - 1) as usize];
    format!("{weekday}, {:02} {month} {:04} {:02}:{:02}:{seconds:02} +0000", t.day, t.year, t.hour, t.minute)
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The largest amount of one budget line: 1,000조 원, above any Korean public
/// budget, so that the four sources of a commitment add up without overflowing
/// (two maximal parts once showed as −2원).
pub const MAX_KRW: i64 = 1_000_000_000_000_000;

/// `1,234,000`, `1234000원`, `1억 2천만`, `3억 5,000만 원`, empty (0). Whole won, not
/// negative, at most [`MAX_KRW`]; commas only between groups of three digits (`1,2,3`
/// is not an amount); Korean units as people write them: 조, 억, 만 close a group and
/// 천, 백, 십 count inside one (`1억 2천만` = 120,000,000).
pub fn parse_krw(raw: &str) -> Option<i64> {
    let cleaned: String = raw.trim().trim_end_matches('원').chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Some(0);
    }
    if cleaned.contains(['조', '억', '만', '천', '백', '십']) {
        return parse_korean_units(&cleaned).filter(|amount| *amount <= MAX_KRW);
    }
    plain_number(&cleaned).filter(|amount| *amount <= MAX_KRW)
}

/// Digits, with commas only between groups of three.
fn plain_number(text: &str) -> Option<i64> {
    let groups: Vec<&str> = text.split(',').collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let digits: String = groups.concat();
    if !grouped_well || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok()
}

fn parse_korean_units(text: &str) -> Option<i64> {
    let (mut total, mut group, mut pending): (i64, i64, Option<i64>) = (0, 0, None);
    // Each closing unit must be smaller than the one before (조 > 억 > 만).
    let mut last_closing = i64::MAX;
    let mut number = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() || c == ',' {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            if pending.is_some() {
                return None;
            }
            pending = Some(plain_number(&number)?);
            number.clear();
        }
        let counting = match c {
            '천' => Some(1_000),
            '백' => Some(100),
            '십' => Some(10),
            _ => None,
        };
        let closing = match c {
            '조' => Some(1_000_000_000_000),
            '억' => Some(100_000_000),
            '만' => Some(10_000),
            '\0' => Some(1),
            _ => None,
        };
        match (counting, closing) {
            (Some(unit), _) => group = group.checked_add(pending.take().unwrap_or(1).checked_mul(unit)?)?,
            (_, Some(unit)) => {
                group = group.checked_add(pending.take().unwrap_or(0))?;
                if unit >= last_closing || (group == 0 && unit > 1) {
                    return None;
                }
                total = total.checked_add(group.checked_mul(unit)?)?;
                (group, last_closing) = (0, unit);
            }
            _ => return None,
        }
    }
    Some(total)
}

/// A non-negative decimal with at most 4 decimals (`10000`, `12.5`, `1,200`), as an
/// indicator's target or actual: normalised text (`012.50` → `12.5`), kept exact.
pub fn parse_decimal(field: &'static str, raw: &str) -> Result<String, crate::FieldError> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 4 || whole.len() > 15 {
        return Err(crate::FieldError::new(field, "invalid_number"));
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    Ok(if fraction.is_empty() { whole.to_string() } else { format!("{whole}.{fraction}") })
}

#[cfg(test)]
mod deadline_tests {
    use super::*;

    #[test]
    fn days_until_counts_kst_calendar_days() {
        // 2026-10-09 23:30 KST is 14:30 UTC.
        let evening = 1_791_556_200;
        assert_eq!(KstDateTime::from_unix(evening).day, 9);
        assert_eq!(days_until("2026-10-10", evening), Some(1));
        assert_eq!(days_until("2026-10-09", evening), Some(0));
        assert_eq!(days_until("2026-10-01", evening), Some(-8));
        assert_eq!(days_until("2027-01-01", evening), Some(84));
        assert_eq!(days_until("soon", evening), None);
        let morning = kst_unix("2026-10-10", 9).unwrap();
        let t = KstDateTime::from_unix(morning);
        assert_eq!((t.year, t.month, t.day, t.hour), (2026, 10, 10, 9));
        for days in [-800_000, -1, 0, 59, 10_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn deadlines_read_as_offices_write_them() {
        assert_eq!(d_day(12, Lang::Ko), "D-12");
        assert_eq!(d_day(0, Lang::Ko), "D-day");
        assert_eq!(d_day(-3, Lang::Ko), "3일 지남");
        assert_eq!(d_day(-1, Lang::En), "1 day overdue");
    }
}

#[cfg(test)]
mod file_size_tests {
    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(super::file_size(850), "850 B");
        assert_eq!(super::file_size(12 * 1024 + 300), "12 KB");
        assert_eq!(super::file_size(1536), "1.5 KB");
        assert_eq!(super::file_size(3_565_158), "3.4 MB");
        assert_eq!(super::file_size(20 * 1024 * 1024), "20 MB");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(-1_234_567), "-1,234,567");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn won() {
        assert_eq!(krw(1_234_000, Lang::Ko), "1,234,000원");
        assert_eq!(krw(1_234_000, Lang::En), "₩1,234,000");
        assert_eq!(krw(-500, Lang::En), "-₩500");
    }

    #[test]
    fn dates_are_kst() {
        // 2026-11-22T15:30:00Z is 2026-11-23 00:30 in Seoul.
        let t = 1_795_361_400;
        assert_eq!(date(t, Lang::Ko), "2026. 11. 23.");
        assert_eq!(date_time(t, Lang::Ko), "2026. 11. 23. 00:30");
        assert_eq!(date_time(t, Lang::En), "23 Nov 2026 00:30");
        assert_eq!(date(0, Lang::Ko), "1970. 1. 1.");
        // Leap day.
        assert_eq!(date(951_782_400 - KST_OFFSET_SECONDS, Lang::Ko), "2000. 2. 29.");
    }
}

#[cfg(test)]
mod readable_tests {
    use super::*;

    #[test]
    fn feed_dates_are_utc() {
        // 2026-12-01 12:34:56 KST is 03:34:56 UTC, a Tuesday.
        let at = 1_796_096_096;
        assert_eq!(rfc3339(at), "2026-12-01T03:34:56Z");
        assert_eq!(rfc822(at), "Tue, 01 Dec 2026 03:34:56 +0000");
        assert_eq!(rfc822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    }

    #[test]
    fn amounts_are_read_with_korean_units() {
        assert_eq!(parse_krw("1억 2천만"), Some(120_000_000));
        assert_eq!(parse_krw("1억2000만원"), Some(120_000_000));
        assert_eq!(parse_krw("3억 5,000만 원"), Some(350_000_000));
        assert_eq!(parse_krw("3천만원"), Some(30_000_000));
        assert_eq!(parse_krw("1,382억 5,000만"), Some(138_250_000_000));
        assert_eq!(parse_krw("2조 1억 300"), Some(2_000_100_000_300));
        assert_eq!(parse_krw("5천"), Some(5_000));
        assert_eq!(parse_krw("120,000,000"), Some(120_000_000));
        for bad in ["1만 2억", "억", "1억억", "1,2억", "일억", "1억 -5만", "1001조"] {
            assert_eq!(parse_krw(bad), None, "{bad}");
        }
    }

    #[test]
    fn one_way_to_write_dates_amounts_and_decimals() {
        assert_eq!(iso_date("2026-03-01", Lang::Ko), "2026. 3. 1.");
        assert_eq!(iso_date("2026-12-31", Lang::En), "31 Dec 2026");
        assert_eq!(iso_date("상반기", Lang::Ko), "상반기");
        assert_eq!(iso_date("2026-13-01", Lang::Ko), "2026-13-01");
        assert_eq!(krw_readable(138_250_000_000, Lang::Ko), "1,382억 5,000만 원");
        assert_eq!(krw_readable(300_000_000, Lang::Ko), "3억 원");
        assert_eq!(krw_readable(102_005_000, Lang::Ko), "1억 200만 원");
        assert_eq!(krw_readable(99_999_999, Lang::Ko), "99,999,999원");
        assert_eq!(krw_readable(90_000_000, Lang::Ko), "9,000만 원");
        assert_eq!(krw_readable(10_000, Lang::Ko), "1만 원");
        assert_eq!(krw_readable(9_000, Lang::Ko), "9,000원");
        assert_eq!(krw_readable(-250_000_000, Lang::Ko), "-2억 5,000만 원");
        assert_eq!(krw_readable(138_250_000_000, Lang::En), "₩138.25 billion");
        assert_eq!(krw_readable(12_500_000, Lang::En), "₩12.5 million");
        assert_eq!(krw_readable(950_000, Lang::En), "₩950,000");
        assert_eq!(decimal("10000"), "10,000");
        assert_eq!(decimal("1234567.25"), "1,234,567.25");
        assert_eq!(decimal("12.5"), "12.5");
        assert_eq!(decimal("약 30"), "약 30");
    }
}

#[cfg(test)]
mod decimal_tests {
    use super::parse_decimal as parse_value;

    #[test]
    fn values_are_exact_decimals() {
        assert_eq!(parse_value("v", "10,000").unwrap(), "10000");
        assert_eq!(parse_value("v", "012.50").unwrap(), "12.5");
        assert_eq!(parse_value("v", "0").unwrap(), "0");
        for bad in ["", "-1", "1.23456", "abc", "1.2.3", ".5"] {
            assert_eq!(parse_value("v", bad).unwrap_err().code, "invalid_number", "{bad}");
        }
    }
}
