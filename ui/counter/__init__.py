"""The counter terminal (``kiosk run --role counter --counter N``): a compact window at
the PC of one counter, after a PIN login (docs/counter.md)."""
