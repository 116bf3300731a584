"""Query functions of the control plane, one module per domain."""
