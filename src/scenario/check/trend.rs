//! Validation of `[[trend]]` tables: a percentage above -100%, exactly one of `change` and
//! `change_per_year`, a date, filters naming known API offers and providers, and a yearly
//! change whose powers over the horizon stay exact.

use rust_decimal::Decimal;
use toml::Spanned;

use super::Checker;
use crate::calendar::{DATE_RANGE, Date, YearMonth};
use crate::error::suggest;
use crate::pricing::Catalog;
use crate::scenario::raw;
use crate::scenario::trend::{self, Step, Trend};

impl Checker<'_> {
    /// The valid trends; each invalid one is reported and left out.
    pub(super) fn trends(
        &mut self,
        raw: &[raw::Trend],
        catalog: &Catalog,
        horizon: Option<(YearMonth, u32)>,
    ) -> Vec<Trend> {
        raw.iter()
            .filter_map(|t| self.trend(t, catalog, horizon))
            .collect()
    }

    fn trend(
        &mut self,
        raw: &raw::Trend,
        catalog: &Catalog,
        horizon: Option<(YearMonth, u32)>,
    ) -> Option<Trend> {
        let before = self.problems.len();
        let from = self.trend_date(&raw.from);
        let (step, text) = match (&raw.change_per_year, &raw.change) {
            (Some(text), None) => (Step::Yearly, text),
            (None, Some(text)) => (Step::Once, text),
            (Some(_), Some(text)) => {
                self.push(
                    text.span(),
                    "a trend states either `change_per_year` or `change`, not both".to_owned(),
                    "`change_per_year` steps prices at each anniversary of `from`; `change` \
                     changes them once, on `from`",
                );
                return None;
            }
            (None, None) => {
                self.push(
                    raw.from.span(),
                    "this trend states no change".to_owned(),
                    "add `change_per_year = \"-20%\"` (a yearly trend) or `change = \"-30%\"` \
                     (a one-off change)",
                );
                return None;
            }
        };
        let key = match step {
            Step::Yearly => "change_per_year",
            Step::Once => "change",
        };
        let change = self.percent(key, text);
        let mut offers = Vec::new();
        for id in raw.offers.iter().flatten() {
            self.trend_offer(id, catalog);
            offers.push(id.get_ref().clone());
        }
        if let Some(provider) = &raw.provider
            && catalog.provider(provider.get_ref()).is_none()
        {
            let hint = suggest(
                provider.get_ref(),
                catalog.providers.keys().map(String::as_str),
            )
            .map_or_else(
                || "name a provider id of the catalog, such as `together`".to_owned(),
                |best| format!("did you mean `{best}`?"),
            );
            self.push(
                provider.span(),
                format!("unknown provider `{}`", provider.get_ref()),
                hint,
            );
        }
        if let Some(source) = &raw.source
            && source.get_ref().trim().is_empty()
        {
            self.push(
                source.span(),
                "`source` must say where the trend comes from (found an empty text)".to_owned(),
                "name the announcement or forecast, or leave `source` out",
            );
        }
        if let (Step::Yearly, Some(change), Some(from), Some((start, months))) =
            (step, change, from, horizon)
        {
            self.exact_over_horizon(text, change, from, start, months);
        }
        if self.problems.len() != before {
            return None;
        }
        Some(Trend {
            offers,
            weights: raw.weights.as_ref().map(|w| *w.get_ref()),
            provider: raw.provider.as_ref().map(|p| p.get_ref().clone()),
            step,
            change: change?,
            from: from?,
            source: raw.source.as_ref().map(|s| s.get_ref().clone()),
        })
    }

    fn trend_date(&mut self, value: &Spanned<toml::value::Datetime>) -> Option<Date> {
        let datetime = value.get_ref();
        let date = Date::from_toml(datetime);
        if date.is_none() {
            let (message, hint) = if datetime.time.is_none() && datetime.date.is_some() {
                // A bare date that TOML accepts but whose year has not four digits.
                (
                    format!("`from` must be a date {DATE_RANGE} (found `{datetime}`)"),
                    "years have four digits, from 1000 to 9999",
                )
            } else {
                (
                    format!("`from` must be a date (found `{datetime}`)"),
                    "write a bare TOML date such as 2027-01-01, without quotes or a time",
                )
            };
            self.push(value.span(), message, hint);
        }
        date
    }

    /// A percentage above -100%, as a share.
    fn percent(&mut self, key: &str, text: &Spanned<String>) -> Option<Decimal> {
        let Some(share) = trend::parse_percent(text.get_ref()) else {
            self.push(
                text.span(),
                format!(
                    "`{key}` must be a percentage such as \"-20%\" (found \"{}\")",
                    text.get_ref()
                ),
                "write a signed number followed by `%`: \"-20%\" lowers prices by a fifth",
            );
            return None;
        };
        if share <= -Decimal::ONE {
            self.push(
                text.span(),
                format!("`{key}` must be above -100% (found \"{}\")", text.get_ref()),
                "a price cannot fall by all of itself or more; -100% would make it free",
            );
            return None;
        }
        Some(share)
    }

    /// An offer a trend names: a known API offer, not a self-hosted deployment.
    fn trend_offer(&mut self, id: &Spanned<String>, catalog: &Catalog) {
        let text = id.get_ref();
        if catalog.deployment(text).is_some() {
            self.push(
                id.span(),
                format!("`{text}` is a self-hosted deployment, which trends do not change"),
                "trends apply to API offers, priced by token; a deployment is priced by the \
                 GPU-hour of its `gpu_offer`",
            );
        } else if let Err((message, hint)) = catalog.offer(text) {
            self.push(id.span(), message, hint);
        }
    }

    /// A yearly change whose power at the horizon's last day holds every digit.
    fn exact_over_horizon(
        &mut self,
        text: &Spanned<String>,
        change: Decimal,
        from: Date,
        start: YearMonth,
        months: u32,
    ) {
        let last = std::iter::successors(Some(start), |m| Some(m.next()))
            .nth(months.saturating_sub(1) as usize)
            .and_then(|m| Date::new(m.year(), m.month(), u8::try_from(m.days()).ok()?));
        let Some(last) = last else { return };
        let probe = Trend {
            offers: Vec::new(),
            weights: None,
            provider: None,
            step: Step::Yearly,
            change,
            from,
            source: None,
        };
        let steps = probe.steps_by(last);
        if trend::power(Decimal::ONE + change, steps).is_none() {
            self.push(
                text.span(),
                format!(
                    "`change_per_year` of \"{}\" taken {steps} times over the horizon needs more \
                     digits than a decimal holds",
                    text.get_ref()
                ),
                "round the change to a whole percent, or shorten the horizon: a trend's \
                 factor is worked out exactly, never rounded",
            );
        }
    }
}
