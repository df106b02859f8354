//! Numbers, amounts and dates the Korean way (and the English way for the switch).
//!
//! Korean government pages write `1,234,000원` and `2026. 11. 22.` or
//! `2026년 11월 22일`; times are Korea Standard Time (UTC+9, no daylight saving).

/// Korea Standard Time offset from UTC, in seconds.
pub const KST_OFFSET_SECONDS: i64 = 9 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
fn civil_from_days(days: i64) -> (i64, u32, u32) {
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

/// `2026년 11월 22일` / `22 Nov 2026`.
pub fn date(unix_seconds: i64, lang: Lang) -> String {
    let t = KstDateTime::from_unix(unix_seconds);
    match lang {
        Lang::Ko => format!("{}년 {}월 {}일", t.year, t.month, t.day),
        Lang::En => format!("{} {} {}", t.day, MONTHS_EN[(t.month - 1) as usize], t.year),
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

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

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
        assert_eq!(date(t, Lang::Ko), "2026년 11월 23일");
        assert_eq!(date_time(t, Lang::Ko), "2026. 11. 23. 00:30");
        assert_eq!(date_time(t, Lang::En), "23 Nov 2026 00:30");
        assert_eq!(date(0, Lang::Ko), "1970년 1월 1일");
        // Leap day.
        assert_eq!(date(951_782_400 - KST_OFFSET_SECONDS, Lang::Ko), "2000년 2월 29일");
    }
}
