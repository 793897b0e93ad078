"""Service information the customer kiosk shows (processes, commitments)."""
