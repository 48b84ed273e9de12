// Workload module: see docs/DESIGN.md.
