"""The application layer: the use cases the screens and the CLI share (take a ticket,
counter actions, the lobby board, claims checks, ratings, device status), each one unit of
work returning typed results and raising only KioskErrors. Filled by the next step of
issue 8; empty for now."""
