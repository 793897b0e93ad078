"""The receipt printer: the ESC/POS command builder and decoder, a document encoded to
bytes (text or raster), printer profiles, and the one writer per port (PrinterLink)."""
