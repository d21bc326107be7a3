-- reviewUsers: reviewed copies validated by these users.
-- $review_users bigint[]

($review_users IS NULL OR a.reviewer_id = ANY($review_users))
