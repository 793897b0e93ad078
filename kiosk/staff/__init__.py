"""Staff: accounts and roles, PINs (slow salted hash, lockout), what each role may
do (``permissions``) and the staff session actions are done under."""
