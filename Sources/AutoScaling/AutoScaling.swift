// AutoScaling module: see docs/DESIGN.md.
