-- Rate-limit rows were keyed by an unkeyed SHA-256 of their subject (account ids, emails, client
-- addresses), which anyone holding a dump can recompute. Keys are now an HMAC under a secret kept
-- outside the database and windows start on multiples of their length; the old rows go (every
-- counter starts again once, at deployment).
DELETE FROM "rate_limit_windows";
