//! The keys of a conversation, derived from its return code. One Argon2id run over the code (with the
//! project's safe-line salt) gives 64 bytes; each half goes through HMAC-SHA-256 keyed with the server's
//! pepper, which is kept apart from the database:
//! - the **lookup**: what the database stores to find the conversation (no code, no hash of the code alone);
//! - the **conversation key**: an age X25519 key whose public half the database stores, so that caseworkers'
//!   replies can be sealed to the sender.
//!
//! A seized database without the pepper gives no way to test a guessed code, neither against the lookups nor
//! against the public keys. With the pepper, each guess costs one Argon2id run.

use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::ReturnCode;

/// Argon2id's memory cost in KiB: 32 MiB.
pub const MEMORY_KIB: u32 = 32 * 1024;
/// Argon2id's passes.
pub const PASSES: u32 = 3;
/// Argon2id's lanes (one: a server checks several codes at once on its cores instead).
pub const LANES: u32 = 1;

/// The server's secret for the safe line, kept apart from the database (a file of its own). Wiped when
/// dropped.
pub struct Pepper(Zeroizing<[u8; 32]>);

impl Pepper {
    /// A new random pepper.
    pub fn generate() -> Pepper {
        Pepper(Zeroizing::new(rand::rng().random()))
    }

    /// A pepper from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Pepper {
        Pepper(Zeroizing::new(bytes))
    }

    /// Its bytes (to write to its file).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn mac(&self, label: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_slice()).unwrap_or_else(|_| unreachable!());
        mac.update(label);
        mac.update(data);
        Zeroizing::new(mac.finalize().into_bytes().into())
    }
}

impl std::fmt::Debug for Pepper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pepper(<secret>)")
    }
}

/// What a return code opens.
pub struct ConversationKeys {
    /// What the database finds the conversation by.
    pub lookup: [u8; 32],
    /// The conversation's own key: replies are sealed to its public half.
    pub identity: clew_vault::Identity,
}

impl std::fmt::Debug for ConversationKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConversationKeys(<secret>)")
    }
}

impl ConversationKeys {
    /// The public key replies are sealed to.
    pub fn recipient(&self) -> clew_vault::Recipient {
        // An identity from secret bytes always holds exactly one key.
        self.identity.recipients().remove(0)
    }
}

/// Derives a code's keys (one Argon2id run: the cost of every check of a code, right or wrong).
pub fn derive(code: &ReturnCode, salt: &[u8; 16], pepper: &Pepper) -> ConversationKeys {
    let stretched = stretch(code, salt);
    let lookup = *pepper.mac(b"clew safe line: lookup\0", &stretched[32..]);
    let secret = pepper.mac(b"clew safe line: conversation key\0", &stretched[..32]);
    ConversationKeys { lookup, identity: clew_vault::Identity::from_secret_bytes(&secret) }
}

fn stretch(code: &ReturnCode, salt: &[u8; 16]) -> Zeroizing<[u8; 64]> {
    // The parameters are constants within Argon2's bounds, and the salt's 16 bytes are within its bounds:
    // neither step can fail.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, Some(64)).unwrap_or_else(|_| unreachable!());
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut output = Zeroizing::new([0u8; 64]);
    argon.hash_password_into(&code.canonical(), salt, output.as_mut_slice()).unwrap_or_else(|_| unreachable!());
    output
}

/// A key for the rate limits of one run of the server: held in memory only, never written, so the counters
/// it keys name no address after the server stops.
pub struct AddressKey(Zeroizing<[u8; 32]>);

impl Default for AddressKey {
    fn default() -> AddressKey {
        AddressKey(Zeroizing::new(rand::rng().random()))
    }
}

impl AddressKey {
    /// The HMAC of an address's prefix (IPv4 /24, IPv6 /48): what rate limits count by. Whole prefixes, because
    /// a sender's mobile address changes within its operator's block, and an abuser holds many addresses of
    /// one.
    pub fn prefix(&self, address: std::net::IpAddr) -> [u8; 16] {
        let prefix: Vec<u8> = match address {
            std::net::IpAddr::V4(v4) => v4.octets()[..3].to_vec(),
            std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.octets()[..3].to_vec(),
                None => v6.octets()[..6].to_vec(),
            },
        };
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_slice()).unwrap_or_else(|_| unreachable!());
        mac.update(&prefix);
        let full: [u8; 32] = mac.finalize().into_bytes().into();
        let mut short = [0u8; 16];
        short.copy_from_slice(&full[..16]);
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_derives_the_same_keys_and_other_codes_salts_or_peppers_do_not() {
        let code = ReturnCode::parse("1234 5678 9012 3456").unwrap();
        let pepper = Pepper::from_bytes([1; 32]);
        let salt = [2; 16];
        let keys = derive(&code, &salt, &pepper);
        let again = derive(&ReturnCode::parse("1234567890123456").unwrap(), &salt, &pepper);
        assert_eq!(keys.lookup, again.lookup);
        assert_eq!(keys.recipient().to_string(), again.recipient().to_string());
        let other_code = derive(&ReturnCode::parse("1234 5678 9012 3457").unwrap(), &salt, &pepper);
        let other_salt = derive(&code, &[3; 16], &pepper);
        let other_pepper = derive(&code, &salt, &Pepper::from_bytes([4; 32]));
        for other in [&other_code, &other_salt, &other_pepper] {
            assert_ne!(keys.lookup, other.lookup);
            assert_ne!(keys.recipient().to_string(), other.recipient().to_string());
        }
        // The lookup and the key are unrelated halves: the lookup is not the key's bytes.
        let sealed = clew_vault::seal(&[keys.recipient()], b"SYNTHETIC").unwrap();
        assert_eq!(clew_vault::open(&again.identity, &sealed).unwrap().as_slice(), b"SYNTHETIC");
        assert!(!format!("{keys:?} {pepper:?}").contains("1234"));
    }

    #[test]
    fn addresses_of_one_prefix_count_together() {
        let key = AddressKey::default();
        let a = key.prefix("203.0.113.7".parse().unwrap());
        assert_eq!(a, key.prefix("203.0.113.200".parse().unwrap()));
        assert_eq!(a, key.prefix("::ffff:203.0.113.9".parse().unwrap()));
        assert_ne!(a, key.prefix("203.0.114.7".parse().unwrap()));
        assert_eq!(key.prefix("2001:db8:1::1".parse().unwrap()), key.prefix("2001:db8:1:ffff::2".parse().unwrap()));
        assert_ne!(key.prefix("2001:db8:1::1".parse().unwrap()), key.prefix("2001:db8:2::1".parse().unwrap()));
        // Another run of the server, another key: nothing carries over.
        assert_ne!(a, AddressKey::default().prefix("203.0.113.7".parse().unwrap()));
    }
}
