-- Sign-in throttling counts attempts, not only failures: an attempt is
-- recorded as pending before its password is checked, in the same step
-- that counts (see Store.ReserveLoginAttempt), and then marked failed or
-- ok. The failures recorded so far carry over. secrets holds the
-- installation's own keys (the sign-in form's CSRF key), made at first use.
-- Keep in step with ../postgres/0004_login_attempts.sql.
CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    attempt  TEXT NOT NULL,
    key      TEXT NOT NULL,
    at       TIMESTAMP NOT NULL,
    outcome  TEXT NOT NULL,
    remember INTEGER NOT NULL
);
CREATE INDEX login_attempts_key_at ON login_attempts (key, at);
CREATE INDEX login_attempts_attempt ON login_attempts (attempt);
INSERT INTO login_attempts (attempt, key, at, outcome, remember)
    SELECT 'migrated-' || id, key, at, 'failed', 0 FROM login_failures;
DROP TABLE login_failures;
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
