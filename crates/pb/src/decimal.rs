//! Exact decimal amounts: budgets, costs and points as written in a `.pb` file.
//!
//! Pabulib files write amounts as `400000`, `400000.0` or `1,5`. Floating point would
//! make "does it fit the budget?" depend on rounding, so amounts are kept as an integer
//! count of 10^-scale units; division (equal shares) happens in [`num_rational`] rationals.

use num_bigint::BigInt;
use num_rational::BigRational;
use std::cmp::Ordering;
use std::fmt;

/// An exact decimal number, normalised (no trailing fractional zeros), so that two
/// equal values are equal field by field.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// Why a text is not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("empty number")]
    Empty,
    #[error("\"{0}\" is not a decimal number")]
    Invalid(String),
    #[error("\"{0}\" has too many digits")]
    TooLong(String),
}

const MAX_DIGITS: usize = 36;
const MAX_SCALE: u32 = 18;

impl Decimal {
    pub const ZERO: Decimal = Decimal { units: 0, scale: 0 };

    pub fn from_int(value: i64) -> Decimal {
        Decimal { units: value as i128, scale: 0 }
    }

    /// Parses `123`, `123.45`, `1,5` (a comma as the decimal separator, as some files
    /// write it) and a leading `-`. No exponents, no thousands separators.
    pub fn parse(text: &str) -> Result<Decimal, DecimalError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DecimalError::Empty);
        }
        let invalid = || DecimalError::Invalid(text.to_string());
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let mut parts = body.splitn(2, ['.', ',']);
        let whole = parts.next().unwrap_or("");
        let fraction = parts.next().unwrap_or("");
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
            return Err(invalid());
        }
        let digits = whole.trim_start_matches('0').len() + fraction.len();
        if digits > MAX_DIGITS || fraction.len() as u32 > MAX_SCALE {
            return Err(DecimalError::TooLong(text.to_string()));
        }
        let mut units: i128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            units = units * 10 + i128::from(b - b'0');
        }
        let value = Decimal { units: if negative { -units } else { units }, scale: fraction.len() as u32 };
        Ok(value.normalised())
    }

    fn normalised(mut self) -> Decimal {
        while self.scale > 0 && self.units % 10 == 0 {
            self.units /= 10;
            self.scale -= 1;
        }
        if self.units == 0 {
            self.scale = 0;
        }
        self
    }

    fn rescaled(self, scale: u32) -> i128 {
        self.units * 10i128.pow(scale - self.scale)
    }

    /// Digits after the decimal point.
    pub fn scale(self) -> u32 {
        self.scale
    }

    /// The value × 10^`scale` as an integer; `scale` must be at least [`Decimal::scale`].
    pub fn units_at(self, scale: u32) -> BigInt {
        BigInt::from(self.units) * BigInt::from(10).pow(scale - self.scale)
    }

    pub fn is_zero(self) -> bool {
        self.units == 0
    }

    pub fn is_negative(self) -> bool {
        self.units < 0
    }

    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let units = self.rescaled(scale).checked_add(other.rescaled(scale))?;
        Some(Decimal { units, scale }.normalised())
    }

    pub fn sum<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Decimal {
        values.into_iter().fold(Decimal::ZERO, |total, value| total + *value)
    }

    pub fn to_rational(self) -> BigRational {
        BigRational::new(BigInt::from(self.units), BigInt::from(10).pow(self.scale))
    }

    /// The value as a float, for display and statistics only.
    pub fn to_f64(self) -> f64 {
        self.units as f64 / 10f64.powi(self.scale as i32)
    }
}

/// Amounts in a `.pb` file are far below the 10^36 limit, so overflow means a broken
/// invariant, not bad input.
impl std::ops::Add for Decimal {
    type Output = Decimal;
    fn add(self, other: Decimal) -> Decimal {
        self.checked_add(other).expect("decimal overflow")
    }
}

impl std::ops::Sub for Decimal {
    type Output = Decimal;
    fn sub(self, other: Decimal) -> Decimal {
        self + Decimal { units: -other.units, scale: other.scale }
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<u64> for Decimal {
    fn from(value: u64) -> Decimal {
        Decimal { units: value as i128, scale: 0 }
    }
}

/// Plain decimal notation with a `.`, as the file format writes it: `1500000`, `1.5`.
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.units);
        }
        let sign = if self.units < 0 { "-" } else { "" };
        let magnitude = self.units.unsigned_abs();
        let divisor = 10u128.pow(self.scale);
        write!(f, "{sign}{}.{:0width$}", magnitude / divisor, magnitude % divisor, width = self.scale as usize)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A rational as a decimal string with `places` digits after the point (rounded half
/// away from zero), for explanations such as ρ.
pub fn rational_to_string(value: &BigRational, places: u32) -> String {
    let scale = BigInt::from(10).pow(places);
    let scaled = (value * BigRational::from_integer(scale.clone())).round().to_integer();
    let negative = scaled < BigInt::from(0);
    let magnitude = if negative { -scaled } else { scaled };
    let whole = &magnitude / &scale;
    let fraction = &magnitude % &scale;
    let sign = if negative { "-" } else { "" };
    if places == 0 {
        return format!("{sign}{whole}");
    }
    format!("{sign}{whole}.{:0>width$}", fraction.to_string(), width = places as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_notations_pabulib_files_use() {
        assert_eq!(Decimal::parse("400000.0").unwrap(), Decimal::from_int(400000));
        assert_eq!(Decimal::parse("1,5").unwrap().to_string(), "1.5");
        assert_eq!(Decimal::parse(" 0012.500 ").unwrap().to_string(), "12.5");
        assert_eq!(Decimal::parse("-3").unwrap(), Decimal::from_int(-3));
        assert_eq!(Decimal::parse(".25").unwrap().to_string(), "0.25");
        assert_eq!(Decimal::parse("0.0").unwrap(), Decimal::ZERO);
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        for bad in ["", "abc", "1.2.3", "1,500,000", "1e5", "12a", ".", "-", "1 000"] {
            assert!(Decimal::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(Decimal::parse(&"9".repeat(40)), Err(DecimalError::TooLong(_))));
    }

    #[test]
    fn arithmetic_and_order_are_exact() {
        let a = Decimal::parse("0.1").unwrap();
        let b = Decimal::parse("0.2").unwrap();
        assert_eq!(a + b, Decimal::parse("0.3").unwrap());
        assert!(Decimal::parse("2.05").unwrap() > Decimal::from_int(2));
        assert_eq!(Decimal::from_int(5) - Decimal::parse("5.0").unwrap(), Decimal::ZERO);
        assert_eq!(Decimal::parse("1.5").unwrap().to_rational(), BigRational::new(3.into(), 2.into()));
    }

    #[test]
    fn rationals_print_rounded() {
        let third = BigRational::new(1.into(), 3.into());
        assert_eq!(rational_to_string(&third, 4), "0.3333");
        assert_eq!(rational_to_string(&BigRational::new(2.into(), 3.into()), 2), "0.67");
        assert_eq!(rational_to_string(&BigRational::from_integer(12.into()), 0), "12");
    }
}
