"""The technician's device setup screen (``kiosk run --role setup``; the admin panel's
Devices page)."""
