//! Disclosure: who receives what. An audience's consent use and highest sensitivity decide what of the project
//! goes into an evidence `package` (signed, with inclusion proofs, verifiable offline) and into the FollowTheMoney
//! export (`ftm`).

pub mod ftm;
pub mod package;
