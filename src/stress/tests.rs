//! Stress tests worked by hand on the unit fixtures.
