"""Claim-document checks: the catalogue of documents per claim type (versioned in the
database) and the checks made against it, stored under a reference and linked to tickets."""
