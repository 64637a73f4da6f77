//! The vault: protected witness data is sealed to the project's custodians before it touches disk, in the
//! age format (<https://age-encryption.org/v1>), so that a custodian can open it with clew or with the
//! standard `age` tool, and nobody else can. Custodians' secret keys are never stored in a project.
//! Attachments are sealed the same way, streaming, into content-addressed blobs ([`blobs`]).

pub mod blobs;
pub mod log;
pub mod shares;
pub mod signing;

use std::io::{Read, Write};
use std::str::FromStr;

use zeroize::Zeroizing;

/// What can go wrong in the vault. Messages never contain secrets or plaintext.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A custodian key is not an age X25519 recipient.
    #[error(
        "`{0}` is not an age public key (it starts with `age1`; a custodian makes one with `clew keys custodian new`)"
    )]
    NotARecipient(String),
    /// An identity file holds no usable identity.
    #[error("{0} holds no age secret key (a line starting with AGE-SECRET-KEY-1)")]
    NoIdentity(String),
    /// Sealing needs at least one custodian.
    #[error("there is no custodian to seal protected data to; add one with `clew keys custodian add age1...`")]
    NoCustodian,
    /// The identity is not one the data was sealed to, or the data is damaged.
    #[error("cannot open the protected data with this key: it was not sealed to it, or it is damaged")]
    CannotOpen,
    /// The age library failed to encrypt.
    #[error("sealing failed: {0}")]
    Seal(String),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
    /// The passphrase does not unlock the project key.
    #[error("wrong passphrase: it does not unlock the project's keys")]
    WrongPassphrase,
    /// A passphrase too short to protect a key.
    #[error("a passphrase must have at least 8 characters")]
    WeakPassphrase,
    /// The key file is damaged or not a clew key.
    #[error("the key file {0} is damaged or is not a clew key file")]
    CorruptKey(String),
    /// Key shares that do not rebuild a key.
    #[error("{0}")]
    Shares(String),
    /// A signed tree head does not check out.
    #[error("the signed tree head is not valid: {0}")]
    BadSignature(String),
}

/// An age X25519 public key (`age1...`) to seal to: a custodian's, or the project's own.
#[derive(Clone)]
pub struct Recipient(age::x25519::Recipient);

impl FromStr for Recipient {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        age::x25519::Recipient::from_str(text).map(Recipient).map_err(|_| {
            // Show the start only: a secret key pasted here by mistake must not be echoed whole.
            let shown: String = text.chars().take(12).collect();
            Error::NotARecipient(format!("{shown}…"))
        })
    }
}

impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recipient({})", self.0)
    }
}

/// Age X25519 secret keys: a custodian's, read from an identity file and never stored in a project, or the
/// project's own, unlocked with the passphrase. Wiped when dropped.
pub struct Identity(Vec<age::x25519::Identity>);

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity(<{} secret key(s)>)", self.0.len())
    }
}

impl Identity {
    /// Reads the age secret keys in an identity file's text (`AGE-SECRET-KEY-1...` lines; `#` comments).
    pub fn parse(text: &str, name: &str) -> Result<Identity, Error> {
        let identities: Vec<age::x25519::Identity> = text
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("AGE-SECRET-KEY-1"))
            .filter_map(|line| age::x25519::Identity::from_str(line).ok())
            .collect();
        if identities.is_empty() {
            return Err(Error::NoIdentity(name.to_string()));
        }
        Ok(Identity(identities))
    }
}

impl Identity {
    /// The age X25519 identity whose secret scalar is these 32 bytes (the safe line derives a conversation's
    /// key from its return code this way). The bytes are wiped once encoded.
    pub fn from_secret_bytes(bytes: &Zeroizing<[u8; 32]>) -> Identity {
        use bech32::ToBase32;
        let base32 = bytes.as_slice().to_base32();
        // The HRP is a constant that bech32 accepts: encoding cannot fail.
        let encoded = Zeroizing::new(
            bech32::encode("age-secret-key-", base32, bech32::Variant::Bech32)
                .map(|text| text.to_uppercase())
                .unwrap_or_default(),
        );
        Identity(age::x25519::Identity::from_str(&encoded).into_iter().collect())
    }

    /// The public keys of these secret keys.
    pub fn recipients(&self) -> Vec<Recipient> {
        self.0.iter().map(|identity| Recipient(identity.to_public())).collect()
    }

    /// These keys and another identity's, together: data sealed to either opens.
    pub fn and(&self, other: &Identity) -> Identity {
        Identity(self.0.iter().chain(&other.0).cloned().collect())
    }
}

/// A newly made custodian key pair: the identity file's text (secret) and the public key.
pub struct NewCustodian {
    /// The identity file's text, for the custodian alone; wiped when dropped.
    pub identity_file: Zeroizing<String>,
    /// The public key to add to projects.
    pub key: Recipient,
}

/// Makes a new custodian key pair.
pub fn new_custodian(comment: &str) -> NewCustodian {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let key = Recipient(identity.to_public());
    let secret = identity.to_string();
    let identity_file = Zeroizing::new(format!(
        "# {comment}\n# public key: {key}\n# Keep this file secret and safe: it opens protected witness data.\n{}\n",
        secret.expose_secret()
    ));
    NewCustodian { identity_file, key }
}

/// An age encryptor to every recipient.
fn encryptor(custodians: &[Recipient]) -> Result<age::Encryptor, Error> {
    if custodians.is_empty() {
        return Err(Error::NoCustodian);
    }
    let recipients = custodians.iter().map(|c| &c.0 as &dyn age::Recipient);
    age::Encryptor::with_recipients(recipients).map_err(|e| Error::Seal(e.to_string()))
}

/// Seals plaintext to every recipient (age binary format).
pub fn seal(custodians: &[Recipient], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let encryptor = encryptor(custodians)?;
    let mut sealed = Vec::with_capacity(plaintext.len() + 256);
    let mut writer = encryptor.wrap_output(&mut sealed).map_err(|e| Error::Seal(e.to_string()))?;
    writer.write_all(plaintext).map_err(|e| Error::Seal(e.to_string()))?;
    writer.finish().map_err(|e| Error::Seal(e.to_string()))?;
    Ok(sealed)
}

/// Seals a stream to recipients as it is written (age, constant memory); [`SealingWriter::finish`] writes
/// the last chunk and gives the output back.
pub struct SealingWriter<W: Write>(age::stream::StreamWriter<W>);

impl<W: Write> SealingWriter<W> {
    /// Starts sealing to `recipients` into `output`.
    pub fn new(recipients: &[Recipient], output: W) -> Result<SealingWriter<W>, Error> {
        encryptor(recipients)?.wrap_output(output).map(SealingWriter).map_err(|e| Error::Seal(e.to_string()))
    }

    /// Ends the stream; without this the output is not a whole age file.
    pub fn finish(self) -> Result<W, Error> {
        self.0.finish().map_err(|e| Error::Seal(e.to_string()))
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.0.write(buffer)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Random bytes from the operating system, as hex: for salts.
pub fn random_hex(length: usize) -> String {
    use rand_core_06::RngCore;
    let mut bytes = vec![0u8; length];
    rand_core_06::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether bytes begin like an age file (binary format).
pub fn is_sealed(start: &[u8]) -> bool {
    start.starts_with(b"age-encryption.org/v1\n")
}

/// Opens a sealed stream with an identity, streaming its plaintext.
pub fn open_stream<R: Read>(identity: &Identity, input: R) -> Result<impl Read, Error> {
    let decryptor = age::Decryptor::new(input).map_err(|_| Error::CannotOpen)?;
    let identities = identity.0.iter().map(|i| i as &dyn age::Identity);
    decryptor.decrypt(identities).map_err(|_| Error::CannotOpen)
}

/// Opens sealed data with an identity. The plaintext is wiped when dropped.
pub fn open(identity: &Identity, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let decryptor = age::Decryptor::new(sealed).map_err(|_| Error::CannotOpen)?;
    let identities = identity.0.iter().map(|i| i as &dyn age::Identity);
    let mut reader = decryptor.decrypt(identities).map_err(|_| Error::CannotOpen)?;
    let mut plaintext = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut plaintext).map_err(|_| Error::CannotOpen)?;
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_for_each_custodian_and_no_one_else() {
        let first = new_custodian("first");
        let second = new_custodian("second");
        let stranger = new_custodian("stranger");
        let sealed = seal(&[first.key.clone(), second.key.clone()], b"SYNTHETIC-SECRET").unwrap();
        assert!(!sealed.windows(16).any(|w| w == b"SYNTHETIC-SECRET"));
        for custodian in [&first, &second] {
            let identity = Identity::parse(&custodian.identity_file, "key").unwrap();
            assert_eq!(open(&identity, &sealed).unwrap().as_slice(), b"SYNTHETIC-SECRET");
        }
        let identity = Identity::parse(&stranger.identity_file, "key").unwrap();
        assert!(matches!(open(&identity, &sealed), Err(Error::CannotOpen)));
        let mut damaged = sealed.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        let identity = Identity::parse(&first.identity_file, "key").unwrap();
        assert!(matches!(open(&identity, &damaged), Err(Error::CannotOpen)));
    }

    #[test]
    fn an_identity_from_secret_bytes_is_stable_and_opens_what_is_sealed_to_it() {
        let bytes = Zeroizing::new([7u8; 32]);
        let identity = Identity::from_secret_bytes(&bytes);
        let again = Identity::from_secret_bytes(&bytes);
        assert_eq!(identity.recipients().len(), 1);
        assert_eq!(identity.recipients()[0].to_string(), again.recipients()[0].to_string());
        let other = Identity::from_secret_bytes(&Zeroizing::new([8u8; 32]));
        assert_ne!(identity.recipients()[0].to_string(), other.recipients()[0].to_string());
        let sealed = seal(&identity.recipients(), b"SYNTHETIC").unwrap();
        assert_eq!(open(&again, &sealed).unwrap().as_slice(), b"SYNTHETIC");
        assert!(open(&other, &sealed).is_err());
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_secrets() {
        assert!(matches!(seal(&[], b"x"), Err(Error::NoCustodian)));
        let pair = new_custodian("c");
        let secret_line = pair.identity_file.lines().find(|l| l.starts_with("AGE-SECRET-KEY-1")).unwrap().to_string();
        let error = secret_line.parse::<Recipient>().unwrap_err().to_string();
        assert!(!error.contains(&secret_line[12..]), "{error}");
        assert!(Identity::parse("# nothing here\n", "k.txt").unwrap_err().to_string().contains("k.txt"));
        let key: Recipient = pair.key.to_string().parse().unwrap();
        assert_eq!(key.to_string(), pair.key.to_string());
    }
}
