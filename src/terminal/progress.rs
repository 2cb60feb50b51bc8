//! A progress bar on standard error for long work, shown only when standard error is a
//! terminal, and only once the work has taken long enough to be worth one: a quick answer, a
//! pipe, a file or a test sees nothing.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::Progress;

/// Work shorter than this shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// Where a bar draws: standard error when it is a terminal, nowhere otherwise.
#[must_use]
pub fn draw_target(stderr_is_terminal: bool) -> ProgressDrawTarget {
    if stderr_is_terminal {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    }
}

/// A [`Progress`] drawn as an indicatif bar (or a spinner when the total is not known).
#[derive(Debug)]
pub struct Bar {
    inner: ProgressBar,
    visible: bool,
    started: std::cell::Cell<Option<Instant>>,
    shown: std::cell::Cell<bool>,
}

impl Bar {
    /// A bar on standard error if it is a terminal; otherwise one that draws nothing.
    #[must_use]
    pub fn stderr() -> Self {
        use std::io::IsTerminal as _;
        Self::new(std::io::stderr().is_terminal())
    }

    /// A bar that draws on standard error if `stderr_is_terminal`.
    #[must_use]
    pub fn new(stderr_is_terminal: bool) -> Self {
        // Hidden until the work has taken [`SHOW_AFTER`].
        Self {
            inner: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
            visible: stderr_is_terminal,
            started: std::cell::Cell::new(None),
            shown: std::cell::Cell::new(false),
        }
    }

    /// Whether this bar will ever draw.
    #[must_use]
    pub fn is_visible(&self) -> bool {
        self.visible
    }

    fn show_if_slow(&self) {
        if !self.visible || self.shown.get() {
            return;
        }
        if self
            .started
            .get()
            .is_some_and(|started| started.elapsed() >= SHOW_AFTER)
        {
            self.shown.set(true);
            self.inner.set_draw_target(draw_target(true));
        }
    }
}

impl Progress for Bar {
    fn start(&self, what: &str, total: Option<u64>) {
        self.started.set(Some(Instant::now()));
        self.inner.reset();
        let style = if let Some(total) = total {
            self.inner.set_length(total);
            ProgressStyle::with_template("{spinner} {msg} {wide_bar} {pos}/{len} {elapsed}")
        } else {
            self.inner.unset_length();
            ProgressStyle::with_template("{spinner} {msg}: {human_pos} {elapsed}")
        };
        if let Ok(style) = style {
            self.inner.set_style(style);
        }
        self.inner.set_message(what.to_owned());
    }

    fn advance(&self, steps: u64) {
        self.inner.inc(steps);
        self.show_if_slow();
    }

    fn finish(&self) {
        self.inner.finish_and_clear();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.inner.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_only_on_a_terminal() {
        assert!(draw_target(false).is_hidden());
        assert!(!Bar::new(false).is_visible());
        assert!(Bar::new(true).is_visible());
    }

    #[test]
    fn a_bar_off_a_terminal_never_shows_however_long_the_work() {
        let bar = Bar::new(false);
        bar.start("estimates", Some(10));
        bar.started
            .set(Instant::now().checked_sub(Duration::from_secs(5)));
        bar.advance(3);
        assert!(!bar.shown.get());
        assert_eq!(bar.inner.position(), 3);
        bar.finish();
    }
}
