-- Count one failed login on each key; from its threshold on, a key is blocked for
-- 2^(failures - threshold) seconds, at most 15 minutes. Failures a day old start over.
-- $1 keys text[], $2 thresholds integer[] (one per key) -> nothing
INSERT INTO login_throttle AS t (key, threshold, failures, last_failure, blocked_until)
SELECT k.key, k.threshold, 1, now(), NULL
FROM unnest($1::text [], $2::integer []) AS k (key, threshold)
ON CONFLICT (key) DO UPDATE
SET
    threshold = excluded.threshold,
    failures = CASE
        WHEN t.last_failure < now() - interval '1 day' THEN 1 ELSE t.failures + 1
    END,
    last_failure = now(),
    blocked_until = CASE
        WHEN t.last_failure >= now() - interval '1 day' AND t.failures + 1 >= excluded.threshold
            THEN now() + least(
                interval '15 minutes',
                interval '1 second' * power(2, least(t.failures + 1 - excluded.threshold, 20))
            )
        ELSE t.blocked_until
    END
