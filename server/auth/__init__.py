"""Authentication: API-key signatures, OIDC tokens, and the caller of each request."""
