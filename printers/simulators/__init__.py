"""Simulated devices on pseudo-terminals that speak the real protocols: the receipt
printer and a bus of KP1 keypads. The tests, `kiosk simulate` and `kiosk demo` use them."""
