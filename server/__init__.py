"""Lamina's HTTP server: the wiring layer above contracts, spatial and tiling."""
