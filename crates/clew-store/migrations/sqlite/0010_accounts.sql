-- clew store, schema version 10: the accounts of the people who use a project through `clew serve` (`clew user`).
-- A password is kept as its Argon2id hash only; a one-time password (made by `user add` and `user reset`) must be
-- changed at the first sign-in. Admins and custodians have a second factor (a TOTP secret, base32). Accounts are
-- never deleted, only disabled, so that the custody log's names keep meaning someone. Who made or last changed an
-- account, and when, is its batch's; every change is a custody event.
CREATE TABLE account (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'custodian', 'coder', 'analyst', 'viewer')),
    password_hash TEXT NOT NULL,
    password_is_temporary INTEGER NOT NULL CHECK (password_is_temporary IN (0, 1)),
    totp_secret TEXT,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_batch INTEGER NOT NULL REFERENCES batch(id),
    batch INTEGER NOT NULL REFERENCES batch(id)
);
