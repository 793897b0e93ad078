"""Speech for calling numbers: the espeak-ng engine run as a program (a whole phrase
to WAV) and plain WAV/PCM arithmetic (silence, joining, volume, a chime). A driver
like the printer's: it knows nothing of tickets, counters or settings."""
