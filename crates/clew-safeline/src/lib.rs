//! The safe line's parts that know neither storage nor HTTP: return codes ([`code`]), the keys a conversation
//! derives from its code ([`key`]), the padding that makes what goes over the wire one of a few sizes
//! ([`pad`]), and the sealed letters senders and caseworkers exchange ([`letter`]). The design and threat
//! model are in docs/safe-line.md.

pub mod code;
pub mod key;
pub mod letter;
pub mod pad;

pub use code::{CodeForm, ReturnCode, WordList};
pub use key::{ConversationKeys, Pepper};
