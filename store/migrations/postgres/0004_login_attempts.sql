-- Sign-in throttling counts attempts, not only failures: an attempt is
-- recorded as pending before its password is checked, in the same step
-- that counts (see Store.ReserveLoginAttempt), and then marked failed or
-- ok. The failures recorded so far carry over. secrets holds the
-- installation's own keys (the sign-in form's CSRF key), made at first use.
-- Keep in step with ../sqlite/0004_login_attempts.sql.
CREATE TABLE login_attempts (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempt  TEXT COLLATE "C" NOT NULL,
    key      TEXT COLLATE "C" NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    outcome  TEXT NOT NULL,
    remember BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_key_at ON login_attempts (key, at);
CREATE INDEX login_attempts_attempt ON login_attempts (attempt);
INSERT INTO login_attempts (attempt, key, at, outcome, remember)
    SELECT 'migrated-' || id, key, at, 'failed', FALSE FROM login_failures;
DROP TABLE login_failures;
CREATE TABLE secrets (
    name       TEXT COLLATE "C" PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
