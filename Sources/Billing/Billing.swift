// Billing module: see docs/DESIGN.md.
