"""Calling numbers aloud: the audio player (QtMultimedia), the announcer that queues
announcements so they never overlap or block a screen, and ``kiosk voice say``."""
