//! Year-by-year figures read off a plan's result: the savings accumulated to the end of each
//! year. Sums of figures the engine has already worked out, for the reports' per-year tables.

use rust_decimal::Decimal;

use super::PlanEstimate;

impl PlanEstimate {
    /// The savings against the baseline from the start of the horizon to the end of each year,
    /// one-time cost included (it falls in year 1); the last equals [`PlanEstimate::savings`].
    /// `None` in every year for the baseline, and from the first year whose running sum would
    /// leave the decimal range (which the engine's own checked totals make unreachable).
    #[must_use]
    pub fn cumulative_savings(&self) -> Vec<Option<Decimal>> {
        let mut running = Some(Decimal::ZERO);
        let mut cumulative: Vec<Option<Decimal>> = self
            .years
            .iter()
            .map(|year| {
                running = running
                    .zip(year.savings)
                    .and_then(|(sum, savings)| sum.checked_add(savings));
                running
            })
            .collect();
        // A decimal keeps 28 significant digits, so the running sum may differ from the engine's
        // horizon total in the last one; the horizon's own figure is the one every report shows.
        if let Some(last) = cumulative.last_mut() {
            *last = self.savings;
        }
        cumulative
    }
}
