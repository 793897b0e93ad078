"""Document layouts and the serial drivers of the receipt printer and keypads. No Qt."""
