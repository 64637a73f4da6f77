//! The accounts of the people who use a project through `clew serve`: added by an admin with a role and a
//! one-time password (kept as its Argon2id hash only), with a second factor (TOTP) for the roles that can
//! change who does what or reach protected data, disabled rather than deleted, reset when a password or a
//! phone is lost. Every change is a custody event naming the account, never a password or a secret.

use clew_custody::EventKind;
use clew_store::{Account, Credentials, NewAccount, NewSession};
use rand::Rng;
use zeroize::Zeroizing;

use crate::{Actor, Code, Error, Result, Service, batch};

/// What an account may do (the role × route matrix of the server is written in these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts, and everything a coder and an analyst do.
    Admin,
    /// Holds a custodian key: everything an analyst does, and the custody views (protected data is opened with
    /// the CLI on the custodian's own machine, never by the server).
    Custodian,
    /// Codes testimonies: adds and corrects facts, reviews linkage.
    Coder,
    /// Reads everything the project's sensitivity allows and runs the analyses.
    Analyst,
    /// Reads.
    Viewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [Role::Admin, Role::Custodian, Role::Coder, Role::Analyst, Role::Viewer];

    /// Its name, as stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Custodian => "custodian",
            Role::Coder => "coder",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
        }
    }

    /// The role of a name; `None` for any other word.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Whether signing in needs a second factor: the roles that manage accounts or custody.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::Custodian)
    }

    /// The most sensitive statements the role may read: viewers what may be published, analysts what the team
    /// and its partners may see, coders, custodians and admins what could help re-identify a witness too.
    /// Protected data (identities) is above every role: the server never opens it.
    pub fn ceiling(self) -> clew_model::Sensitivity {
        match self {
            Role::Viewer => clew_model::Sensitivity::Public,
            Role::Analyst => clew_model::Sensitivity::Internal,
            Role::Coder | Role::Custodian | Role::Admin => clew_model::Sensitivity::Restricted,
        }
    }
}

impl Role {
    /// The audiences a dossier made by this role may be for. A dossier is made from every fact of the
    /// consenting testimonies, restricted ones included, and it leaves the project: admins and custodians (who
    /// answer for the witnesses' safety) make them for every audience; coders for the team only; analysts and
    /// viewers make none.
    pub fn dossier_audiences(self) -> &'static [clew_disclosure::package::Audience] {
        use clew_disclosure::package::Audience;
        match self {
            Role::Admin | Role::Custodian => &Audience::ALL,
            Role::Coder => &[Audience::Internal],
            Role::Analyst | Role::Viewer => &[],
        }
    }
}

/// The longest account name.
pub const MAX_USER_NAME_CHARS: usize = 64;

/// Characters of a one-time password: letters and digits that cannot be misread for one another (no 0/O, 1/l/I).
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A one-time password: four groups of five characters, about 115 bits.
fn one_time_password() -> Zeroizing<String> {
    let mut rng = rand::rng();
    let mut password = Zeroizing::new(String::with_capacity(23));
    for index in 0..20 {
        if index > 0 && index % 5 == 0 {
            password.push('-');
        }
        password.push(char::from(PASSWORD_ALPHABET[rng.random_range(0..PASSWORD_ALPHABET.len())]));
    }
    password
}

/// A password's Argon2id hash (PHC string: algorithm, parameters, salt and hash), with Argon2's default
/// parameters (19 MiB, 2 passes, 1 lane: OWASP's minimum for Argon2id).
fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::internal(format!("hashing a password: {e}")))
}

/// Whether `password` is the one whose hash is `hash`.
pub fn password_matches(hash: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .is_ok_and(|hash| argon2::Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A second factor to add to an authenticator app.
#[derive(Clone, serde::Serialize)]
pub struct TotpEnrolment {
    /// The secret (base32), to type in.
    pub secret: String,
    /// The `otpauth://` URI, to open or show as a QR code.
    pub uri: String,
}

/// A new TOTP secret for `name` (RFC 6238: SHA-1, six digits, thirty seconds, as authenticator apps expect).
fn new_second_factor(project: &str, name: &str) -> Result<(String, TotpEnrolment)> {
    let secret = totp_rs::Secret::generate_secret();
    let bytes = secret.to_bytes().map_err(|e| Error::internal(format!("a TOTP secret: {e:?}")))?;
    // The issuer an authenticator app shows: the project's name, said once to be clew's ("clew demo", not
    // "clew clew demo").
    let issuer =
        if project.to_lowercase().starts_with("clew") { project.to_string() } else { format!("clew {project}") };
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, Some(issuer), name.into())
        .map_err(|e| Error::internal(format!("a TOTP secret: {e}")))?;
    let encoded = secret.to_encoded().to_string();
    Ok((encoded.clone(), TotpEnrolment { secret: encoded, uri: totp.get_url() }))
}

/// Credentials given out once: the one-time password, and the second factor for the roles that need one.
#[derive(Clone, serde::Serialize)]
pub struct IssuedCredentials {
    /// The account.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// The one-time password, shown this once; it must be changed at the first sign-in.
    pub password: String,
    /// The second factor, for admins and custodians.
    pub second_factor: Option<TotpEnrolment>,
}

impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed: debug output reaches logs.
        f.write_str("TotpEnrolment { .. }")
    }
}

impl std::fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredentials").field("name", &self.name).field("role", &self.role).finish_non_exhaustive()
    }
}

impl Drop for IssuedCredentials {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.password.zeroize();
        if let Some(totp) = &mut self.second_factor {
            totp.secret.zeroize();
            totp.uri.zeroize();
        }
    }
}

/// The script of a letter, as far as telling names apart needs: letters of two scripts in one name are how
/// `admin` and `аdmin` (a Cyrillic а) come to look the same.
fn script(c: char) -> u8 {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' => 1,
        '\u{370}'..='\u{3ff}' => 2,
        '\u{400}'..='\u{52f}' => 3,
        '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ac00}'..='\u{d7a3}' => 4,
        '\u{4e00}'..='\u{9fff}' => 5,
        _ if c.is_alphabetic() => 6,
        _ => 0,
    }
}

/// An account name as kept and compared: Unicode NFC (the same name typed on any system is the same name).
pub fn normal_user_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc().collect()
}

/// Checks an account name (already [`normal_user_name`]): 1 to 64 lower-case letters of one script (staff may
/// sign in by a Korean or Russian name), digits, `.`, `_` or `-`; nothing a compatibility form would change
/// (full-width letters, ligatures). So no two accounts look alike.
pub fn check_user_name(name: &str) -> Result<()> {
    use unicode_normalization::UnicodeNormalization;
    let count = name.chars().count();
    let allowed = name.chars().all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || "._-".contains(c));
    let scripts: std::collections::BTreeSet<u8> = name.chars().map(script).filter(|s| *s != 0).collect();
    let stable = name.nfkc().eq(name.chars());
    if count == 0 || count > MAX_USER_NAME_CHARS || !allowed || scripts.len() > 1 || !stable {
        return Err(Error::usage(format!(
            "an account name is 1 to {MAX_USER_NAME_CHARS} lower-case letters of one script, digits, `.`, `_` or `-`, \
             without spaces"
        )));
    }
    Ok(())
}

impl Service {
    /// Adds an account with a role and a one-time password (and a second factor for admins and custodians),
    /// for `actor`. The credentials are returned once; only the password's hash is kept.
    pub fn add_user(&self, actor: &Actor, name: &str, role: Role) -> Result<IssuedCredentials> {
        let name = &normal_user_name(name);
        check_user_name(name)?;
        let (credentials, issued) = self.new_credentials(name, role)?;
        let batch = batch(actor, EventKind::AccountAdd.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let account = NewAccount { name: name.to_string(), role: role.as_str().to_string(), credentials };
        if !tx.put_account(&account)? {
            return Err(Error::new(Code::Conflict, format!("there is an account `{name}` already (enabled or not)")));
        }
        let detail =
            serde_json::json!({"name": name, "role": role.as_str(), "second_factor": role.needs_second_factor()});
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::AccountAdd, &detail)?;
        tx.commit()?;
        Ok(issued)
    }

    /// The accounts, by name.
    pub fn users(&self) -> Result<Vec<Account>> {
        Ok(self.project.read()?.accounts()?)
    }

    /// Disables (or enables again) an account, for `actor`. The last enabled admin cannot be disabled.
    pub fn set_user_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<()> {
        let name = &normal_user_name(name);
        let kind = if disabled { EventKind::AccountDisable } else { EventKind::AccountEnable };
        let batch = batch(actor, kind.as_str());
        let mut tx = self.project.store().write(&batch)?;
        if !tx.set_account_disabled(name, disabled)? {
            return Err(no_account(name));
        }
        clew_custody::record_event(tx.as_mut(), &batch, kind, &serde_json::json!({"name": name}))?;
        tx.commit()?;
        Ok(())
    }

    /// Gives an account another role, for `actor`; its sessions end (its API tokens act under the new role). A
    /// role that needs a second factor (admin, custodian) given to an account without one comes with new
    /// credentials, returned to be given out once, as a reset gives them. The last enabled admin keeps its role.
    pub fn set_user_role(&self, actor: &Actor, name: &str, role: Role) -> Result<Option<IssuedCredentials>> {
        let name = &normal_user_name(name);
        let batch = batch(actor, EventKind::AccountRole.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let account = tx.reads().accounts()?.into_iter().find(|a| a.name == *name).ok_or_else(|| no_account(name))?;
        if account.role == role.as_str() {
            return Err(Error::usage(format!("`{name}` is a{} {} already", article(role), role.as_str())));
        }
        let issued = if role.needs_second_factor() && !account.second_factor {
            let (credentials, issued) = self.new_credentials(name, role)?;
            if !tx.set_account_credentials(name, &credentials)? {
                return Err(no_account(name));
            }
            tx.revoke_api_tokens(name)?;
            Some(issued)
        } else {
            None
        };
        if !tx.set_account_role(name, role.as_str())? {
            return Err(no_account(name));
        }
        let detail = serde_json::json!({
            "name": name, "from": account.role, "to": role.as_str(), "new_credentials": issued.is_some(),
        });
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::AccountRole, &detail)?;
        tx.commit()?;
        Ok(issued)
    }

    /// Gives an account a new one-time password (and a new second factor, for admins and custodians), for
    /// `actor`: the old password and second factor stop working.
    pub fn reset_user(&self, actor: &Actor, name: &str) -> Result<IssuedCredentials> {
        let name = &normal_user_name(name);
        let batch = batch(actor, EventKind::AccountReset.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let account = tx.reads().accounts()?.into_iter().find(|a| a.name == *name).ok_or_else(|| no_account(name))?;
        let role = Role::parse(&account.role)
            .ok_or_else(|| Error::internal(format!("account `{name}` has the unknown role `{}`", account.role)))?;
        let (credentials, issued) = self.new_credentials(name, role)?;
        if !tx.set_account_credentials(name, &credentials)? {
            return Err(no_account(name));
        }
        tx.revoke_api_tokens(name)?;
        let detail = serde_json::json!({"name": name, "second_factor": role.needs_second_factor()});
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::AccountReset, &detail)?;
        tx.commit()?;
        Ok(issued)
    }

    /// New credentials for an account: what is stored, and what is given out once.
    fn new_credentials(&self, name: &str, role: Role) -> Result<(Credentials, IssuedCredentials)> {
        let password = one_time_password();
        let second_factor =
            role.needs_second_factor().then(|| new_second_factor(&self.project.config.name, name)).transpose()?;
        let credentials = Credentials {
            password_hash: hash_password(&password)?,
            password_is_temporary: true,
            totp_secret: second_factor.as_ref().map(|(secret, _)| secret.clone()),
        };
        let issued = IssuedCredentials {
            name: name.to_string(),
            role,
            password: password.to_string(),
            second_factor: second_factor.map(|(_, enrolment)| enrolment),
        };
        Ok((credentials, issued))
    }
}

/// How long a session lasts, from sign-in (seconds): a working day.
pub const SESSION_SECONDS: u64 = 12 * 3600;

/// The shortest password an account owner may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The longest password taken (Argon2 takes any length; a megabyte of "password" is an attack, not a password).
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A signed-in session.
#[derive(Debug)]
pub struct Session {
    /// The token the browser or script keeps and sends back (the project keeps only its SHA-256).
    pub token: Zeroizing<String>,
    /// Whose.
    pub account: Account,
    /// Until when (Unix seconds).
    pub expires_at: u64,
}

/// The time step (RFC 6238: thirty seconds) of a code valid at `now` for `secret`, one step of clock drift
/// either way allowed; `None` when the code is not one of them.
fn totp_step(secret: &str, code: &str, now: u64) -> Option<u64> {
    let bytes = totp_rs::Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    let code = code.trim();
    (now / 30).checked_sub(1).into_iter().chain([now / 30, now / 30 + 1]).find(|step| {
        let expected = totp.generate(step * 30);
        // Compared whole, whatever the first difference, so that timing says nothing of the code.
        expected.len() == code.len() && expected.bytes().zip(code.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
    })
}

/// The SHA-256 (hex) a session token is kept as.
fn token_hash(token: &str) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(token.as_bytes()))
}

/// Why every refused sign-in reads the same: it never says whether the name exists.
const SIGN_IN_REFUSED: &str = "the account name, password or code is wrong, or the account is disabled";

impl Service {
    /// Signs `name` in with its password and, for admins and custodians, a second-factor code, at `now` (Unix
    /// seconds). A refusal is `unauthenticated` and never says why; the custody log records it with the account
    /// (when there is one) and the reason, never what was typed. A code is accepted once.
    pub fn sign_in(&self, name: &str, password: &str, code: Option<&str>, now: u64) -> Result<Session> {
        let name = &normal_user_name(name);
        let found = if password.chars().count() > MAX_PASSWORD_CHARS || check_user_name(name).is_err() {
            None
        } else {
            self.project.read()?.account_credentials(name)?
        };
        let Some((account, credentials)) = found else {
            // As long as a real check, so that timing does not tell which names exist.
            let _ = hash_password("not an account");
            return self.refuse_sign_in(None, "no such account");
        };
        if !password_matches(&credentials.password_hash, password) {
            return self.refuse_sign_in(Some(name), "password");
        }
        if account.disabled {
            return self.refuse_sign_in(Some(name), "disabled");
        }
        let role = Role::parse(&account.role)
            .ok_or_else(|| Error::internal(format!("account `{name}` has the unknown role `{}`", account.role)))?;
        let second_factor = match (&credentials.totp_secret, role.needs_second_factor()) {
            (Some(secret), _) => match code.and_then(|code| totp_step(secret, code, now)) {
                Some(step) => Some((secret.as_str(), step)),
                None => return self.refuse_sign_in(Some(name), "second factor"),
            },
            (None, true) => {
                return Err(Error::internal(format!("account `{name}` needs a second factor and has none")));
            }
            (None, false) => None,
        };
        let token = Zeroizing::new(hex::encode(rand::rng().random::<[u8; 32]>()));
        let expires_at = now.saturating_add(SESSION_SECONDS);
        let batch = batch(&Actor::new(name)?, EventKind::SignIn.as_str());
        let mut tx = self.project.store().write(&batch)?;
        // What was checked on the snapshot must still hold: a reset or disabling that committed meanwhile wins.
        if let Some((secret, step)) = second_factor
            && !tx.accept_totp_step(name, secret, step)?
        {
            drop(tx);
            return self.refuse_sign_in(Some(name), "second factor used again, or reset");
        }
        let hash = token_hash(&token);
        let session = NewSession {
            token_sha256: &hash,
            account: name,
            checked_hash: &credentials.password_hash,
            now,
            expires_at,
        };
        if !tx.put_session(&session)? {
            drop(tx);
            return self.refuse_sign_in(Some(name), "reset or disabled while signing in");
        }
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::SignIn, &serde_json::json!({"name": name}))?;
        tx.commit()?;
        Ok(Session { token, account, expires_at })
    }

    /// Logs a refused sign-in and refuses it. Whoever tried is not known: the account tried is in the detail.
    fn refuse_sign_in<T>(&self, account: Option<&str>, why: &str) -> Result<T> {
        let actor = Actor::new("(sign-in)")?;
        self.log_event(&actor, EventKind::SignInFailed, &serde_json::json!({"name": account, "why": why}))?;
        Err(Error::new(Code::Unauthenticated, SIGN_IN_REFUSED))
    }

    /// The account of a session token at `now`: `unauthenticated` when the session is unknown, ended or
    /// expired, or its account is disabled.
    pub fn session(&self, token: &str, now: u64) -> Result<Account> {
        self.project
            .read()?
            .session_account(&token_hash(token), now)?
            .filter(|account| !account.disabled)
            .ok_or_else(|| Error::new(Code::Unauthenticated, "not signed in, or the session ended: sign in again"))
    }

    /// Ends a session (signing out).
    pub fn sign_out(&self, token: &str) -> Result<()> {
        let account = self.session(token, 0)?;
        let batch = batch(&Actor::new(&account.name)?, EventKind::SignOut.as_str());
        let mut tx = self.project.store().write(&batch)?;
        tx.end_session(&token_hash(token))?;
        clew_custody::record_event(
            tx.as_mut(),
            &batch,
            EventKind::SignOut,
            &serde_json::json!({"name": account.name}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Changes the password of the account signed in with `token`, given its current one (a one-time password
    /// must be changed so at the first sign-in). The new one is at least [`MIN_PASSWORD_CHARS`] characters and
    /// not the current one. Every session of the account ends, this one too: the caller gets a new session (a
    /// token seen before the change, by whoever saw it, opens nothing after it). A wrong current password is
    /// logged.
    pub fn change_password(&self, token: &str, current: &str, new: &str, now: u64) -> Result<Session> {
        let account = self.session(token, now)?;
        let name = account.name.as_str();
        let Some((_, credentials)) = self.project.read()?.account_credentials(name)? else {
            return Err(no_account(name));
        };
        if !password_matches(&credentials.password_hash, current) {
            let detail = serde_json::json!({"name": name, "refused": "current password"});
            self.log_event(&Actor::new(name)?, EventKind::PasswordChange, &detail)?;
            return Err(Error::new(Code::Unauthenticated, "the current password is wrong"));
        }
        let length = new.chars().count();
        if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length) || new == current {
            return Err(Error::usage(format!(
                "a new password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters, and not the current one"
            )));
        }
        let new_hash = hash_password(new)?;
        let batch = batch(&Actor::new(name)?, EventKind::PasswordChange.as_str());
        let mut tx = self.project.store().write(&batch)?;
        // Only if no reset or disabling committed since the current password was checked.
        if !tx.change_account_password(name, &credentials.password_hash, &new_hash)? {
            return Err(Error::new(Code::Conflict, "the account was reset or disabled meanwhile: sign in again"));
        }
        let renewed = Zeroizing::new(hex::encode(rand::rng().random::<[u8; 32]>()));
        let renewed_hash = token_hash(&renewed);
        let expires_at = now.saturating_add(SESSION_SECONDS);
        let session =
            NewSession { token_sha256: &renewed_hash, account: name, checked_hash: &new_hash, now, expires_at };
        if !tx.put_session(&session)? {
            return Err(Error::new(Code::Conflict, "the account was reset or disabled meanwhile: sign in again"));
        }
        tx.end_other_sessions(name, &renewed_hash)?;
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::PasswordChange, &serde_json::json!({"name": name}))?;
        tx.commit()?;
        let account = Account { password_is_temporary: false, ..account };
        Ok(Session { token: renewed, account, expires_at })
    }
}

/// "n" before a role that begins with a vowel ("an admin").
fn article(role: Role) -> &'static str {
    if matches!(role, Role::Admin | Role::Analyst) { "n" } else { "" }
}

/// The longest label of an API token.
pub const MAX_TOKEN_LABEL_CHARS: usize = 200;

impl Service {
    /// Makes an API token for a script acting as the enabled account `name`, for `actor`: returned once (the
    /// project keeps its SHA-256). `label` says what it is for (a few words, logged).
    pub fn create_token(&self, actor: &Actor, name: &str, label: &str) -> Result<Zeroizing<String>> {
        let name = &normal_user_name(name);
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_TOKEN_LABEL_CHARS || label.chars().any(char::is_control) {
            return Err(Error::usage(format!(
                "a token's label says what it is for: 1 to {MAX_TOKEN_LABEL_CHARS} characters, one line"
            )));
        }
        let token = Zeroizing::new(format!("clew_{}", hex::encode(rand::rng().random::<[u8; 32]>())));
        let batch = batch(actor, EventKind::TokenCreate.as_str());
        let mut tx = self.project.store().write(&batch)?;
        if !tx.put_api_token(&token_hash(&token), name, label)? {
            return Err(Error::new(Code::NotFound, format!("there is no enabled account `{name}` in this project")));
        }
        let detail = serde_json::json!({"name": name, "label": label});
        clew_custody::record_event(tx.as_mut(), &batch, EventKind::TokenCreate, &detail)?;
        tx.commit()?;
        Ok(token)
    }

    /// The account an API token acts for: `unauthenticated` when the token is unknown or revoked, or its
    /// account disabled. Each use is a custody event.
    pub fn token_user(&self, token: &str) -> Result<Account> {
        let account = self
            .project
            .read()?
            .api_token_account(&token_hash(token))?
            .filter(|account| !account.disabled)
            .ok_or_else(|| Error::new(Code::Unauthenticated, "the API token is unknown or revoked"))?;
        self.log_event(&Actor::new(&account.name)?, EventKind::TokenUse, &serde_json::json!({"name": account.name}))?;
        Ok(account)
    }
}

fn no_account(name: &str) -> Error {
    Error::new(Code::NotFound, format!("there is no account `{name}` in this project (see `clew user list`)"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::tests::{events, project};

    #[test]
    fn an_account_gets_a_one_time_password_kept_only_as_its_hash() {
        let (_dir, service, actor) = project();
        let issued = service.add_user(&actor, "coder-7", Role::Coder).unwrap();
        assert_eq!(issued.password.len(), 23);
        assert!(issued.second_factor.is_none());
        let users = service.users().unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(
            (users[0].role.as_str(), users[0].password_is_temporary, users[0].second_factor),
            ("coder", true, false)
        );
        // What the database holds: an Argon2id hash that the password opens, and nothing else of it.
        for file in ["clew.db", "clew.db-wal"] {
            let bytes = std::fs::read(service.dir().join(file)).unwrap_or_default();
            assert!(!bytes.windows(issued.password.len()).any(|w| w == issued.password.as_bytes()), "{file}");
        }
        let conflict = service.add_user(&actor, "coder-7", Role::Viewer).unwrap_err();
        assert_eq!(conflict.code(), Code::Conflict);
        for lookalike in ["has space", "Coder-7", "аdmin", "ａｄｍｉｎ", "kim김"] {
            assert_eq!(
                service.add_user(&actor, lookalike, Role::Viewer).unwrap_err().code(),
                Code::Usage,
                "{lookalike}"
            );
        }
        // The custody log names the account and its role, never the password.
        let details: Vec<(String, String)> = events(&service).into_iter().map(|e| (e.kind, e.detail)).collect();
        let (kind, detail) = details.last().unwrap();
        assert_eq!(kind, "account-add");
        assert!(detail.contains("coder-7") && !detail.contains(&issued.password), "{detail}");
    }

    #[test]
    fn admins_and_custodians_have_a_second_factor_and_a_reset_replaces_both() {
        let (_dir, service, actor) = project();
        let first = service.add_user(&actor, "관리자", Role::Admin).unwrap();
        let totp = first.second_factor.as_ref().unwrap();
        assert!(totp.uri.starts_with("otpauth://totp/"), "{}", totp.uri);
        assert!(totp.secret.len() >= 26);
        let second = service.reset_user(&actor, "관리자").unwrap();
        assert_ne!(second.password, first.password);
        assert_ne!(second.second_factor.as_ref().unwrap().secret, totp.secret);
        assert!(password_matches(&hash_password(&second.password).unwrap(), &second.password));
        assert!(!password_matches(&hash_password(&second.password).unwrap(), &first.password));
        assert_eq!(service.reset_user(&actor, "nobody").unwrap_err().code(), Code::NotFound);
    }

    #[test]
    fn the_last_enabled_admin_stays() {
        let (_dir, service, actor) = project();
        service.add_user(&actor, "admin-1", Role::Admin).unwrap();
        let error = service.set_user_disabled(&actor, "admin-1", true).unwrap_err();
        assert_eq!(error.code(), Code::Conflict, "{error}");
        service.add_user(&actor, "admin-2", Role::Admin).unwrap();
        service.set_user_disabled(&actor, "admin-1", true).unwrap();
        assert_eq!(service.set_user_disabled(&actor, "admin-2", true).unwrap_err().code(), Code::Conflict);
        service.set_user_disabled(&actor, "admin-1", false).unwrap();
        service.set_user_disabled(&actor, "admin-2", true).unwrap();
        let users = service.users().unwrap();
        assert_eq!(
            users.iter().map(|u| (u.name.as_str(), u.disabled)).collect::<Vec<_>>(),
            [("admin-1", false), ("admin-2", true)]
        );
        assert_eq!(service.set_user_disabled(&actor, "nobody", true).unwrap_err().code(), Code::NotFound);
    }

    /// The code an authenticator app shows at `now` for a base32 secret.
    fn code_at(secret: &str, now: u64) -> String {
        let bytes = totp_rs::Secret::Encoded(secret.to_string()).to_bytes().unwrap();
        totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()).generate(now)
    }

    #[test]
    fn signing_in_needs_the_password_and_for_an_admin_a_fresh_code() {
        let (_dir, service, actor) = project();
        let admin = service.add_user(&actor, "admin-1", Role::Admin).unwrap();
        let secret = admin.second_factor.as_ref().unwrap().secret.clone();
        let now = 1_800_000_000;
        fn refused<T: std::fmt::Debug>(result: Result<T>) {
            assert_eq!(result.unwrap_err().code(), Code::Unauthenticated);
        }
        refused(service.sign_in("admin-1", "wrong", Some(&code_at(&secret, now)), now));
        refused(service.sign_in("admin-1", &admin.password, None, now));
        refused(service.sign_in("admin-1", &admin.password, Some("000000x"), now));
        refused(service.sign_in("nobody", &admin.password, None, now));
        let session = service.sign_in("admin-1", &admin.password, Some(&code_at(&secret, now)), now).unwrap();
        assert_eq!(service.session(&session.token, now + 60).unwrap().name, "admin-1");
        // The same code again, or an older one, is refused: a code seen over a shoulder is spent.
        refused(service.sign_in("admin-1", &admin.password, Some(&code_at(&secret, now)), now + 10));
        refused(service.sign_in("admin-1", &admin.password, Some(&code_at(&secret, now - 30)), now + 10));
        // A session ends with its time, with sign-out, and with the account's disabling.
        refused(service.session(&session.token, now + SESSION_SECONDS));
        service.sign_out(&session.token).unwrap();
        refused(service.session(&session.token, now + 60));
        let coder = service.add_user(&actor, "coder-1", Role::Coder).unwrap();
        let session = service.sign_in("coder-1", &coder.password, None, now).unwrap();
        service.set_user_disabled(&actor, "coder-1", true).unwrap();
        refused(service.session(&session.token, now + 60));
        refused(service.sign_in("coder-1", &coder.password, None, now));
        // The log says who and why, never what was typed.
        let failed: Vec<String> =
            events(&service).into_iter().filter(|e| e.kind == "sign-in-failed").map(|e| e.detail).collect();
        assert_eq!(failed.len(), 7, "{failed:?}");
        assert!(failed.iter().all(|d| !d.contains(&admin.password) && !d.contains("wrong")), "{failed:?}");
        assert!(failed.iter().any(|d| d.contains("\"name\":null")), "{failed:?}");
    }

    #[test]
    fn a_one_time_password_is_changed_by_its_owner() {
        let (_dir, service, actor) = project();
        let coder = service.add_user(&actor, "coder-1", Role::Coder).unwrap();
        let now = 1_800_000_000;
        let session = service.sign_in("coder-1", &coder.password, None, now).unwrap();
        let other = service.sign_in("coder-1", &coder.password, None, now).unwrap();
        let change = |current: &str, new: &str| service.change_password(&session.token, current, new, now + 60);
        assert_eq!(change("wrong", "a long new passphrase").unwrap_err().code(), Code::Unauthenticated);
        assert_eq!(change(&coder.password, "short").unwrap_err().code(), Code::Usage);
        let stranger = service.change_password("not a session", &coder.password, "a long new passphrase", now);
        assert_eq!(stranger.unwrap_err().code(), Code::Unauthenticated);
        let renewed = change(&coder.password, "a long new passphrase").unwrap();
        assert!(!service.users().unwrap()[0].password_is_temporary);
        assert!(!renewed.account.password_is_temporary);
        // The caller stays signed in under a new session; every session from before ends, the caller's too.
        assert_eq!(service.session(&renewed.token, now + 60).unwrap().name, "coder-1");
        assert_eq!(service.session(&session.token, now + 60).unwrap_err().code(), Code::Unauthenticated);
        assert_eq!(service.session(&other.token, now + 60).unwrap_err().code(), Code::Unauthenticated);
        assert_eq!(service.sign_in("coder-1", &coder.password, None, now).unwrap_err().code(), Code::Unauthenticated);
        service.sign_in("coder-1", "a long new passphrase", None, now).unwrap();
        // A reset ends every session.
        service.reset_user(&actor, "coder-1").unwrap();
        assert_eq!(service.session(&renewed.token, now + 60).unwrap_err().code(), Code::Unauthenticated);
    }

    #[test]
    fn an_api_token_acts_for_its_account_until_a_reset_or_disabling() {
        let (_dir, service, actor) = project();
        service.add_user(&actor, "analyst-1", Role::Analyst).unwrap();
        assert_eq!(service.create_token(&actor, "analyst-1", "").unwrap_err().code(), Code::Usage);
        assert_eq!(service.create_token(&actor, "nobody", "nightly export").unwrap_err().code(), Code::NotFound);
        let token = service.create_token(&actor, "analyst-1", "nightly export").unwrap();
        assert_eq!(service.token_user(&token).unwrap().name, "analyst-1");
        assert_eq!(service.token_user("clew_0000").unwrap_err().code(), Code::Unauthenticated);
        service.set_user_disabled(&actor, "analyst-1", true).unwrap();
        assert_eq!(service.token_user(&token).unwrap_err().code(), Code::Unauthenticated);
        service.set_user_disabled(&actor, "analyst-1", false).unwrap();
        assert_eq!(service.token_user(&token).unwrap().name, "analyst-1");
        service.reset_user(&actor, "analyst-1").unwrap();
        assert_eq!(service.token_user(&token).unwrap_err().code(), Code::Unauthenticated);
        let logged = events(&service);
        assert!(logged.iter().all(|e| !e.detail.contains(token.as_str())));
        let kinds: Vec<String> = logged.into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds.iter().filter(|k| *k == "token-use").count(), 2);
        assert_eq!(kinds.iter().filter(|k| *k == "token-create").count(), 1);
    }

    #[test]
    fn a_role_change_ends_sessions_brings_a_second_factor_and_keeps_the_last_admin() {
        let (_dir, service, actor) = project();
        let admin = service.add_user(&actor, "admin-1", Role::Admin).unwrap();
        let coder = service.add_user(&actor, "coder-1", Role::Coder).unwrap();
        let now = 1_800_000_000;
        let session = service.sign_in("coder-1", &coder.password, None, now).unwrap();
        assert!(service.set_user_role(&actor, "coder-1", Role::Analyst).unwrap().is_none());
        assert_eq!(service.session(&session.token, now).unwrap_err().code(), Code::Unauthenticated);
        assert_eq!(service.users().unwrap().iter().find(|u| u.name == "coder-1").unwrap().role, "analyst");
        assert_eq!(service.set_user_role(&actor, "coder-1", Role::Analyst).unwrap_err().code(), Code::Usage);
        // A custodian needs a second factor: new credentials come with the role.
        let issued = service.set_user_role(&actor, "coder-1", Role::Custodian).unwrap().expect("new credentials");
        assert!(issued.second_factor.is_some());
        assert_eq!(service.sign_in("coder-1", &coder.password, None, now).unwrap_err().code(), Code::Unauthenticated);
        // The last admin stays one.
        assert_eq!(service.set_user_role(&actor, "admin-1", Role::Viewer).unwrap_err().code(), Code::Conflict);
        assert!(!admin.password.is_empty());
        assert_eq!(service.set_user_role(&actor, "nobody", Role::Viewer).unwrap_err().code(), Code::NotFound);
        let roles: Vec<String> =
            events(&service).into_iter().filter(|e| e.kind == "account-role").map(|e| e.detail).collect();
        assert_eq!(roles.len(), 2, "{roles:?}");
        assert!(
            roles[1].contains("\"from\":\"analyst\"") && roles[1].contains("\"new_credentials\":true"),
            "{roles:?}"
        );
    }
}
