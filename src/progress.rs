//! Progress of long work, told to whoever watches: the library's searches and imports report
//! their steps through [`Progress`] and know nothing of how, or whether, it is shown. The
//! command line shows a bar on a terminal (`terminal::progress`); tests and libraries pass
//! [`Silent`].

/// Told of the steps of long work. Every method does nothing by default.
pub trait Progress {
    /// Work begins: `total` steps if known beforehand, described by `what` ("estimates").
    fn start(&self, _what: &str, _total: Option<u64>) {}
    /// `steps` more steps are done.
    fn advance(&self, _steps: u64) {}
    /// The work is done (or failed): whatever shows it can go.
    fn finish(&self) {}
}

/// Progress that nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

#[cfg(test)]
pub(crate) mod tests {
    use super::Progress;
    use std::cell::RefCell;

    /// Records what it is told, for tests of the library's reports.
    #[derive(Debug, Default)]
    pub(crate) struct Recorder {
        pub started: RefCell<Vec<(String, Option<u64>)>>,
        pub steps: RefCell<u64>,
        pub finished: RefCell<u32>,
    }

    impl Progress for Recorder {
        fn start(&self, what: &str, total: Option<u64>) {
            self.started.borrow_mut().push((what.to_owned(), total));
        }
        fn advance(&self, steps: u64) {
            *self.steps.borrow_mut() += steps;
        }
        fn finish(&self) {
            *self.finished.borrow_mut() += 1;
        }
    }
}
