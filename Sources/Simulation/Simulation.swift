// Simulation module: see docs/DESIGN.md.
