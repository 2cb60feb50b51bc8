//! Calendar months and dates: the days in each month of a horizon, and ages of prices in days.
//!
//! Volumes given per day are multiplied by the real length of each calendar month, so a year is
//! exactly 365 or 366 days. No hidden 30.4-day months.

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar month such as 2027-02.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// `None` unless `1 <= month <= 12` and the year has four digits.
    #[must_use]
    pub fn new(year: i32, month: u8) -> Option<Self> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// Parses `YYYY-MM`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4
            || month.len() != 2
            || !(year.chars().chain(month.chars())).all(|c| c.is_ascii_digit())
        {
            return None;
        }
        Self::new(year.parse().ok()?, month.parse().ok()?)
    }

    #[must_use]
    pub fn year(self) -> i32 {
        self.year
    }

    #[must_use]
    pub fn month(self) -> u8 {
        self.month
    }

    /// The number of days in this month, leap Februaries included.
    #[must_use]
    pub fn days(self) -> u32 {
        match self.month {
            2 if is_leap_year(self.year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The month after this one.
    #[must_use]
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The first day of this month.
    #[must_use]
    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Written by hand where the year has four digits: a large month detail writes millions.
        match u16::try_from(self.year) {
            Ok(year @ 0..=9999) => {
                let digit = |n: u16| b'0' + u8::try_from(n % 10).expect("a digit");
                let text = [
                    digit(year / 1000),
                    digit(year / 100),
                    digit(year / 10),
                    digit(year),
                    b'-',
                    digit(u16::from(self.month) / 10),
                    digit(u16::from(self.month)),
                ];
                serializer.serialize_str(std::str::from_utf8(&text).expect("ASCII digits"))
            }
            _ => serializer.collect_str(self),
        }
    }
}

/// The dates a [`Date`] holds, as a phrase for messages: years have four digits.
pub const DATE_RANGE: &str = "from 1000-01-01 to 9999-12-31";

/// A calendar date, such as the day a price was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// `None` unless the date exists.
    #[must_use]
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let month_of = YearMonth::new(year, month)?;
        (day >= 1 && u32::from(day) <= month_of.days()).then_some(Self { year, month, day })
    }

    /// A bare TOML date (`2027-01-01`); `None` for one with a time or an offset, or that does
    /// not exist.
    #[must_use]
    pub fn from_toml(datetime: &toml::value::Datetime) -> Option<Self> {
        match (datetime.date, datetime.time, datetime.offset) {
            (Some(d), None, None) => Self::new(i32::from(d.year), d.month, d.day),
            _ => None,
        }
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    #[must_use]
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil: shift the year to start in March so that the leap day
        // falls last, then count whole 400-year eras.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01, by the proleptic Gregorian calendar.
    #[must_use]
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days, the inverse of `days_since_epoch`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Parses `YYYY-MM-DD`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Date> {
        let (month, day) = text.rsplit_once('-')?;
        let month = YearMonth::parse(month)?;
        if day.len() != 2 || !day.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Date::new(month.year(), month.month(), day.parse().ok()?)
    }

    #[must_use]
    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 12.
    #[must_use]
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    #[must_use]
    pub fn day(self) -> u8 {
        self.day
    }

    /// The next day; `None` beyond the calendar's range.
    #[must_use]
    pub fn next(self) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch() + 1)
    }

    /// The calendar month this day falls in.
    #[must_use]
    pub fn year_month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    #[must_use]
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// A count of months as reports write it: `1 month`, `12 months`.
#[must_use]
pub fn months_text(count: impl Into<u64>) -> String {
    match count.into() {
        1 => "1 month".to_owned(),
        count => format!("{count} months"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_month_serializes_as_it_displays() {
        let last = super::YearMonth::new(9999, 12).unwrap();
        let months = [
            super::YearMonth::new(1000, 1).unwrap(),
            super::YearMonth::new(2027, 9).unwrap(),
            super::YearMonth::new(2030, 10).unwrap(),
            last,
            // A horizon can run past the last four-digit year.
            last.next(),
        ];
        for month in months {
            assert_eq!(
                serde_json::to_string(&month).unwrap(),
                format!("\"{month}\"")
            );
        }
        assert_eq!(serde_json::to_string(&last.next()).unwrap(), "\"10000-01\"");
    }

    #[test]
    fn one_month_is_singular() {
        assert_eq!(super::months_text(1u32), "1 month");
        assert_eq!(super::months_text(0u32), "0 months");
        assert_eq!(super::months_text(12u32), "12 months");
    }

    use super::*;

    #[test]
    fn month_lengths_follow_the_calendar() {
        let days: Vec<u32> = std::iter::successors(YearMonth::new(2028, 1), |m| Some(m.next()))
            .take(12)
            .map(YearMonth::days)
            .collect();
        // 2028 is a leap year: 31+29+31+30+31+30+31+31+30+31+30+31 = 366.
        assert_eq!(days, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
        assert_eq!(days.iter().sum::<u32>(), 366);
        assert_eq!(YearMonth::new(2100, 2).unwrap().days(), 28);
        assert_eq!(YearMonth::new(2000, 2).unwrap().days(), 29);
    }

    #[test]
    fn parses_only_year_dash_month() {
        assert_eq!(YearMonth::parse("2027-01"), YearMonth::new(2027, 1));
        for bad in [
            "2027-1",
            "2027-13",
            "27-01",
            "2027/01",
            "2027-00",
            "+027-01",
            "2027-01-01",
        ] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_between_dates() {
        let epoch = Date::new(1970, 1, 1).unwrap();
        assert_eq!(epoch.days_since_epoch(), 0);
        // 2026-08-21 to 2027-01-01: 10 (rest of Aug) + 30 + 31 + 30 + 31 + 1 = 133.
        let checked = Date::new(2026, 8, 21).unwrap();
        assert_eq!(checked.days_until(Date::new(2027, 1, 1).unwrap()), 133);
        assert_eq!(
            Date::new(2028, 3, 1).unwrap().days_since_epoch()
                - Date::new(2028, 2, 28).unwrap().days_since_epoch(),
            2
        );
        assert!(Date::new(2027, 2, 29).is_none());
    }

    #[test]
    fn days_convert_both_ways() {
        for days in [-1, 0, 59, 60, 10_957, 20_786, 2_932_896] {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(
            Date::from_days_since_epoch(20_786).unwrap().to_string(),
            "2026-11-29"
        );
        assert_eq!(Date::parse("2028-02-29"), Date::new(2028, 2, 29));
        assert_eq!(Date::parse("2027-02-29"), None);
        assert_eq!(Date::parse("2027-2-01"), None);
    }
}
