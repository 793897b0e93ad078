"""PySide6 screens of the kiosk, the counter terminal and the admin panel."""
