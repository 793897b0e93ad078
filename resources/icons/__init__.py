"""Icons of the customer screens (SVG, drawn for this project)."""
