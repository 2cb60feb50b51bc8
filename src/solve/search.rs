//! The search behind `breakeven` and `solve`: every volume factor in a range at which one year-1
//! cost less another stops or starts reaching a threshold.
//!
//! Two facts about the engine make the search exact rather than a sampling:
//!
//! - Every cost is non-decreasing in the volume factor: prices are never negative, fixed and
//!   one-time costs do not depend on volume, and replicas (whole numbers, rounded up from a
//!   demand linear in the factor) never fall as volume grows. So on a stretch `[a, b]` the
//!   difference `left - right` lies between `left(a) - right(b)` and `left(b) - right(a)`, and a
//!   stretch whose bounds both clear the threshold, or both miss it, holds no change.
//! - Where no replica count changes, every cost is affine in the factor (tokens, and so charges,
//!   are proportional to it), so a change inside such a stretch is solved exactly from its two
//!   ends. Replica counts are compared at both ends: equal counts are equal throughout, because
//!   they never fall.
//!
//! A stretch where counts differ is halved until the steps in it are isolated to one part in
//! 10^12 of the factor; a change across such a sliver is a step. The factors searched start on a
//! geometric grid whose number of points depends only on `to / from`, and the number of engine
//! runs is capped, so the search always ends. Pure: it only calls the function it is given.

use rust_decimal::Decimal;

use crate::error::Error;

/// The smallest volume factor searched: a millionth of the scenario's volume.
pub const MIN_FACTOR: Decimal = Decimal::from_parts(1, 0, 0, false, 6);
/// The largest volume factor searched: a billion times the scenario's volume.
pub const MAX_FACTOR: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// Neighbouring grid points are at most 2% apart, unless that would need more than
/// [`MAX_CELLS`] of them.
const GRID_RATIO: Decimal = Decimal::from_parts(102, 0, 0, false, 2);
/// The most stretches the grid divides a range into.
const MAX_CELLS: u32 = 500;
/// A step is isolated once its stretch is this narrow relative to its lower end.
const STEP_WIDTH: Decimal = Decimal::from_parts(1, 0, 0, false, 12);
/// How close `left - right` must come to the threshold at a solved meeting point, relative to
/// the larger of the two costs and the threshold; an engine that is not affine where it should
/// be is caught here and the stretch is halved instead.
const MEETING_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 12);
/// The most engine runs one search may take.
pub const MAX_EVALUATIONS: usize = 20_000;

/// The two year-1 costs at one volume factor, and the replica counts that decide where they are
/// affine.
#[derive(Debug, Clone)]
pub struct Sample {
    pub factor: Decimal,
    /// The cost counted for: `left - right` is compared with the threshold.
    pub left: Decimal,
    /// The cost counted against.
    pub right: Decimal,
    /// Every replica count of both plans in year 1, in a fixed order.
    pub replicas: Vec<u64>,
}

impl Sample {
    /// Whether `left - right` reaches `threshold`.
    #[must_use]
    pub fn meets(&self, threshold: Decimal) -> bool {
        meets(self.left, self.right, threshold)
    }

    /// `left - right`, if it is in the decimal range.
    fn difference(&self) -> Option<Decimal> {
        self.left.checked_sub(self.right)
    }
}

/// `left - right >= threshold`, without overflowing.
fn meets(left: Decimal, right: Decimal, threshold: Decimal) -> bool {
    match left.checked_sub(right) {
        Some(difference) => difference >= threshold,
        // Beyond the decimal range: above every threshold if upwards, below it if downwards.
        None => left > right,
    }
}

/// A factor at which `left - right` starts or stops reaching the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// The largest factor known to be on the lower side of the change.
    pub below: Decimal,
    /// The smallest factor known to be on the upper side; equal to `below` where the costs meet
    /// at a point solved exactly, which is then on the side that reaches the threshold.
    pub above: Decimal,
    /// `true` where replicas change across the change (a cost jumps across the threshold),
    /// rather than the costs meeting it.
    pub at_a_step: bool,
    /// Whether `left - right` reaches the threshold above the change.
    pub meets_above: bool,
}

impl Change {
    /// The factor on the side that reaches the threshold.
    #[must_use]
    pub fn meeting_side(&self) -> Decimal {
        if self.meets_above {
            self.above
        } else {
            self.below
        }
    }
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Whether `left - right` reaches the threshold at the start of the range.
    pub meets_at_from: bool,
    /// In increasing order of factor.
    pub changes: Vec<Change>,
    /// `true` if `left` equalled `right` at every factor evaluated.
    pub always_equal: bool,
}

/// The factors of the grid from `from` to `to`: geometric, each at most 2% above the last
/// unless the range needs more than [`MAX_CELLS`] such steps, in which case the step is a power
/// of 1.02 chosen from the ratio alone.
#[must_use]
pub fn grid(from: Decimal, to: Decimal) -> Vec<Decimal> {
    let ratio = to.checked_div(from).unwrap_or(Decimal::MAX);
    // Steps of 2% needed to cover the ratio; a 1e15 ratio (the widest allowed) needs 1,745.
    let mut needed = 0u32;
    let mut reach = Decimal::ONE;
    while reach < ratio {
        match reach.checked_mul(GRID_RATIO) {
            Some(next) => reach = next,
            None => break,
        }
        needed += 1;
    }
    let per_cell = needed.div_ceil(MAX_CELLS).max(1);
    let mut step = Decimal::ONE;
    for _ in 0..per_cell {
        step *= GRID_RATIO; // At most 1.02^4 for the widest range: no overflow.
    }
    let mut factors = vec![from];
    let mut factor = from;
    loop {
        match factor.checked_mul(step) {
            Some(next) if next < to => {
                factors.push(next);
                factor = next;
            }
            _ => break,
        }
    }
    factors.push(to);
    factors
}

/// Finds every change in `from..=to` of whether `left - right` reaches `threshold`, calling
/// `evaluate` for the costs at a factor.
///
/// # Errors
/// Whatever `evaluate` returns; [`Error::Argument`] when more than [`MAX_EVALUATIONS`] engine
/// runs would be needed.
pub fn scan(
    from: Decimal,
    to: Decimal,
    threshold: Decimal,
    evaluate: &mut dyn FnMut(Decimal) -> Result<Sample, Error>,
) -> Result<Scan, Error> {
    let mut search = Search {
        threshold,
        evaluate,
        evaluations: 0,
        range: (from, to),
        changes: Vec::new(),
        always_equal: true,
    };
    let grid = grid(from, to);
    let mut previous = search.sample(grid[0])?;
    let meets_at_from = previous.meets(threshold);
    for &factor in &grid[1..] {
        let next = search.sample(factor)?;
        search.stretch(&previous, &next)?;
        previous = next;
    }
    Ok(Scan {
        meets_at_from,
        changes: search.changes,
        always_equal: search.always_equal,
    })
}

struct Search<'a> {
    threshold: Decimal,
    evaluate: &'a mut dyn FnMut(Decimal) -> Result<Sample, Error>,
    evaluations: usize,
    range: (Decimal, Decimal),
    changes: Vec<Change>,
    always_equal: bool,
}

impl Search<'_> {
    fn sample(&mut self, factor: Decimal) -> Result<Sample, Error> {
        self.evaluations += 1;
        if self.evaluations > MAX_EVALUATIONS {
            return Err(Error::Argument(format!(
                "more than {MAX_EVALUATIONS} estimates would be needed to find every crossing \
                 between {}x and {}x\nhint: narrow the range with `--from` and `--to`",
                self.range.0, self.range.1
            )));
        }
        let sample = (self.evaluate)(factor)?;
        self.always_equal &= sample.left == sample.right;
        Ok(sample)
    }

    /// Records every change between `a` and `b`, in order.
    fn stretch(&mut self, a: &Sample, b: &Sample) -> Result<(), Error> {
        // The smallest and largest `left - right` can be on the stretch, since both costs are
        // non-decreasing: if both reach the threshold, or neither does, nothing changes here.
        let lowest_meets = meets(a.left, b.right, self.threshold);
        let highest_meets = meets(b.left, a.right, self.threshold);
        if lowest_meets || !highest_meets {
            return Ok(());
        }
        let affine = a.replicas == b.replicas;
        let (a_meets, b_meets) = (a.meets(self.threshold), b.meets(self.threshold));
        if affine && a_meets == b_meets {
            // An affine difference reaching the threshold at both ends does so in between.
            return Ok(());
        }
        let narrow = b
            .factor
            .checked_sub(a.factor)
            .zip(a.factor.checked_mul(STEP_WIDTH))
            .is_some_and(|(width, limit)| width <= limit);
        if narrow {
            if a_meets != b_meets {
                self.changes.push(Change {
                    below: a.factor,
                    above: b.factor,
                    at_a_step: !affine,
                    meets_above: b_meets,
                });
            }
            return Ok(());
        }
        if affine && let Some(change) = self.meeting(a, b)? {
            self.changes.push(change);
            return Ok(());
        }
        let middle = self.sample((a.factor + b.factor) / Decimal::TWO)?;
        self.stretch(a, &middle)?;
        self.stretch(&middle, b)
    }

    /// Solves an affine stretch whose ends fall on either side of the threshold for the factor
    /// where `left - right` meets it, settled onto the side that reaches it. `None` if the
    /// arithmetic leaves the decimal range or the engine proves not to be affine there.
    fn meeting(&mut self, a: &Sample, b: &Sample) -> Result<Option<Change>, Error> {
        let Some(root) = interpolate(a, b, self.threshold) else {
            return Ok(None);
        };
        let b_meets = b.meets(self.threshold);
        let towards = if b_meets { b.factor } else { a.factor };
        // Rounding in the last of 28 digits can leave the root a hair on the wrong side: walk
        // towards the side that reaches the threshold in growing strides.
        let mut stride = (root * Decimal::new(1, 24)).max(Decimal::new(1, 28));
        let mut factor = root;
        for _ in 0..8 {
            let sample = self.sample(factor)?;
            if !self.close(&sample) {
                return Ok(None);
            }
            if sample.meets(self.threshold) {
                return Ok(Some(Change {
                    below: factor,
                    above: factor,
                    at_a_step: false,
                    meets_above: b_meets,
                }));
            }
            factor = if b_meets {
                factor + stride
            } else {
                factor - stride
            };
            if (b_meets && factor >= towards) || (!b_meets && factor <= towards) {
                return Ok(None);
            }
            stride *= Decimal::ONE_HUNDRED;
        }
        Ok(None)
    }

    /// Whether `left - right` is within [`MEETING_TOLERANCE`] of the threshold.
    fn close(&self, sample: &Sample) -> bool {
        let Some(miss) = sample
            .difference()
            .and_then(|d| d.checked_sub(self.threshold))
        else {
            return false;
        };
        let scale = sample
            .left
            .abs()
            .max(sample.right.abs())
            .max(self.threshold.abs());
        scale
            .checked_mul(MEETING_TOLERANCE)
            .is_some_and(|tolerance| miss.abs() <= tolerance)
    }
}

/// The factor where the line through `a` and `b` meets the threshold, inside `[a, b]` (at `a`
/// itself when `a` lies exactly on the threshold).
fn interpolate(a: &Sample, b: &Sample, threshold: Decimal) -> Option<Decimal> {
    let (da, db) = (a.difference()?, b.difference()?);
    let rise = db.checked_sub(da)?;
    if rise.is_zero() {
        return None;
    }
    let part = threshold.checked_sub(da)?.checked_div(rise)?;
    let root = a
        .factor
        .checked_add(b.factor.checked_sub(a.factor)?.checked_mul(part)?)?;
    (root >= a.factor && root <= b.factor).then_some(root)
}
