//! PLACEHOLDER tests (being written).

#[allow(unused_imports)]
use crate::harness::*;
