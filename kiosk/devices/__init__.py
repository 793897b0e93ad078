"""The branch's devices as the core drives them: the print spool and the keypad
service (ports, keypads, keys turned into ratings and queue actions)."""
