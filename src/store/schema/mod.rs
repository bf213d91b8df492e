//! The schema, as a list of migrations keyed on `PRAGMA user_version`.
//!
//! Migration N brings a store from version N-1 to N. Never edit a published migration: append a
//! new one, so that every existing store takes the same path.

use rusqlite::Connection;

/// The SQL, the same for SQLite and PostgreSQL, that folds the copies of one email on one
/// parent (one row per person, as kith logged mail before version 9) into the oldest copy:
/// every copy's person becomes one of its participants, in the order they were logged; its
/// history goes with it; a copy whose person was deleted leaves no participant.
macro_rules! fold_email_copies {
    () => {
        r#"
INSERT INTO activity_participants (activity_id, contact_id, position)
SELECT keeper, contact_id, position FROM (
    SELECT min(id) OVER (PARTITION BY parent_id, message_id) AS keeper, contact_id,
           row_number() OVER (PARTITION BY parent_id, message_id ORDER BY id) - 1 AS position
      FROM activities WHERE kind = 'email' AND message_id IS NOT NULL
) AS copies
WHERE contact_id IS NOT NULL
ON CONFLICT DO NOTHING;

UPDATE activities SET contact_id = (
    SELECT p.contact_id FROM activity_participants p WHERE p.activity_id = activities.id
     ORDER BY p.position LIMIT 1)
 WHERE contact_id IS NULL AND kind = 'email'
   AND EXISTS (SELECT 1 FROM activity_participants p WHERE p.activity_id = activities.id);

UPDATE history SET entity_id = (
    SELECT min(k.id) FROM activities a
      JOIN activities k ON k.kind = 'email' AND k.parent_id = a.parent_id
                       AND k.message_id = a.message_id
     WHERE a.id = history.entity_id)
 WHERE entity = 'activity' AND entity_id IN (
    SELECT a.id FROM activities a
     WHERE a.kind = 'email' AND a.message_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM activities k
                    WHERE k.kind = 'email' AND k.parent_id = a.parent_id
                      AND k.message_id = a.message_id AND k.id < a.id));

DELETE FROM activities
 WHERE kind = 'email' AND message_id IS NOT NULL
   AND EXISTS (SELECT 1 FROM activities k
                WHERE k.kind = 'email' AND k.parent_id = activities.parent_id
                  AND k.message_id = activities.message_id AND k.id < activities.id);
"#
    };
}

pub mod postgres;

/// Marks a file as kith's: "kith" in ASCII.
pub const APPLICATION_ID: i32 = 0x6B69_7468;

pub const MIGRATIONS: &[&str] = &[
    // 1: parents (leads and customers in one table, so ids are unique across both and a
    // contact's one parent is a single NOT NULL foreign key), contacts, activities, history.
    r#"
CREATE TABLE parents (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('lead', 'customer')),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    contact_name  TEXT CHECK (contact_name IS NULL OR kind = 'lead'),
    email         TEXT,
    phone         TEXT,
    phone_e164    TEXT,
    website       TEXT,
    industry      TEXT,
    source        TEXT CHECK (source IS NULL OR kind = 'lead'),
    notes         TEXT,
    status        TEXT NOT NULL,
    converted_to  INTEGER REFERENCES parents(id) ON DELETE RESTRICT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK ((kind = 'lead' AND status IN
                ('new', 'information_filled', 'contacted', 'qualified', 'disqualified'))
        OR (kind = 'customer' AND status IN ('active', 'archived'))),
    CHECK (converted_to IS NULL OR kind = 'lead')
);
CREATE INDEX parents_name ON parents(name COLLATE NOCASE);
CREATE INDEX parents_converted_to ON parents(converted_to);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER NOT NULL REFERENCES parents(id) ON DELETE RESTRICT,
    first_name  TEXT,
    last_name   TEXT,
    full_name   TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    email       TEXT,
    phone       TEXT,
    phone_e164  TEXT,
    title       TEXT,
    notes       TEXT,
    moved_to    INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (id, parent_id)
);
CREATE INDEX contacts_parent ON contacts(parent_id);
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE);
CREATE INDEX contacts_title ON contacts(title COLLATE NOCASE);
CREATE INDEX contacts_moved_to ON contacts(moved_to);

-- An activity attached to a contact must be on that contact's parent: the composite key says
-- so, and follows the contact when a conversion moves it to the new customer.
CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER NOT NULL REFERENCES parents(id) ON DELETE RESTRICT,
    contact_id  INTEGER,
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'email')),
    subject     TEXT,
    body        TEXT NOT NULL,
    email_to    TEXT,
    message_id  TEXT,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    FOREIGN KEY (contact_id, parent_id) REFERENCES contacts(id, parent_id) ON UPDATE CASCADE
);
CREATE INDEX activities_parent ON activities(parent_id, created_at);
CREATE INDEX activities_contact ON activities(contact_id, parent_id);

CREATE TABLE history (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('parent', 'contact', 'activity')),
    entity_id  INTEGER NOT NULL,
    action     TEXT NOT NULL,
    changes    TEXT,
    reason     TEXT
);
CREATE INDEX history_entity ON history(entity, entity_id);
"#,
    // 2: what address books hold beside a name: every email and phone with its label, tags,
    // the vCard UID, dates, addresses, URLs, the photo and the properties kith does not model.
    // Emails, phones and tags are tables of their own so that a person is found by any of them
    // through an index; the rest are columns (lists as JSON arrays). A store of version 1 keeps
    // everything: each contact's email and phone become its first, preferred entries, and each
    // contact gets a UID.
    r#"
ALTER TABLE contacts ADD COLUMN middle_name TEXT;
ALTER TABLE contacts ADD COLUMN prefix TEXT;
ALTER TABLE contacts ADD COLUMN suffix TEXT;
ALTER TABLE contacts ADD COLUMN nickname TEXT;
ALTER TABLE contacts ADD COLUMN uid TEXT;
ALTER TABLE contacts ADD COLUMN birthday TEXT;
ALTER TABLE contacts ADD COLUMN anniversary TEXT;
ALTER TABLE contacts ADD COLUMN photo TEXT;
ALTER TABLE contacts ADD COLUMN addresses TEXT CHECK (addresses IS NULL OR json_type(addresses) = 'array');
ALTER TABLE contacts ADD COLUMN urls TEXT CHECK (urls IS NULL OR json_type(urls) = 'array');
ALTER TABLE contacts ADD COLUMN extra TEXT CHECK (extra IS NULL OR json_type(extra) = 'array');

CREATE TABLE contact_emails (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    address     TEXT NOT NULL CHECK (length(trim(address)) > 0),
    label       TEXT,
    preferred   INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX contact_emails_address ON contact_emails(address COLLATE NOCASE);

CREATE TABLE contact_phones (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    number      TEXT NOT NULL CHECK (length(trim(number)) > 0),
    label       TEXT,
    preferred   INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
    e164        TEXT,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX contact_phones_e164 ON contact_phones(e164);

CREATE TABLE contact_tags (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL CHECK (length(trim(tag)) > 0),
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag COLLATE NOCASE);

INSERT INTO contact_emails (contact_id, position, address, preferred)
    SELECT id, 0, email, 1 FROM contacts WHERE email IS NOT NULL;
INSERT INTO contact_phones (contact_id, position, number, preferred, e164)
    SELECT id, 0, phone, 1, phone_e164 FROM contacts WHERE phone IS NOT NULL;
UPDATE contacts SET uid = lower(
    hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
    || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2)
    || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX contacts_uid ON contacts(uid);
"#,
    // 3: a trigram index over what a person is looked up by (name, nickname, title, company,
    // every email address), so that `kith query` reads candidates through an index instead of
    // scanning every contact. Triggers keep it in step with every write, whoever makes it.
    r#"
CREATE VIRTUAL TABLE contact_search USING fts5(body, tokenize = 'trigram', detail = 'none');

-- detail = none: a quarter of the time to fill, and LIKE still goes through the trigrams.
-- Set for the length of one bulk write (an import, the demo), which refreshes the index once for
-- the contacts it wrote instead of row by row.
CREATE TABLE search_control (bulk INTEGER NOT NULL CHECK (bulk IN (0, 1)));
INSERT INTO search_control (bulk) VALUES (0);

CREATE VIEW contact_search_text AS
SELECT c.id AS id,
       c.full_name || ' | ' || coalesce(c.nickname, '') || ' | ' || coalesce(c.title, '')
       || ' | ' || p.name || ' | ' || coalesce(c.email, '') || ' | '
       || coalesce((SELECT group_concat(e.address, ' ') FROM contact_emails e
                     WHERE e.contact_id = c.id), '') AS body
  FROM contacts c JOIN parents p ON p.id = c.parent_id;

CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    INSERT INTO contact_search (rowid, body)
        SELECT id, body FROM contact_search_text WHERE id = NEW.id;
END;
CREATE TRIGGER contact_search_update AFTER UPDATE ON contacts
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.id;
    INSERT INTO contact_search (rowid, body)
        SELECT id, body FROM contact_search_text WHERE id = NEW.id;
END;
CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.id;
END;
CREATE TRIGGER contact_search_email_insert AFTER INSERT ON contact_emails
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = NEW.contact_id;
    INSERT INTO contact_search (rowid, body)
        SELECT id, body FROM contact_search_text WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contact_search_email_delete AFTER DELETE ON contact_emails
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.contact_id;
    INSERT INTO contact_search (rowid, body)
        SELECT id, body FROM contact_search_text WHERE id = OLD.contact_id;
END;
CREATE TRIGGER contact_search_parent_name AFTER UPDATE OF name ON parents
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search
     WHERE rowid IN (SELECT id FROM contacts WHERE parent_id = NEW.id);
    INSERT INTO contact_search (rowid, body)
        SELECT id, body FROM contact_search_text
         WHERE id IN (SELECT id FROM contacts WHERE parent_id = NEW.id);
END;

INSERT INTO contact_search (rowid, body) SELECT id, body FROM contact_search_text;
"#,
    // 4: the index also holds what a lookup shows of each person (`card`: name, nickname, title,
    // company, addresses with their labels), so that `kith query` reads one row per match and
    // no contact; and no column sizes, which nothing ranks by. The parent index covers what the
    // parent list reads of each parent's people.
    r#"
DROP TRIGGER contact_search_insert;
DROP TRIGGER contact_search_update;
DROP TRIGGER contact_search_delete;
DROP TRIGGER contact_search_email_insert;
DROP TRIGGER contact_search_email_delete;
DROP TRIGGER contact_search_parent_name;
DROP VIEW contact_search_text;
DROP TABLE contact_search;

CREATE VIRTUAL TABLE contact_search USING fts5(
    body, card UNINDEXED, tokenize = 'trigram', detail = 'none', columnsize = 0);

CREATE VIEW contact_search_text AS
SELECT c.id AS id,
       c.full_name || ' | ' || coalesce(c.nickname, '') || ' | ' || coalesce(c.title, '')
       || ' | ' || p.name || ' | ' || coalesce(c.email, '') || ' | '
       || coalesce((SELECT group_concat(e.address, ' ') FROM contact_emails e
                     WHERE e.contact_id = c.id), '') AS body,
       json_array(c.full_name, c.nickname, c.title, p.name, c.email,
                  (SELECT json_group_array(json_array(e.position, e.address, e.label, e.preferred))
                     FROM contact_emails e WHERE e.contact_id = c.id)) AS card
  FROM contacts c JOIN parents p ON p.id = c.parent_id;

CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    INSERT INTO contact_search (rowid, body, card)
        SELECT id, body, card FROM contact_search_text WHERE id = NEW.id;
END;
CREATE TRIGGER contact_search_update AFTER UPDATE ON contacts
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.id;
    INSERT INTO contact_search (rowid, body, card)
        SELECT id, body, card FROM contact_search_text WHERE id = NEW.id;
END;
CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.id;
END;
CREATE TRIGGER contact_search_email_insert AFTER INSERT ON contact_emails
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = NEW.contact_id;
    INSERT INTO contact_search (rowid, body, card)
        SELECT id, body, card FROM contact_search_text WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contact_search_email_delete AFTER DELETE ON contact_emails
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.contact_id;
    INSERT INTO contact_search (rowid, body, card)
        SELECT id, body, card FROM contact_search_text WHERE id = OLD.contact_id;
END;
CREATE TRIGGER contact_search_parent_name AFTER UPDATE OF name ON parents
    WHEN (SELECT bulk FROM search_control) = 0 BEGIN
    DELETE FROM contact_search
     WHERE rowid IN (SELECT id FROM contacts WHERE parent_id = NEW.id);
    INSERT INTO contact_search (rowid, body, card)
        SELECT id, body, card FROM contact_search_text
         WHERE id IN (SELECT id FROM contacts WHERE parent_id = NEW.id);
END;

INSERT INTO contact_search (rowid, body, card) SELECT id, body, card FROM contact_search_text;

-- The parent list counts each parent's people and names its first: from this index alone.
DROP INDEX contacts_parent;
CREATE INDEX contacts_parent ON contacts(parent_id, id, full_name);
"#,
    // 5: title search groups and reads people by the title as written, which a case-blind
    // index cannot serve, and reads their names from the index alone. Nothing looks the
    // preferred address up in the contacts table (contact_emails holds every address), and few
    // people moved on: indexes a write no longer has to keep. The parent list reads the most
    // recently changed parents first from an index.
    r#"
DROP INDEX contacts_email;
DROP INDEX contacts_title;
CREATE INDEX contacts_title ON contacts(title, full_name);
DROP INDEX contacts_moved_to;
CREATE INDEX contacts_moved_to ON contacts(moved_to) WHERE moved_to IS NOT NULL;
CREATE INDEX parents_recent ON parents(updated_at DESC, id DESC);

-- The preferred address is one of the addresses: the index held it twice. (The triggers name
-- the view, not its text.)
DROP VIEW contact_search_text;
CREATE VIEW contact_search_text AS
SELECT c.id AS id,
       c.full_name || ' | ' || coalesce(c.nickname, '') || ' | ' || coalesce(c.title, '')
       || ' | ' || p.name || ' | '
       || coalesce((SELECT group_concat(e.address, ' ') FROM contact_emails e
                     WHERE e.contact_id = c.id), '') AS body,
       json_array(c.full_name, c.nickname, c.title, p.name, c.email,
                  (SELECT json_group_array(json_array(e.position, e.address, e.label, e.preferred))
                     FROM contact_emails e WHERE e.contact_id = c.id)) AS card
  FROM contacts c JOIN parents p ON p.id = c.parent_id;
DELETE FROM contact_search;
INSERT INTO contact_search (rowid, body, card) SELECT id, body, card FROM contact_search_text;
"#,
    // 6: merges, each with what it changed so that it can be undone, and the pairs a user said
    // are not duplicates. A merged record's id stays reserved (see columns::insert) so that an
    // undo can give it back.
    r#"
CREATE TABLE merges (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('contact', 'parent')),
    survivor     INTEGER NOT NULL,
    merged       INTEGER NOT NULL,
    merged_name  TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    before       TEXT NOT NULL CHECK (json_valid(before)),
    after        TEXT NOT NULL CHECK (json_valid(after)),
    undone_at    TEXT
);
CREATE INDEX merges_merged ON merges(kind, merged);
CREATE INDEX merges_survivor ON merges(kind, survivor);
CREATE TABLE distinct_pairs (
    kind   TEXT NOT NULL CHECK (kind IN ('contact', 'parent')),
    low    INTEGER NOT NULL,
    high   INTEGER NOT NULL,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    CHECK (low < high),
    PRIMARY KEY (kind, low, high)
) WITHOUT ROWID;
"#,
    // 7: keeping in touch. A contact's own cadence; which way an email went (those kith sent
    // are the only emails before this version); indexes for the last touch of each person and
    // for finding a message logged before.
    r#"
ALTER TABLE contacts ADD COLUMN every_days INTEGER
    CHECK (every_days IS NULL OR (every_days BETWEEN 1 AND 36500));
ALTER TABLE activities ADD COLUMN direction TEXT
    CHECK (direction IS NULL OR (kind = 'email' AND direction IN ('sent', 'received')));
UPDATE activities SET direction = 'sent' WHERE kind = 'email';
CREATE INDEX activities_contact_time ON activities(contact_id, created_at);
CREATE INDEX activities_message ON activities(message_id) WHERE message_id IS NOT NULL;
"#,
    // 8: two-way sync with vdir folders (`kith sync`). Per folder and UID, what was last synced:
    // the file's name, a hash of its bytes and its mtime then, and a hash of the card kith
    // writes for the contact then (a change of the contact, of its company's name or kind shows
    // as a different card); `pending`, the hash of a file kith is about to write (an empty
    // `hash`: never synced yet). A card changed on both sides keeps the file's content until the user
    // chooses. The last run, for "synced at ...".
    r#"
CREATE TABLE sync_state (
    folder           TEXT NOT NULL,
    uid              TEXT NOT NULL,
    file             TEXT NOT NULL,
    hash             TEXT NOT NULL,
    card_hash        TEXT NOT NULL,
    pending          TEXT,
    mtime            INTEGER,
    contact_id       INTEGER,
    contact_version  INTEGER,
    PRIMARY KEY (folder, uid)
) WITHOUT ROWID;
CREATE TABLE sync_conflicts (
    folder      TEXT NOT NULL,
    uid         TEXT NOT NULL,
    contact_id  INTEGER,
    file        TEXT NOT NULL,
    theirs      TEXT,
    at          TEXT NOT NULL,
    PRIMARY KEY (folder, uid)
) WITHOUT ROWID;
CREATE TABLE sync_runs (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    at      TEXT NOT NULL,
    folder  TEXT NOT NULL,
    counts  TEXT NOT NULL CHECK (json_valid(counts))
);
"#,
    // 9: an email is one entry per timeline, naming everyone in it. Before, a message logged
    // for three people at one company was three copies on its timeline; the people of an
    // email are now rows of their own (the activity's contact among them, first), and the
    // copies of one message on one parent fold into the oldest, their history with it.
    concat!(
        r#"
CREATE TABLE activity_participants (
    activity_id  INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (activity_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX activity_participants_contact ON activity_participants(contact_id, activity_id);
CREATE INDEX activities_parent_message ON activities(parent_id, message_id)
    WHERE message_id IS NOT NULL;
"#,
        fold_email_copies!()
    ),
    // 10: what `kith undo` brings back. A change (for now, the deletions of one sync, `detail`
    // naming its folder) and each person it deleted, kept whole: the contact's row, its emails,
    // phones and tags, the notes and emails that were about them, who had moved on to them.
    // A kept person's id stays reserved (see columns::insert) so that undo can give it back.
    r#"
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    detail     TEXT CHECK (detail IS NULL OR json_valid(detail)),
    undone_at  TEXT
);
CREATE TABLE kept_contacts (
    id          INTEGER PRIMARY KEY,
    change_id   INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL,
    name        TEXT NOT NULL,
    kept        TEXT NOT NULL CHECK (json_valid(kept))
);
CREATE INDEX kept_contacts_change ON kept_contacts(change_id);
CREATE INDEX kept_contacts_contact ON kept_contacts(contact_id);
"#,
    // 11: find everything (`kith find`, `f` in the TUI) reads what was said (a note's text, an
    // email's subject and body) through a full-text index, never a scan of the timeline. Words,
    // not trigrams: a timeline is long text, and as-you-type needs prefixes, which the prefix
    // indexes serve. The index reads its text from `activities` (external content), so nothing
    // is stored twice; triggers keep it in step with every write, whoever makes it (only a
    // change of the text itself touches it), and the rebuild fills it for an existing store.
    r#"
CREATE VIRTUAL TABLE activity_search USING fts5(
    subject, body, content = 'activities', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER activity_search_insert AFTER INSERT ON activities BEGIN
    INSERT INTO activity_search (rowid, subject, body) VALUES (NEW.id, NEW.subject, NEW.body);
END;
CREATE TRIGGER activity_search_delete AFTER DELETE ON activities BEGIN
    INSERT INTO activity_search (activity_search, rowid, subject, body)
        VALUES ('delete', OLD.id, OLD.subject, OLD.body);
END;
CREATE TRIGGER activity_search_update AFTER UPDATE OF id, subject, body ON activities BEGIN
    INSERT INTO activity_search (activity_search, rowid, subject, body)
        VALUES ('delete', OLD.id, OLD.subject, OLD.body);
    INSERT INTO activity_search (rowid, subject, body) VALUES (NEW.id, NEW.subject, NEW.body);
END;

INSERT INTO activity_search (activity_search) VALUES ('rebuild');
"#,
    // 12: the People list reads everyone in its order (those who moved on last, then by name
    // ignoring case) from this index, ids only, instead of sorting 100,000 names on each open.
    r#"
CREATE INDEX contacts_people_order ON contacts((moved_to IS NOT NULL), full_name COLLATE NOCASE, id);
"#,
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub fn application_id(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA application_id", [], |r| r.get(0))
}

/// Applies the migrations the store lacks. Runs inside the caller's write transaction, which
/// re-reads the version so that two processes opening a new store at once migrate it once.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let current = user_version(conn)?;
    if current == 0 {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        conn.execute_batch(sql)?;
        conn.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    Ok(())
}
