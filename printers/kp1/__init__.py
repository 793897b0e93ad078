"""The KP1 rating keypads: the frame codec, the serial line with its request/reply
link, and the bus master that polls every keypad on a port."""
