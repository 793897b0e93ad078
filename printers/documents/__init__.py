"""Documents laid out once as blocks: the roll model, its PDF, the queue ticket and
acknowledgement slips, the claim notice and A4 forms, and the CJK font they share."""
