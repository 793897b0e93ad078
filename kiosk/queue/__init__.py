"""The queue engine: numbering, calling, serving, pauses, estimates, day close.
Callers use one class, :class:`kiosk.queue.lobby.Lobby`."""
