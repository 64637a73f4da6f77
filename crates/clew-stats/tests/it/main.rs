//! clew-stats' integration tests: multiple systems estimation against the published results of the tables in
//! test_data/mse (Chan, Silverman & Vincent 2021), and tables refused with their place.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod mse;
