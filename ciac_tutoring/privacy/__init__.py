"""Privacy by design (GDPR): consents, subject access, retention and erasure, sensitive-data access log.

See docs/privacy.md for what each part does and which Frappe mechanisms it uses.
"""
