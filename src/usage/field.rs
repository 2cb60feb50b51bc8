//! Fields as exports write them: counts, money and times, checked and turned into decimals and
//! calendar days. A bad field becomes a located problem naming the field and what was found;
//! nothing here panics on input.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::{At, Context, Span};
use crate::calendar::Date;

/// Marks a field that was bad; its problem is already recorded in the context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Reported;

/// A number as an export wrote it (JSON number or numeric string), before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Num {
    Value(Decimal),
    /// Text that is not a number, or a number outside the decimal range, as written.
    NotNumber(String),
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumVisitor)
    }
}

struct NumVisitor;

impl Visitor<'_> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(Num::Value(Decimal::from(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num::Value(Decimal::from(v)))
    }

    /// JSON numbers with a fraction or beyond 64 bits arrive as `f64`. Rust prints an `f64` as
    /// the shortest decimal that reads back as the same value, which is the literal an export
    /// wrote for every number of up to 15 significant digits (`0.0123` stays `0.0123`).
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        let text = v.to_string();
        Ok(Decimal::from_str(&text).map_or(Num::NotNumber(text), Num::Value))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        Ok(parse_decimal(v.trim()).map_or_else(|| Num::NotNumber(v.to_owned()), Num::Value))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Num, E> {
        Ok(Num::NotNumber(v.to_string()))
    }
}

/// A decimal written plainly (`12`, `-3`, `0.25`) or in exponent form (`1.5e-7`).
pub(super) fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.is_empty() {
        return None;
    }
    if let Some(value) = parse_digits(text.as_bytes()) {
        return Some(value);
    }
    Decimal::from_str(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// Plain digits, the common case of a token count, without the general parser.
pub(super) fn parse_digits(bytes: &[u8]) -> Option<Decimal> {
    if bytes.is_empty() || bytes.len() > 18 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = bytes.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    Some(Decimal::from(value))
}

impl Context<'_> {
    /// A required count: present, a number, not negative.
    pub(super) fn count(
        &mut self,
        at: &At,
        name: &str,
        value: Option<&Num>,
    ) -> Result<Decimal, Reported> {
        match value {
            None => {
                self.problem(at, format!("`{name}` is missing"), None);
                Err(Reported)
            }
            Some(value) => self.non_negative(at, name, value),
        }
    }

    /// A count the export may leave out, which then means zero.
    pub(super) fn optional_count(
        &mut self,
        at: &At,
        name: &str,
        value: Option<&Num>,
    ) -> Result<Decimal, Reported> {
        value.map_or(Ok(Decimal::ZERO), |value| {
            self.non_negative(at, name, value)
        })
    }

    /// An amount of money the export may leave out.
    pub(super) fn optional_money(
        &mut self,
        at: &At,
        name: &str,
        value: Option<&Num>,
    ) -> Result<Option<Decimal>, Reported> {
        value
            .map(|value| self.non_negative(at, name, value))
            .transpose()
    }

    pub(super) fn non_negative(
        &mut self,
        at: &At,
        name: &str,
        value: &Num,
    ) -> Result<Decimal, Reported> {
        match value {
            Num::Value(v) if v.is_sign_negative() && !v.is_zero() => {
                self.problem(
                    at,
                    format!("`{name}` must not be negative (found {v})"),
                    None,
                );
                Err(Reported)
            }
            Num::Value(v) => Ok(*v),
            Num::NotNumber(text) => {
                self.problem(
                    at,
                    format!(
                        "`{name}` must be a number (found `{}`)",
                        text.escape_debug()
                    ),
                    None,
                );
                Err(Reported)
            }
        }
    }

    /// `total - part`, where the export documents `total` as including `part`.
    pub(super) fn less(
        &mut self,
        at: &At,
        (total_name, total): (&str, Decimal),
        (part_name, part): (&str, Decimal),
    ) -> Result<Decimal, Reported> {
        if part > total {
            self.problem(
                at,
                format!(
                    "`{part_name}` ({part}) is more than `{total_name}` ({total}), which includes it"
                ),
                None,
            );
            return Err(Reported);
        }
        Ok(total - part)
    }

    /// The sum of figures of one record, checked.
    pub(super) fn sum(
        &mut self,
        at: &At,
        what: &str,
        parts: &[Decimal],
    ) -> Result<Decimal, Reported> {
        parts
            .iter()
            .try_fold(Decimal::ZERO, |sum, part| sum.checked_add(*part))
            .ok_or_else(|| {
                self.problem(
                    at,
                    format!("the {what} overflow the decimal range (about 7.9e28)"),
                    None,
                );
                Reported
            })
    }

    /// A required text field.
    pub(super) fn text<'t>(
        &mut self,
        at: &At,
        name: &str,
        value: Option<&'t str>,
    ) -> Result<&'t str, Reported> {
        match value {
            Some(text) if !text.is_empty() => Ok(text),
            Some(_) => {
                self.problem(at, format!("`{name}` is empty"), None);
                Err(Reported)
            }
            None => {
                self.problem(at, format!("`{name}` is missing"), None);
                Err(Reported)
            }
        }
    }

    /// A required time: a day (`2025-01-31`) or an instant (RFC 3339, or the same with a space
    /// and no offset, which is read as UTC).
    pub(super) fn time(
        &mut self,
        at: &At,
        name: &str,
        value: Option<&str>,
    ) -> Result<(Date, Span), Reported> {
        let text = self.text(at, name, value)?;
        parse_time(text).ok_or_else(|| {
            self.problem(
                at,
                format!(
                    "`{name}` is not a date or time (found `{}`)",
                    text.escape_debug()
                ),
                Some("write days as 2025-01-31 and times as 2025-01-31T09:30:00Z".to_owned()),
            );
            Reported
        })
    }

    /// A required bucket start in Unix seconds, with its end if the export gives one.
    pub(super) fn unix_bucket(
        &mut self,
        at: &At,
        (start_name, start): (&str, Option<i64>),
        end: Option<i64>,
    ) -> Result<(Date, Span), Reported> {
        let Some(start) = start else {
            self.problem(at, format!("`{start_name}` is missing"), None);
            return Err(Reported);
        };
        let span = start.checked_mul(1000).and_then(|start_ms| {
            let end_ms = match end {
                Some(end) => end.checked_mul(1000)?,
                None => start_ms.checked_add(1)?,
            };
            Some(Span {
                start_ms,
                end_ms: end_ms.max(start_ms.checked_add(1)?),
            })
        });
        if let Some(found) = span.and_then(|span| Some((date_of_ms(span.start_ms)?, span))) {
            Ok(found)
        } else {
            self.problem(
                at,
                format!("`{start_name}` is not a time in years 1000 to 9999 (found {start})"),
                None,
            );
            Err(Reported)
        }
    }
}

const MS_PER_DAY: i64 = 86_400_000;

/// The UTC day of an instant.
pub(super) fn date_of_ms(ms: i64) -> Option<Date> {
    Date::from_days_since_epoch(ms.div_euclid(MS_PER_DAY))
}

/// The whole of a UTC day.
pub(super) fn day_span(date: Date) -> Span {
    let start_ms = date.days_since_epoch() * MS_PER_DAY;
    Span {
        start_ms,
        end_ms: start_ms + MS_PER_DAY,
    }
}

/// A day (`2025-01-31`, covering the day) or an instant (covering its millisecond).
pub(super) fn parse_time(text: &str) -> Option<(Date, Span)> {
    let text = text.trim();
    if text.len() == 10 {
        let date = Date::parse(text)?;
        return Some((date, day_span(date)));
    }
    let ms = parse_instant(text)?;
    Some((
        date_of_ms(ms)?,
        Span {
            start_ms: ms,
            end_ms: ms.checked_add(1)?,
        },
    ))
}

/// `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM]` as milliseconds since the epoch, UTC;
/// without an offset the time is UTC.
pub(super) fn parse_instant(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 16 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let date = Date::parse(&text[..10])?;
    let hour = two_digits(&bytes[11..13])?;
    let minute = (bytes[13] == b':').then(|| two_digits(&bytes[14..16]))??;
    let mut rest = &bytes[16..];
    let mut second = 0;
    let mut millis = 0;
    if let [b':', a, b, tail @ ..] = rest {
        second = two_digits(&[*a, *b])?;
        rest = tail;
        if let [b'.' | b',', tail @ ..] = rest {
            let digits = tail.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            // Milliseconds: the first three digits, the rest cut off (the bucket is the day).
            millis = tail[..digits]
                .iter()
                .chain(std::iter::repeat(&b'0'))
                .take(3)
                .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            rest = &tail[digits..];
        }
    }
    let offset_minutes = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let minutes = two_digits(&[*h1, *h2])? * 60 + two_digits(&[*m1, *m2])?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let seconds =
        date.days_since_epoch() * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn two_digits(bytes: &[u8]) -> Option<i64> {
    match bytes {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
        }
        _ => None,
    }
}
