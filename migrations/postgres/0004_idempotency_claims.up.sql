-- 0004_idempotency_claims: an Idempotency-Key is claimed before its request
-- runs, so concurrent retries cannot all run it. A claimed key's row holds
-- claim_token and claim_until (the request is in progress); a finished
-- one has them NULL and holds the answer. A claim past claim_until was left
-- by a daemon that died mid-request and may be taken over.
ALTER TABLE idempotency_keys ADD COLUMN claim_token text;
ALTER TABLE idempotency_keys ADD COLUMN claim_until timestamptz;
