//! Custody: the events every write appends to the project's log ([`events`]), `verify` (the whole project
//! recomputed against its log), inclusion and consistency `proofs` of the log for partners, and `rotate` (the
//! project key replaced and everything sealed anew).

pub mod events;
pub mod proofs;
pub mod rotate;
pub mod verify;

pub use events::{
    EventKind, WriteError, check_sealed_to, custodian_keys, now_rfc3339, protected_digest, protected_place,
    record_event,
};
