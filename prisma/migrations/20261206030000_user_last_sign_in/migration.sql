-- When each user last signed in (a session was made), for Settings → Users.
ALTER TABLE users ADD COLUMN last_sign_in_at timestamptz(3);
