//! The application through its router, as a browser or a script would meet it: signing in, the role × route
//! matrix, languages, security headers, errors, and bad requests. Each test builds a small synthetic demo
//! project of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod dossier_pdf;
mod harness;
mod matrix;
mod pages;
mod requests;
mod safe_line;
#[path = "../support/browser.rs"]
mod support;
