// Scenario module: see docs/DESIGN.md.
