"""PII stage (P1): detect personal data in message text with Presidio on spaCy
and replace it with typed placeholders, deterministically."""
