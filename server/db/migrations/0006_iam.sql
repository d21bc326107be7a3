-- Built-in OpenID Connect provider: SSO sessions, one-time authorization codes and one-time
-- login tokens. Secrets handed to browsers (cookie, code, login token) are stored only as
-- SHA-256 hex digests, so a database dump cannot replay them.

-- One login of one user. ``id`` is public (``sid``/``session_state`` claims); the SSO cookie
-- carries a separate secret whose digest is ``cookie_hash``. Refresh tokens name the session,
-- so ending it (logout) makes every refresh token of that login fail.
CREATE TABLE iam_session (
    id text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    cookie_hash text UNIQUE,
    created timestamptz NOT NULL DEFAULT now(),
    expires timestamptz NOT NULL,
    ended timestamptz
);
CREATE INDEX iam_session_user_idx ON iam_session (user_id);

-- Authorization codes live a minute and are deleted when exchanged (single use).
CREATE TABLE iam_code (
    code_hash text PRIMARY KEY,
    session_id text NOT NULL REFERENCES iam_session (id) ON DELETE CASCADE,
    client_id text NOT NULL,
    redirect_uri text NOT NULL,
    code_challenge text,
    code_challenge_method text,
    nonce text,
    scope text,
    expires timestamptz NOT NULL
);

-- Login tokens an admin creates for a user (/api/token), consumed by /login/loginWithToken.
CREATE TABLE iam_login_token (
    token_hash text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    created timestamptz NOT NULL DEFAULT now(),
    expires timestamptz NOT NULL
);
