"""What customers say about the service: ratings (keypad or on screen) and their report."""
