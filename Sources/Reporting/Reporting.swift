// Reporting module: see docs/DESIGN.md.
