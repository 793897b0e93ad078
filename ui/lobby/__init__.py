"""The lobby call display (``kiosk run --role display``): the newest call very large,
the last calls, people waiting per service, counters (paused ones shown), branch name,
clock and the staff's scrolling notice; every call spoken (``ui.voice``)."""
