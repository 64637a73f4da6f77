-- clew safe line, schema version 1. This database holds only sealed bytes and what caseworkers need to sort
-- them: no plaintext, no address, no browser, no time finer than the day. What senders write is sealed to the
-- caseworkers' age keys before it reaches this file; replies are sealed to the conversation's key and the
-- caseworkers'.

-- The safe line's salt for deriving conversations' keys from return codes (16 random bytes, not secret).
-- The pepper, which is secret, is kept apart from this database.
CREATE TABLE setting (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- Numbers are random (conversations: seven digits; messages: 63 bits), never sequential: the order rows were
-- written in, across conversations, would bound when each was written. Within a conversation, `seq` orders its
-- messages.
CREATE TABLE conversation (
    number INTEGER PRIMARY KEY,
    -- What a return code derives, to find the conversation by (HMAC with the pepper); NULL when the sender
    -- wanted no answer.
    lookup BLOB UNIQUE,
    -- The conversation's age public key, replies are sealed to; NULL when the sender wanted no answer.
    reply_key TEXT,
    -- The day it was opened (YYYY-MM-DD, UTC).
    opened TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'in-contact', 'referred', 'closed'))
);

CREATE TABLE message (
    number INTEGER PRIMARY KEY,
    conversation INTEGER NOT NULL REFERENCES conversation(number),
    -- Its place in its conversation: 1, 2, 3...
    seq INTEGER NOT NULL,
    -- letter: a sender's, sealed to the caseworkers; reply: a caseworker's, sealed to the conversation's key and
    -- the caseworkers; note: a caseworker's, sealed to the caseworkers.
    kind TEXT NOT NULL CHECK (kind IN ('letter', 'reply', 'note')),
    day TEXT NOT NULL,
    sealed BLOB NOT NULL,
    -- 1 once a caseworker has fetched it.
    seen INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX message_conversation ON message(conversation, seq);

-- The files of a letter, as sent: each in one or more chunks, each chunk sealed on its own (a file sent whole is
-- one chunk; a file sent in chunks by the page's script keeps the chunks as they arrived).
CREATE TABLE file (
    message INTEGER NOT NULL REFERENCES message(number),
    position INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (message, position, chunk)
) WITHOUT ROWID;

-- Files on their way in chunks, before the letter that lists them: a token the sender's page chose at random,
-- the day, and how many chunks the file has. A letter takes its uploads' chunks into `file` and removes them
-- here; uploads no letter took are forgotten after a day.
CREATE TABLE upload (
    token BLOB PRIMARY KEY,
    day TEXT NOT NULL,
    chunks INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE upload_chunk (
    token BLOB NOT NULL REFERENCES upload(token),
    chunk INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (token, chunk)
) WITHOUT ROWID;
