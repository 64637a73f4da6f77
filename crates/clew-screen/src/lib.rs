//! `clew-screen`: sanctions screening. Lists (UN, OFAC's CSV and advanced XML, FollowTheMoney, CSV) read into entities, an in-memory
//! index of name keys, and screening that scores names by `clew-names` and weighs dates of birth, countries,
//! gender and identifiers, explaining every score; a query whose kind is not given is inferred from its name or
//! screened against every kind. No IO: readers take the files' bytes.

pub mod countries;
pub mod entity;
pub mod index;
pub mod kinds;
pub mod lists;
pub mod ofac_xml;
pub mod screen;
