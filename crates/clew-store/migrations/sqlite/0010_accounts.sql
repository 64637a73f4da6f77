-- clew store, schema version 10: the accounts of the people who use a project through `clew serve` (`clew user`),
-- and their sessions. A password is kept as its Argon2id hash only; a one-time password (made by `user add` and
-- `user reset`) must be changed at the first sign-in. Admins and custodians have a second factor (a TOTP secret,
-- base32); the last time step a code was accepted for is kept, so that no code is accepted twice. Accounts are never
-- deleted, only disabled, so that the custody log's names keep meaning someone. Who made or last changed an account,
-- and when, is its batch's; every change is a custody event.
CREATE TABLE account (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'custodian', 'coder', 'analyst', 'viewer')),
    password_hash TEXT NOT NULL,
    password_is_temporary INTEGER NOT NULL CHECK (password_is_temporary IN (0, 1)),
    totp_secret TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_batch INTEGER NOT NULL REFERENCES batch(id),
    batch INTEGER NOT NULL REFERENCES batch(id)
);

-- A signed-in session: the SHA-256 of its token (the token itself is only ever the browser's), whose account, and
-- until when (Unix seconds). Ended sessions are deleted; disabling an account deletes its sessions.
CREATE TABLE session (
    token_sha256 TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES account(name),
    expires_at INTEGER NOT NULL,
    batch INTEGER NOT NULL REFERENCES batch(id)
);
CREATE INDEX session_account ON session (account);

-- An API token for scripts: the SHA-256 of the token (the token itself is shown once, to its owner), whose account,
-- what it is for. Revoked tokens stay (revoked = 1); a reset revokes an account's tokens, and a disabled account's
-- tokens open nothing.
CREATE TABLE api_token (
    token_sha256 TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES account(name),
    label TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    batch INTEGER NOT NULL REFERENCES batch(id)
);
CREATE INDEX api_token_account ON api_token (account);
