"""Personal data and accountability: masking (``masking``), the audit log
(``audit``) and retention (``retention``: each subsystem registers the personal
data it keeps; a purge erases what is past the limit)."""
